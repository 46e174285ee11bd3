"""Organization memberships (`Orgs / Memberships`, BEHAVIOR.md §6.5).

Every query is scoped to the organization of the path: a membership of another organization is a
404, and so is a user who belongs to another organization.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.envelope import SkipTake
from opencal.models import Membership, Team, User
from opencal.organizations.attributes.service import attributes_for_memberships
from opencal.organizations.memberships.schemas import CreateOrgMembershipDto, UpdateOrgMembershipDto
from opencal.team_event_types.service import remove_member_from_event_types
from opencal.teams.memberships import addressable_user, apply_membership_changes, load_membership, membership_output


async def org_membership_outputs(
    session: AsyncSession, org_id: int, rows: Sequence[tuple[Membership, User]]
) -> list[dict[str, Any]]:
    """OrganizationMembershipOutput of each (membership, user), with the user's attributes."""
    attributes = await attributes_for_memberships(session, org_id, [membership.user_id for membership, _ in rows])
    return [
        {**membership_output(membership, user), "attributes": attributes.get(membership.user_id, [])}
        for membership, user in rows
    ]


async def _load(session: AsyncSession, org_id: int, membership_id: int) -> tuple[Membership, User]:
    return await load_membership(
        session, org_id, membership_id, not_found=f"IsMembershipInOrg - Membership ({membership_id}) not found."
    )


async def _one(session: AsyncSession, org_id: int, membership: Membership, user: User) -> dict[str, Any]:
    return (await org_membership_outputs(session, org_id, [(membership, user)]))[0]


async def list_memberships(db: Database, org_id: int, page: SkipTake) -> list[dict[str, Any]]:
    async with db.read() as session:
        rows = await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id == org_id)
            .order_by(Membership.id)
            .offset(page.skip)
            .limit(page.take)
        )
        return await org_membership_outputs(session, org_id, [(m, u) for m, u in rows.all()])


async def get_membership(db: Database, org_id: int, membership_id: int) -> dict[str, Any]:
    async with db.read() as session:
        return await _one(session, org_id, *await _load(session, org_id, membership_id))


async def create_membership(db: Database, org_id: int, body: CreateOrgMembershipDto) -> dict[str, Any]:
    """Add a user to the organization, or update their existing membership (Cal.com upserts)."""
    async with db.write() as session:
        user = await addressable_user(session, body.userId, {org_id})
        membership: Membership | None = await session.scalar(
            select(Membership).where(Membership.team_id == org_id, Membership.user_id == user.id)
        )
        if membership is None:
            membership = Membership(team_id=org_id, user_id=user.id)
            session.add(membership)
        apply_membership_changes(membership, body.model_dump())
        await session.flush()
        return await _one(session, org_id, membership, user)


async def update_membership(
    db: Database, org_id: int, membership_id: int, body: UpdateOrgMembershipDto
) -> dict[str, Any]:
    async with db.write() as session:
        membership, user = await _load(session, org_id, membership_id)
        apply_membership_changes(membership, body.model_dump(exclude_unset=True))
        await session.flush()
        return await _one(session, org_id, membership, user)


async def delete_membership(db: Database, org_id: int, membership_id: int) -> dict[str, Any]:
    """Remove the member from the organization and from all of its teams.

    When it was the user's organization the user leaves it; a username then taken outside any
    organization gets the user's id appended.
    """
    async with db.write() as session:
        membership, user = await _load(session, org_id, membership_id)
        output = await _one(session, org_id, membership, user)
        org_teams = select(Team.id).where(Team.parent_id == org_id)
        for team_id in (
            await session.scalars(
                select(Membership.team_id).where(Membership.user_id == user.id, Membership.team_id.in_(org_teams))
            )
        ).all():
            await remove_member_from_event_types(session, team_id, user.id)
        await session.execute(
            delete(Membership).where(Membership.user_id == user.id, Membership.team_id.in_(org_teams))
        )
        await session.delete(membership)
        if user.organization_id == org_id:
            await detach_from_organization(session, user)
        return output


async def detach_from_organization(session: AsyncSession, user: User) -> None:
    taken = await session.scalar(
        select(User.id).where(User.username == user.username, User.organization_id.is_(None), User.id != user.id)
    )
    if taken is not None:
        user.username = f"{user.username}-{user.id}"
    user.organization_id = None
    await session.flush()
