"""Teams: creation, profile updates, deletion and reads, for `/v2/teams` and the organization teams.

Who may call what is decided by the routes (`core.permissions.Requires`); these functions receive
ids the caller was already allowed on, and keep every query scoped to them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.envelope import CalModel
from opencal.core.errors import BadRequest, Conflict, NotFound
from opencal.models import Membership, Team
from opencal.teams.schemas import CreateTeamInput, UpdateOrgTeamDto
from opencal.users.service import slugify
from opencal.users.validation import WEEKDAYS, check_metadata, check_time_zone

# Input field -> Team column, for every field a create or update body may set.
TEAM_COLUMNS: dict[str, str] = {
    "name": "name",
    "slug": "slug",
    "logoUrl": "logo_url",
    "calVideoLogo": "cal_video_logo",
    "appLogo": "app_logo",
    "appIconLogo": "app_icon_logo",
    "bio": "bio",
    "hideBranding": "hide_branding",
    "isPrivate": "is_private",
    "hideBookATeamMember": "hide_book_a_team_member",
    "metadata": "metadata_",
    "theme": "theme",
    "brandColor": "brand_color",
    "darkBrandColor": "dark_brand_color",
    "bannerUrl": "banner_url",
    "timeFormat": "time_format",
    "timeZone": "time_zone",
    "weekStart": "week_start",
    "bookingLimits": "booking_limits",
    "includeManagedEventsInLimits": "include_managed_events_in_limits",
}
# Columns a body may clear with null; null for the others means "leave as is".
_CLEARABLE = frozenset(
    {
        "logoUrl",
        "calVideoLogo",
        "appLogo",
        "appIconLogo",
        "bio",
        "theme",
        "brandColor",
        "darkBrandColor",
        "bannerUrl",
        "timeFormat",
        "bookingLimits",
    }
)
_IMAGE_FIELDS = ("logoUrl", "calVideoLogo", "appLogo", "appIconLogo", "bannerUrl")
_LIMIT_KEYS = ("PER_DAY", "PER_WEEK", "PER_MONTH", "PER_YEAR")


def team_output(team: Team) -> dict[str, Any]:
    """TeamOutputDto / OrgTeamOutputDto."""
    return {
        "id": team.id,
        "parentId": team.parent_id,
        "name": team.name,
        "slug": team.slug,
        "logoUrl": team.logo_url,
        "calVideoLogo": team.cal_video_logo,
        "appLogo": team.app_logo,
        "appIconLogo": team.app_icon_logo,
        "bio": team.bio,
        "hideBranding": team.hide_branding,
        "isOrganization": team.is_organization,
        "isPrivate": team.is_private,
        "hideBookATeamMember": team.hide_book_a_team_member,
        "metadata": team.metadata_,
        "theme": team.theme,
        "brandColor": team.brand_color,
        "darkBrandColor": team.dark_brand_color,
        "bannerUrl": team.banner_url,
        "timeFormat": team.time_format,
        "timeZone": team.time_zone,
        "weekStart": team.week_start,
    }


# -- validation ---------------------------------------------------------------------------------


def _booking_limits(raw: str) -> dict[str, int]:
    message = (
        "bookingLimits: must be a JSON object of positive integers keyed by PER_DAY, PER_WEEK, PER_MONTH or PER_YEAR"
    )
    try:
        limits = json.loads(raw)
    except ValueError:
        raise BadRequest(message) from None
    if not isinstance(limits, dict) or not all(
        key in _LIMIT_KEYS and isinstance(value, int) and not isinstance(value, bool) and value > 0
        for key, value in limits.items()
    ):
        raise BadRequest(message)
    return limits


def _check_image(field: str, value: str) -> None:
    if value.startswith("data:image/"):
        return
    url = urlparse(value)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise BadRequest(f"{field}: must be an http(s) URL or a data:image URL")


def team_changes(values: dict[str, Any]) -> dict[str, Any]:
    """Validated column values for the given body fields (camelCase names, None = clear/ignore)."""
    changes: dict[str, Any] = {}
    for field, value in values.items():
        if field not in TEAM_COLUMNS:
            continue
        if value is None:
            if field in _CLEARABLE:
                changes[TEAM_COLUMNS[field]] = None
            continue
        if field == "slug":
            value = slugify(value)
            if not value:
                raise BadRequest("slug: must contain letters or digits")
        elif field == "timeZone":
            check_time_zone(value)
        elif field == "weekStart" and value not in WEEKDAYS:
            raise BadRequest(f"weekStart: must be one of {', '.join(WEEKDAYS)}")
        elif field == "timeFormat" and value not in (12, 24):
            raise BadRequest("timeFormat: must be 12 or 24")
        elif field == "metadata":
            check_metadata(value)
        elif field == "bookingLimits":
            value = _booking_limits(value)
        elif field in _IMAGE_FIELDS:
            _check_image(field, value)
        changes[TEAM_COLUMNS[field]] = value
    return changes


async def ensure_slug_free(
    session: AsyncSession, slug: str, parent_id: int | None, *, except_team_id: int | None = None
) -> None:
    """Slugs are unique among the teams of an organization, and among teams of none."""
    query = select(Team.id).where(
        Team.slug == slug, Team.parent_id.is_(None) if parent_id is None else Team.parent_id == parent_id
    )
    if except_team_id is not None:
        query = query.where(Team.id != except_team_id)
    if await session.scalar(query) is not None:
        raise Conflict(f"Team with slug {slug} already exists")


async def flush_team(session: AsyncSession, slug: str | None) -> None:
    """Flush, turning a slug taken by a concurrent request into the same 409 as the check above."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"Team with slug {slug} already exists") from exc


