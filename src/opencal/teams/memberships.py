"""Team memberships, for `/v2/teams/{teamId}/memberships` and the organization team memberships.

Every query is scoped to the team of the path: a membership of another team is a 404.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.envelope import SkipTake
from opencal.core.errors import Conflict, NotFound, Unprocessable
from opencal.models import Membership, Team, User
from opencal.team_event_types.service import add_member_to_event_types, remove_member_from_event_types
from opencal.teams.schemas import CreateTeamMembershipInput, UpdateTeamMembershipInput
from opencal.teams.service import load_team

MEMBERSHIP_COLUMNS = {"accepted": "accepted", "role": "role", "disableImpersonation": "disable_impersonation"}


def membership_user_output(user: User) -> dict[str, Any]:
    """MembershipUserOutputDto."""
    return {
        "avatarUrl": user.avatar_url,
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "bio": user.bio,
        "metadata": user.metadata_,
    }


def membership_output(membership: Membership, user: User) -> dict[str, Any]:
    """TeamMembershipOutput (the organization output adds `attributes`)."""
    return {
        "id": membership.id,
        "userId": membership.user_id,
        "teamId": membership.team_id,
        "accepted": membership.accepted,
        "role": membership.role,
        "disableImpersonation": membership.disable_impersonation,
        "user": membership_user_output(user),
    }


def apply_membership_changes(membership: Membership, values: dict[str, Any]) -> None:
    for field, value in values.items():
        if value is not None and field in MEMBERSHIP_COLUMNS:
            setattr(membership, MEMBERSHIP_COLUMNS[field], value)


async def load_membership(
    session: AsyncSession, team_id: int, membership_id: int, *, not_found: str | None = None
) -> tuple[Membership, User]:
    """The membership `membership_id` of team (or organization) `team_id`, with its user."""
    row = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == membership_id, Membership.team_id == team_id)
        )
    ).first()
    if row is None:
        raise NotFound(not_found or f"Membership with id {membership_id} not found in team {team_id}")
    return row[0], row[1]


async def list_memberships(
    db: Database, team_id: int, page: SkipTake, emails: list[str] | None = None
) -> list[dict[str, Any]]:
    query = select(Membership, User).join(User, User.id == Membership.user_id).where(Membership.team_id == team_id)
    if emails:
        query = query.where(func.lower(User.email).in_([email.lower() for email in emails]))
    async with db.read() as session:
        rows = await session.execute(query.order_by(Membership.id).offset(page.skip).limit(page.take))
        return [membership_output(membership, user) for membership, user in rows.all()]


async def get_membership(db: Database, team_id: int, membership_id: int) -> dict[str, Any]:
    async with db.read() as session:
        return membership_output(*await load_membership(session, team_id, membership_id))


async def user_organizations(session: AsyncSession, user_id: int) -> set[int]:
    """The organizations a user belongs to: their own, and those they hold a membership of."""
    own = await session.scalar(select(User.organization_id).where(User.id == user_id))
    held = await session.scalars(
        select(Membership.team_id)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.user_id == user_id, Team.is_organization.is_(True))
    )
    return {*held, *([own] if own is not None else [])}


async def addressable_user(session: AsyncSession, user_id: int, visible_orgs: set[int] | None) -> User:
    """The user `user_id` when a caller who sees the organizations `visible_orgs` (None: all) may name
    them: a user of no organization, or of one of those. Anyone else is reported like an unknown id,
    so that no other organization's members can be looked up."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"User with id={user_id} not found")
    if visible_orgs is not None:
        theirs = await user_organizations(session, user_id)
        if theirs and not theirs & visible_orgs:
            raise NotFound(f"User with id={user_id} not found")
    return user


async def create_membership(
    db: Database, team_id: int, body: CreateTeamMembershipInput, caller: Principal
) -> dict[str, Any]:
    """Add a user to the team; a team of an organization only takes members of that organization."""
    async with db.write() as session:
        team = await load_team(session, team_id)
        if team.parent_id is not None:
            user = await addressable_user(session, body.userId, {team.parent_id})
            in_org = await session.scalar(
                select(Membership.id).where(Membership.team_id == team.parent_id, Membership.user_id == user.id)
            )
            if in_org is None:
                raise Unprocessable("User is not part of the Organization")
        else:
            visible = None if caller.is_system_admin else await user_organizations(session, caller.user_id)
            user = await addressable_user(session, body.userId, visible)
        taken = f"User with id={user.id} is already a member of team with id={team_id}"
        if await session.scalar(
            select(Membership.id).where(Membership.team_id == team_id, Membership.user_id == user.id)
        ):
            raise Conflict(taken)
        membership = Membership(
            team_id=team_id,
            user_id=user.id,
            role=body.role,
            accepted=body.accepted,
            disable_impersonation=body.disableImpersonation,
        )
        session.add(membership)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise Conflict(taken) from exc
        if membership.accepted:
            await add_member_to_event_types(session, team_id, user.id)
        return membership_output(membership, user)


async def update_membership(
    db: Database, team_id: int, membership_id: int, body: UpdateTeamMembershipInput
) -> dict[str, Any]:
    async with db.write() as session:
        membership, user = await load_membership(session, team_id, membership_id)
        was_accepted = membership.accepted
        apply_membership_changes(membership, body.model_dump(exclude_unset=True))
        await session.flush()
        if membership.accepted and not was_accepted:
            await add_member_to_event_types(session, team_id, user.id)
        return membership_output(membership, user)


async def delete_membership(db: Database, team_id: int, membership_id: int) -> dict[str, Any]:
    async with db.write() as session:
        membership, user = await load_membership(session, team_id, membership_id)
        output = membership_output(membership, user)
        await session.delete(membership)
        await remove_member_from_event_types(session, team_id, user.id)
        return output
