"""Schedules seen from an organization or a team, on top of `opencal.schedules.service`.

The routes declare who may call them (ORG_ADMIN, TEAM_ADMIN). A user named on an organization route
must be a user of the organization (403 otherwise, as Cal.com's IsUserInOrg guard), and one named on
a team route a member of the team (403). Lists are ordered by schedule id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.errors import BadRequest, Forbidden
from opencal.models import EventType, Host, Membership, Schedule, User
from opencal.organizations.attributes.members import org_user_clause, require_org_user
from opencal.schedules import service as schedules
from opencal.schedules.schemas import CreateScheduleInput_2024_06_11, UpdateScheduleInput_2024_06_11


async def _outputs(session: AsyncSession, query: Select[Schedule]) -> list[dict[str, Any]]:
    """Each schedule of `query` as `ScheduleOutput_2024_06_11` (its owner's default flag included)."""
    found: Sequence[Schedule] = (await session.scalars(query)).all()
    owner_ids = {s.user_id for s in found}
    rows = await session.execute(select(User.id, User.default_schedule_id).where(User.id.in_(owner_ids)))
    defaults = {user_id: default_id for user_id, default_id in rows.all()}
    return [schedules.schedule_output(s, defaults.get(s.user_id)) for s in found]


# -- organization -------------------------------------------------------------------------------


async def org_schedules(db: Database, org_id: int, skip: int, take: int) -> list[dict[str, Any]]:
    async with db.read() as session:
        org_users = select(User.id).where(org_user_clause(org_id))
        query = select(Schedule).where(Schedule.user_id.in_(org_users)).order_by(Schedule.id).offset(skip).limit(take)
        return await _outputs(session, query)


async def create_user_schedule(
    db: Database, org_id: int, user_id: int, body: CreateScheduleInput_2024_06_11
) -> dict[str, Any]:
    async with db.write() as session:
        owner = await require_org_user(session, org_id, user_id)
        schedule = await schedules.insert_schedule(session, owner, body)
        return schedules.schedule_output(schedule, owner.default_schedule_id)


async def user_schedules(db: Database, org_id: int, user_id: int) -> list[dict[str, Any]]:
    async with db.read() as session:
        await require_org_user(session, org_id, user_id)
        return await _outputs(session, select(Schedule).where(Schedule.user_id == user_id).order_by(Schedule.id))


async def user_schedule(db: Database, org_id: int, user_id: int, schedule_id: int) -> dict[str, Any]:
    async with db.read() as session:
        owner = await require_org_user(session, org_id, user_id)
        schedule = await schedules.require_owned_schedule(session, user_id, schedule_id)
        return schedules.schedule_output(schedule, owner.default_schedule_id)


async def update_user_schedule(
    db: Database,
    org_id: int,
    user_id: int,
    schedule_id: int,
    body: UpdateScheduleInput_2024_06_11,
) -> dict[str, Any]:
    async with db.write() as session:
        owner = await require_org_user(session, org_id, user_id)
        schedule = await schedules.require_owned_schedule(session, user_id, schedule_id)
        await schedules.apply_schedule_update(session, owner, schedule, body)
        return schedules.schedule_output(schedule, owner.default_schedule_id)


async def delete_user_schedule(db: Database, org_id: int, user_id: int, schedule_id: int) -> None:
    async with db.write() as session:
        owner = await require_org_user(session, org_id, user_id)
        schedule = await schedules.find_schedule(session, schedule_id)
        if schedule is None:
            # As for the user's own schedules, Cal.com answers a missing schedule on delete with 400.
            raise BadRequest(f"Schedule with ID={schedule_id} does not exist.")
        if schedule.user_id != user_id:
            raise Forbidden(f"User with ID={user_id} does not own schedule with ID={schedule_id}")
        await schedules.remove_schedule(session, owner, schedule)


# -- teams --------------------------------------------------------------------------------------


def _team_query(team_id: int, event_type_id: int | None, user_id: int | None = None) -> Select[Schedule]:
    """Schedules of the team's members; with a team event type, only the ones its hosts use for it
    (the host's own schedule, else the event type's, else the host's default schedule)."""
    if event_type_id is None:
        members = select(Membership.user_id).where(Membership.team_id == team_id)
        query = select(Schedule).where(Schedule.user_id.in_(members))
    else:
        used = (
            select(func.coalesce(Host.schedule_id, EventType.schedule_id, User.default_schedule_id))
            .join(EventType, EventType.id == Host.event_type_id)
            .join(User, User.id == Host.user_id)
            .where(EventType.id == event_type_id, EventType.team_id == team_id)
        )
        query = select(Schedule).where(Schedule.id.in_(used))
    if user_id is not None:
        query = query.where(Schedule.user_id == user_id)
    return query.order_by(Schedule.id)


async def team_schedules(
    db: Database, team_id: int, *, skip: int, take: int, event_type_id: int | None = None
) -> list[dict[str, Any]]:
    """Schedules of the members of team `team_id`."""
    async with db.read() as session:
        return await _outputs(session, _team_query(team_id, event_type_id).offset(skip).limit(take))


async def team_member_schedules(
    db: Database, team_id: int, user_id: int, event_type_id: int | None
) -> list[dict[str, Any]]:
    async with db.read() as session:
        member = await session.scalar(
            select(Membership.id).where(Membership.team_id == team_id, Membership.user_id == user_id)
        )
        if member is None:
            raise Forbidden(f"User with id={user_id} is not a member of the team with id={team_id}")
        return await _outputs(session, _team_query(team_id, event_type_id, user_id))
