"""Creating users, organizations, teams and OAuth clients outside the API (CLI, demo, tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.api_keys.service import create_api_key
from opencal.core.errors import BadRequest, Conflict, NotFound
from opencal.models import Availability, Membership, OAuthClient, Schedule, Team, User
from opencal.platform.clients import create_client
from opencal.users.service import ensure_email_free, ensure_username_free
from opencal.users.validation import check_time_zone

DEFAULT_DAYS = [1, 2, 3, 4, 5]
DEFAULT_START = time(9, 0)
DEFAULT_END = time(17, 0)


@dataclass(frozen=True)
class CreatedUser:
    user: User
    api_key: str | None


def check_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise BadRequest(f"email must be an email: {exc}") from exc


async def create_default_schedule(session: AsyncSession, user: User, name: str = "Default") -> Schedule:
    """Monday–Friday 09:00–17:00 in the user's zone, made the user's default schedule."""
    schedule = Schedule(user_id=user.id, name=name, time_zone=user.time_zone)
    schedule.rows.append(Availability(days=DEFAULT_DAYS, start_time=DEFAULT_START, end_time=DEFAULT_END))
    session.add(schedule)
    await session.flush()
    user.default_schedule_id = schedule.id
    return schedule


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    username: str,
    name: str | None = None,
    time_zone: str = "Europe/London",
    with_api_key: bool = False,
    api_key_prefix: str = "cal_",
    organization_id: int | None = None,
) -> CreatedUser:
    email = check_email(email)
    check_time_zone(time_zone, "time zone")
    if not username.strip():
        raise BadRequest("username must not be empty")
    await ensure_email_free(session, email)
    await ensure_username_free(session, username, organization_id)
    user = User(email=email, username=username, name=name, time_zone=time_zone, organization_id=organization_id)
    session.add(user)
    await session.flush()
    await create_default_schedule(session, user)
    key = await create_api_key(session, user_id=user.id, prefix=api_key_prefix) if with_api_key else None
    return CreatedUser(user=user, api_key=key)


async def create_key(
    session: AsyncSession, *, user: User, prefix: str, expires_on: date | None, team_id: int | None
) -> str:
    if team_id is not None and await session.get(Team, team_id) is None:
        raise NotFound(f"Team with id={team_id} not found")
    return await create_api_key(session, user_id=user.id, prefix=prefix, expires_on=expires_on, team_id=team_id)


async def _check_slug_free(session: AsyncSession, slug: str, parent_id: int | None) -> None:
    query = select(Team.id).where(Team.slug == slug)
    query = query.where(Team.parent_id.is_(None) if parent_id is None else Team.parent_id == parent_id)
    if await session.scalar(query) is not None:
        raise Conflict(f"Team with slug {slug} already exists")


async def create_organization(session: AsyncSession, *, name: str, slug: str, owner: User) -> Team:
    """An organization row whose owner is an accepted OWNER and a user of that organization."""
    await _check_slug_free(session, slug, None)
    org = Team(name=name, slug=slug, is_organization=True, metadata_={"isAdminAPIEnabled": True})
    session.add(org)
    await session.flush()
    session.add(Membership(team_id=org.id, user_id=owner.id, role="OWNER", accepted=True))
    if owner.organization_id is None:
        await ensure_username_free(session, owner.username, org.id)
        owner.organization_id = org.id
    await session.flush()
    return org


async def create_team(session: AsyncSession, *, name: str, slug: str, owner: User, organization_id: int | None) -> Team:
    if organization_id is not None:
        org = await session.get(Team, organization_id)
        if org is None or not org.is_organization:
            raise NotFound(f"Organization with id={organization_id} not found")
    await _check_slug_free(session, slug, organization_id)
    team = Team(name=name, slug=slug, parent_id=organization_id)
    session.add(team)
    await session.flush()
    session.add(Membership(team_id=team.id, user_id=owner.id, role="OWNER", accepted=True))
    await session.flush()
    return team


async def create_oauth_client(
    session: AsyncSession,
    *,
    organization_id: int,
    name: str,
    redirect_uris: list[str],
    permissions: int,
    default_event_types: bool,
) -> tuple[OAuthClient, str]:
    """A new OAuth client of the organization (made a platform organization) and its one-time secret."""
    return await create_client(
        session,
        organization_id=organization_id,
        name=name,
        redirect_uris=redirect_uris,
        permissions=permissions,
        are_default_event_types_enabled=default_event_types,
    )