# -- writes shared with the organization routes -------------------------------------------------


async def create_team(session: AsyncSession, body: CalModel, *, parent_id: int | None, owner_id: int | None) -> Team:
    """A team (of organization `parent_id` when given) whose creator becomes its OWNER."""
    values = body.model_dump()
    auto_accept = bool(values.pop("autoAcceptCreator", True))
    values["slug"] = values.get("slug") or slugify(values["name"])
    changes = team_changes(values)
    await ensure_slug_free(session, changes["slug"], parent_id)
    team = Team(parent_id=parent_id, **changes)
    session.add(team)
    await flush_team(session, team.slug)
    if owner_id is not None:
        session.add(Membership(team_id=team.id, user_id=owner_id, role="OWNER", accepted=auto_accept))
        await session.flush()
    return team


async def update_team(session: AsyncSession, team: Team, body: UpdateOrgTeamDto) -> Team:
    changes = team_changes(body.model_dump(exclude_unset=True))
    if changes.get("slug") not in (None, team.slug):
        await ensure_slug_free(session, changes["slug"], team.parent_id, except_team_id=team.id)
    for column, value in changes.items():
        setattr(team, column, value)
    await flush_team(session, team.slug)
    return team


async def load_team(session: AsyncSession, team_id: int) -> Team:
    """A team (never an organization row) by id."""
    team = await session.get(Team, team_id)
    if team is None or team.is_organization:
        raise NotFound(f"Team with id={team_id} not found")
    return team


# -- /v2/teams ----------------------------------------------------------------------------------


async def create_user_team(db: Database, user_id: int, body: CreateTeamInput) -> dict[str, Any]:
    async with db.write() as session:
        return team_output(await create_team(session, body, parent_id=None, owner_id=user_id))


async def list_user_teams(db: Database, user_id: int) -> list[dict[str, Any]]:
    """Every team and organization the user holds a membership of, accepted or not, by id."""
    async with db.read() as session:
        teams = await session.scalars(
            select(Team)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.user_id == user_id)
            .order_by(Team.id)
        )
        return [team_output(team) for team in teams]


async def get_team(db: Database, team_id: int) -> dict[str, Any]:
    async with db.read() as session:
        return team_output(await load_team(session, team_id))


async def update_team_by_id(db: Database, team_id: int, body: UpdateOrgTeamDto) -> dict[str, Any]:
    async with db.write() as session:
        return team_output(await update_team(session, await load_team(session, team_id), body))


async def delete_team(db: Database, team_id: int) -> dict[str, Any]:
    """Delete the team; its memberships, roles and invites go with it (foreign keys cascade)."""
    async with db.write() as session:
        team = await load_team(session, team_id)
        output = team_output(team)
        await session.delete(team)
        return output
