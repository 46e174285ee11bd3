"""Team event types: collective, round robin and managed (BEHAVIOR.md §6.1-6.2, cal-api-version 2024-06-14).

They are user event types plus the team's parts, so every step of `opencal.event_types.service`
is reused (state, checks, insert, output) and only the team's columns, hosts and managed copies are
added here. Routes have already checked the caller's role in the team (`core.permissions.Requires`);
every function here receives the team and works inside it, so an event type of another team is
answered as missing.

A managed event type is a team row without hosts and one copy per assigned member (`owner_id` =
the member, `parent_id` = the team row, no team, no scheduling type), bookable like the member's own
event type. Every change to the team row is applied to the copies in the same transaction; members
added or removed from `hosts` get or lose their copy; deleting the team row deletes the copies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.errors import BadRequest, NotFound
from opencal.event_types import mapping, rules
from opencal.event_types.service import (
    apply_changes,
    check_inputs,
    insert_event_type,
    new_state,
    stored_state,
    updated_state,
)
from opencal.models import EventType, Team
from opencal.models.event_types import COLLECTIVE, MANAGED, ROUND_ROBIN
from opencal.team_event_types.hosts import (
    HostSpec,
    apply_hosts,
    check_host_choice,
    hosts_output,
    requested_hosts,
    retype_hosts,
    team_member_ids,
    users_by_id,
)
from opencal.team_event_types.schemas import (
    CreateTeamEventTypeInput_2024_06_14,
    EmailSettings_2024_06_14,
    UpdateTeamEventTypeInput_2024_06_14,
)
from opencal.users.service import get_user

SLUG_TAKEN = "Team event type with this slug already exists"
STORED_SCHEDULING_TYPES = {"collective": COLLECTIVE, "roundRobin": ROUND_ROBIN, "managed": MANAGED}
API_SCHEDULING_TYPES = {stored: api for api, stored in STORED_SCHEDULING_TYPES.items()}
MANAGED_CONFIG = "managedEventConfig"
# Columns a managed copy never takes from its team row.
_OWN_COLUMNS = frozenset({"id", "owner_id", "team_id", "parent_id", "scheduling_type", "assign_all_team_members"})
SortOrder = Literal["asc", "desc"]


# -- lookups --------------------------------------------------------------------------------------


async def load_team(session: AsyncSession, team_id: int) -> Team:
    team = await session.get(Team, team_id)
    if team is None or team.is_organization:
        raise NotFound(f"Team with id={team_id} not found")
    return team


async def team_event_type(session: AsyncSession, team_id: int, event_type_id: int) -> EventType | None:
    row = await session.get(EventType, event_type_id)
    return row if row is not None and row.team_id == team_id else None


async def _children(session: AsyncSession, parent_ids: Sequence[int]) -> dict[int, list[EventType]]:
    if not parent_ids:
        return {}
    rows = await session.scalars(select(EventType).where(EventType.parent_id.in_(parent_ids)).order_by(EventType.id))
    grouped: dict[int, list[EventType]] = {}
    for row in rows:
        assert row.parent_id is not None
        grouped.setdefault(row.parent_id, []).append(row)
    return grouped


async def _slug_taken(session: AsyncSession, team_id: int, slug: str, except_id: int | None = None) -> bool:
    query = select(EventType.id).where(EventType.team_id == team_id, EventType.slug == slug)
    if except_id is not None:
        query = query.where(EventType.id != except_id)
    return await session.scalar(query.limit(1)) is not None


# -- output ---------------------------------------------------------------------------------------


def team_summary(team: Team | None) -> dict[str, Any]:
    """`EventTypeTeam`: the team of a team event type (ids and names all null for a managed copy)."""
    return {
        "id": team.id if team else None,
        "slug": team.slug if team else None,
        "bannerUrl": team.banner_url if team else None,
        "name": team.name if team else None,
        "logoUrl": team.logo_url if team else None,
        "weekStart": team.week_start if team else None,
        "brandColor": team.brand_color if team else None,
        "darkBrandColor": team.dark_brand_color if team else None,
        "theme": team.theme if team else None,
    }


def team_event_type_output(row: EventType, team: Team | None, hosts: list[dict[str, object]]) -> dict[str, Any]:
    """`TeamEventTypeOutput_2024_06_14` of a team row or of a managed copy."""
    output = mapping.event_type_output(stored_state(row), owner_id=0, users=[], booking_url="")
    for user_only in ("ownerId", "users", "bookingUrl"):
        output.pop(user_only)
    output.update(
        {
            "teamId": row.team_id,
            "ownerId": row.owner_id,
            "parentEventTypeId": row.parent_id,
            "hosts": hosts,
            "schedulingType": API_SCHEDULING_TYPES.get(row.scheduling_type or ""),
            "team": team_summary(team if row.team_id is not None else None),
            "rescheduleWithSameRoundRobinHost": bool(row.reschedule_with_same_round_robin_host),
        }
    )
    if row.team_id is not None:
        output["assignAllTeamMembers"] = bool(row.assign_all_team_members)
    if row.email_settings:
        output["emailSettings"] = dict(row.email_settings)
    return output


async def outputs(
    session: AsyncSession, rows: Sequence[EventType], teams: Sequence[Team], *, hosts_limit: int | None = None
) -> list[dict[str, Any]]:
    """Outputs of team rows (of `teams`) and managed copies, loading every host and copy owner at once."""
    by_id = {team.id: team for team in teams}
    children = await _children(session, [row.id for row in rows if row.scheduling_type == MANAGED])
    owners = {
        row.id: [child.owner_id for child in children.get(row.id, []) if child.owner_id is not None] for row in rows
    }
    hosted = [row for row in rows if row.scheduling_type in (COLLECTIVE, ROUND_ROBIN)]
    user_ids = [host.user_id for row in hosted for host in row.hosts] + [o for ids in owners.values() for o in ids]
    users = await users_by_id(session, user_ids)
    return [
        team_event_type_output(
            row, by_id.get(row.team_id or 0), hosts_output(row, users, owners.get(row.id, []), hosts_limit)
        )
        for row in rows
    ]


async def _created_output(
    session: AsyncSession, row: EventType, team: Team, copies: Sequence[EventType]
) -> dict[str, Any] | list[dict[str, Any]]:
    """A managed event type answers with its team row then its copies; others with the row alone."""
    await session.flush()
    if row.scheduling_type != MANAGED:
        [single] = await outputs(session, [row], [team])
        return single
    return await outputs(session, [row, *copies], [team])


# -- shared rules ---------------------------------------------------------------------------------


def _check_contact_fields(team: Team, state: Mapping[str, Any]) -> None:
    """Organization teams may take phone-only bookings; other teams need the booker's email (Cal.com)."""
    if team.parent_id is not None:
        rules.check_contact_field(state)
    else:
        rules.check_email_field_accessible(state)


