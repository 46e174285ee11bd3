"""The teams of an organization (`Orgs / Teams`); every query is scoped to the organization of the path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.envelope import SkipTake
from opencal.core.errors import NotFound
from opencal.core.permissions import Authorized, role_at_least
from opencal.models import Membership, Team
from opencal.organizations.teams.schemas import CreateOrgTeamDto
from opencal.teams.schemas import UpdateOrgTeamDto
from opencal.teams.service import create_team, team_output, update_team


async def load_org_team(session: AsyncSession, org_id: int, team_id: int) -> Team:
    team: Team | None = await session.scalar(
        select(Team).where(Team.id == team_id, Team.parent_id == org_id, Team.is_organization.is_(False))
    )
    if team is None:
        raise NotFound(f"IsTeamInOrg - Team ({team_id}) not found.")
    return team


def _org_teams() -> Any:
    return select(Team).where(Team.is_organization.is_(False))


async def list_org_teams(db: Database, org_id: int, page: SkipTake) -> list[dict[str, Any]]:
    async with db.read() as session:
        teams = await session.scalars(
            _org_teams().where(Team.parent_id == org_id).order_by(Team.id).offset(page.skip).limit(page.take)
        )
        return [team_output(team) for team in teams]


async def list_my_teams(db: Database, access: Authorized, page: SkipTake) -> list[dict[str, Any]]:
    """Every team of the organization for its admins and owners; the caller's own teams for members."""
    assert access.org_id is not None
    query = _org_teams().where(Team.parent_id == access.org_id)
    async with db.read() as session:
        org_role = await session.scalar(
            select(Membership.role).where(Membership.team_id == access.org_id, Membership.user_id == access.user_id)
        )
        if not (access.principal.is_system_admin or role_at_least(org_role, "ADMIN")):
            query = query.join(Membership, Membership.team_id == Team.id).where(Membership.user_id == access.user_id)
        teams = await session.scalars(query.order_by(Team.id).offset(page.skip).limit(page.take))
        return [team_output(team) for team in teams]


async def get_org_team(db: Database, org_id: int, team_id: int) -> dict[str, Any]:
    async with db.read() as session:
        return team_output(await load_org_team(session, org_id, team_id))


async def create_org_team(db: Database, access: Authorized, body: CreateOrgTeamDto) -> dict[str, Any]:
    """A team of the organization; its creator becomes OWNER (system admins act without joining)."""
    owner_id = None if access.principal.is_system_admin else access.user_id
    async with db.write() as session:
        return team_output(await create_team(session, body, parent_id=access.org_id, owner_id=owner_id))


async def update_org_team(db: Database, org_id: int, team_id: int, body: UpdateOrgTeamDto) -> dict[str, Any]:
    async with db.write() as session:
        return team_output(await update_team(session, await load_org_team(session, org_id, team_id), body))


async def delete_org_team(db: Database, org_id: int, team_id: int) -> dict[str, Any]:
    async with db.write() as session:
        team = await load_org_team(session, org_id, team_id)
        output = team_output(team)
        await session.delete(team)
        return output