def _email_settings(team: Team, settings: EmailSettings_2024_06_14 | None) -> dict[str, bool] | None:
    if settings is None:
        return None
    if team.parent_id is None:
        raise BadRequest("emailSettings: email settings are only available for organization team event types")
    return {
        "disableEmailsToAttendees": bool(settings.disableEmailsToAttendees),
        "disableEmailsToHosts": bool(settings.disableEmailsToHosts),
    }


def _copy_state(parent_state: Mapping[str, Any], owner_id: int, parent_id: int) -> dict[str, Any]:
    state = {key: value for key, value in parent_state.items() if key not in _OWN_COLUMNS}
    metadata = dict(state.get("metadata_") or {})
    metadata.pop(MANAGED_CONFIG, None)
    state.update(metadata_=metadata, owner_id=owner_id, parent_id=parent_id, team_id=None, scheduling_type=None)
    return state


async def _check_copy_slugs(session: AsyncSession, parent_id: int | None, owner_ids: Sequence[int], slug: str) -> None:
    """A member's copy takes the event's slug: the member must not use it for an event type of their own."""
    if not owner_ids:
        return
    query = select(EventType.owner_id).where(EventType.owner_id.in_(owner_ids), EventType.slug == slug)
    if parent_id is not None:
        query = query.where((EventType.parent_id.is_(None)) | (EventType.parent_id != parent_id))
    clash = await session.scalar(query.order_by(EventType.owner_id).limit(1))
    if clash is not None:
        raise BadRequest(
            f"User with id={clash} already has an event type with slug '{slug}', so the managed event type can't be "
            "assigned to them"
        )


async def _sync_copies(
    session: AsyncSession, parent: EventType, owners: Sequence[int] | None, changes: Mapping[str, Any]
) -> list[EventType]:
    """Apply `changes` to the copies, then give each of `owners` (None: unchanged) exactly one copy."""
    copies = (await _children(session, [parent.id])).get(parent.id, [])
    copied_changes = {key: value for key, value in changes.items() if key not in _OWN_COLUMNS}
    if MANAGED_CONFIG in (copied_changes.get("metadata_") or {}):
        copied_changes["metadata_"] = {k: v for k, v in copied_changes["metadata_"].items() if k != MANAGED_CONFIG}
    wanted = list(dict.fromkeys(owners)) if owners is not None else [c.owner_id for c in copies if c.owner_id]
    kept: list[EventType] = []
    for copy in copies:
        if copy.owner_id in wanted:
            apply_changes(copy, copied_changes)
            kept.append(copy)
        else:
            await session.delete(copy)
    have = {copy.owner_id for copy in kept}
    missing = [owner for owner in wanted if owner not in have]
    await _check_copy_slugs(session, parent.id, [c.owner_id for c in kept if c.owner_id] + missing, parent.slug)
    parent_state = stored_state(parent)
    for owner in missing:
        copy = EventType(**_copy_state(parent_state, owner, parent.id), hosts=[])
        session.add(copy)
        kept.append(copy)
    await session.flush()
    order = {owner: index for index, owner in enumerate(wanted)}
    return sorted(kept, key=lambda copy: order.get(copy.owner_id or 0, 0))


# -- operations -----------------------------------------------------------------------------------


async def create_team_event_type(
    db: Database, actor_id: int, team_id: int, body: CreateTeamEventTypeInput_2024_06_14
) -> dict[str, Any] | list[dict[str, Any]]:
    scheduling_type = STORED_SCHEDULING_TYPES[body.schedulingType]
    check_host_choice(body.hosts, body.assignAllTeamMembers)
    async with db.write() as session:
        team = await load_team(session, team_id)
        actor = await get_user(session, actor_id)
        state = new_state(body)
        state.update(
            team_id=team.id,
            scheduling_type=scheduling_type,
            assign_all_team_members=bool(body.assignAllTeamMembers),
            reschedule_with_same_round_robin_host=bool(body.rescheduleWithSameRoundRobinHost),
            email_settings=_email_settings(team, body.emailSettings),
        )
        if scheduling_type == MANAGED:
            state["metadata_"] = {MANAGED_CONFIG: {}, **(state.get("metadata_") or {})}
        members = await team_member_ids(session, team.id)
        await check_inputs(session, actor, body, state, schedule_owner_ids=[actor.id, *members])
        _check_contact_fields(team, state)
        if await _slug_taken(session, team.id, state["slug"]):
            raise BadRequest(SLUG_TAKEN)
        specs = await requested_hosts(session, team, scheduling_type, body.hosts, body.assignAllTeamMembers) or []
        row = await insert_event_type(session, state, SLUG_TAKEN)
        await session.refresh(row, ["hosts"])
        copies: list[EventType] = []
        if scheduling_type == MANAGED:
            copies = await _sync_copies(session, row, [spec.user_id for spec in specs], {})
        else:
            apply_hosts(row, specs)
        return await _created_output(session, row, team, copies)


async def get_team_event_type(db: Database, team_id: int, event_type_id: int) -> dict[str, Any]:
    async with db.read() as session:
        team = await load_team(session, team_id)
        row = await team_event_type(session, team_id, event_type_id)
        if row is None:
            raise NotFound(f"Event type with id {event_type_id} not found")
        [output] = await outputs(session, [row], [team])
        return output


def _ordered(statement: Any, sort: SortOrder | None) -> Any:
    if sort == "desc":
        return statement.order_by(EventType.id.desc())
    return statement.order_by(EventType.id.asc())


async def list_team_event_types(
    db: Database,
    team_id: int,
    *,
    event_slug: str | None = None,
    hosts_limit: int | None = None,
    sort: SortOrder | None = None,
) -> list[dict[str, Any]]:
    async with db.read() as session:
        team = await load_team(session, team_id)
        statement = select(EventType).where(EventType.team_id == team.id)
        if event_slug is not None:
            statement = statement.where(EventType.slug == event_slug)
        rows = list(await session.scalars(_ordered(statement, sort)))
        return await outputs(session, rows, [team], hosts_limit=hosts_limit)


async def list_organization_team_event_types(
    db: Database, org_id: int, *, skip: int, take: int, sort: SortOrder | None = None
) -> list[dict[str, Any]]:
    """Every event type of every team of the organization (managed copies are the members')."""
    async with db.read() as session:
        teams = list(
            await session.scalars(select(Team).where(Team.parent_id == org_id, Team.is_organization.is_(False)))
        )
        statement = select(EventType).where(EventType.team_id.in_([team.id for team in teams]))
        rows = list(await session.scalars(_ordered(statement, sort).offset(skip).limit(take)))
        return await outputs(session, rows, teams)


async def update_team_event_type(
    db: Database, actor_id: int, team_id: int, event_type_id: int, body: UpdateTeamEventTypeInput_2024_06_14
) -> dict[str, Any] | list[dict[str, Any]]:
    check_host_choice(body.hosts, body.assignAllTeamMembers)
    async with db.write() as session:
        team = await load_team(session, team_id)
        row = await team_event_type(session, team.id, event_type_id)
        if row is None:
            raise BadRequest("Event type to update not found")
        actor = await get_user(session, actor_id)
        scheduling_type = _new_scheduling_type(row, body)
        state, changes = updated_state(row, body)
        team_changes: dict[str, Any] = {}
        sent = body.model_fields_set
        if scheduling_type != row.scheduling_type:
            team_changes["scheduling_type"] = scheduling_type
        if "assignAllTeamMembers" in sent and body.assignAllTeamMembers is not None:
            team_changes["assign_all_team_members"] = body.assignAllTeamMembers
        elif body.hosts is not None:
            team_changes["assign_all_team_members"] = False  # chosen hosts: later members are not added
        if "rescheduleWithSameRoundRobinHost" in sent and body.rescheduleWithSameRoundRobinHost is not None:
            team_changes["reschedule_with_same_round_robin_host"] = body.rescheduleWithSameRoundRobinHost
        if "emailSettings" in sent:
            team_changes["email_settings"] = _email_settings(team, body.emailSettings)
        state.update(team_changes)
        members = await team_member_ids(session, team.id)
        await check_inputs(session, actor, body, state, schedule_owner_ids=[actor.id, *members])
        if "bookingFields" in sent:
            _check_contact_fields(team, state)
        if "slug" in changes and await _slug_taken(session, team.id, changes["slug"], except_id=row.id):
            raise BadRequest(SLUG_TAKEN)
        specs = await requested_hosts(session, team, scheduling_type, body.hosts, body.assignAllTeamMembers)
        apply_changes(row, {**changes, **team_changes})
        copies: list[EventType] = []
        if scheduling_type == MANAGED:
            owners = None if specs is None else [spec.user_id for spec in specs]
            copies = await _sync_copies(session, row, owners, changes)
        elif specs is not None:
            apply_hosts(row, specs)
        elif "scheduling_type" in team_changes:
            retype_hosts(row, scheduling_type)
        try:
            await session.flush()
        except IntegrityError:
            raise BadRequest(SLUG_TAKEN) from None
        return await _created_output(session, row, team, copies)


def _new_scheduling_type(row: EventType, body: UpdateTeamEventTypeInput_2024_06_14) -> str:
    """Collective and round robin may turn into each other; a managed event type stays managed."""
    current = row.scheduling_type or COLLECTIVE
    if body.schedulingType is None:
        return current
    requested = STORED_SCHEDULING_TYPES[body.schedulingType]
    if requested != current and MANAGED in (requested, current):
        raise BadRequest(
            f"schedulingType: event type with id={row.id} is {API_SCHEDULING_TYPES[current]} and can't become "
            f"{body.schedulingType}; a managed event type can't become collective or round robin, nor the reverse"
        )
    return requested


async def delete_team_event_type(db: Database, team_id: int, event_type_id: int) -> dict[str, Any]:
    async with db.write() as session:
        row = await team_event_type(session, team_id, event_type_id)
        if row is None:
            raise NotFound(f"Event type with ID={event_type_id} does not exist.")
        output = {"id": row.id, "title": row.title}
        await session.execute(delete(EventType).where(EventType.parent_id == row.id))
        await session.delete(row)
        return output


# -- team membership changes ----------------------------------------------------------------------


async def add_member_to_event_types(session: AsyncSession, team_id: int, user_id: int) -> None:
    """A new member of a team joins its `assignAllTeamMembers` event types (as a host, or with a
    managed copy), inside the caller's transaction."""
    rows = await session.scalars(
        select(EventType).where(EventType.team_id == team_id, EventType.assign_all_team_members.is_(True))
    )
    for row in rows.all():
        if row.scheduling_type == MANAGED:
            copies = (await _children(session, [row.id])).get(row.id, [])
            if all(copy.owner_id != user_id for copy in copies):
                await _sync_copies(session, row, [*(c.owner_id for c in copies if c.owner_id), user_id], {})
        elif all(host.user_id != user_id for host in row.hosts):
            specs = [
                HostSpec(h.user_id, h.is_fixed, h.priority if h.priority is not None else 2, h.weight, h.group_id)
                for h in row.hosts
            ]
            apply_hosts(row, [*specs, HostSpec(user_id, is_fixed=row.scheduling_type == COLLECTIVE)])
    await session.flush()


async def remove_member_from_event_types(session: AsyncSession, team_id: int, user_id: int) -> None:
    """A member leaving a team stops hosting its event types and loses their managed copies."""
    team_rows = select(EventType.id).where(EventType.team_id == team_id)
    await session.execute(delete(EventType).where(EventType.parent_id.in_(team_rows), EventType.owner_id == user_id))
    rows = await session.scalars(select(EventType).where(EventType.team_id == team_id))
    for row in rows.all():
        for host in [h for h in row.hosts if h.user_id == user_id]:
            row.hosts.remove(host)
    await session.flush()
