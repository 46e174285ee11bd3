"""Event types: permissions, rules and transactions (cal-api-version 2024-06-14).

The user routes call the `*_for_user` functions and `list_event_types`. Team event types
(`/v2/teams/{teamId}/event-types`, organization routes) reuse the same steps and add only what is
theirs (team_id, scheduling type, hosts, `assignAllTeamMembers`, the team output fields):

    state = new_state(body)                             defaults + body, in the stored shape
    state.update(team_id=..., scheduling_type=...)      the team-specific columns
    await check_inputs(session, actor, body, state)     schedule, video apps, calendars, common rules
    rules.check_contact_field(state)                    team rule (users: check_email_field_accessible)
    row = await insert_event_type(session, state, SLUG_TAKEN_BY_TEAM)
    session.add_all(Host(...) ...)
    output = base_output(row, owner_id=0, users=..., booking_url=...) | team fields

    update: state, changes = updated_state(row, body); check_inputs(...); apply_changes(row, changes)

The slots and bookings engines load an event type through `opencal.event_types.scheduling`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import BadRequest, Conflict, Forbidden, NotFound
from opencal.core.permissions import membership_role, role_at_least
from opencal.event_types import mapping, rules
from opencal.event_types.connections import connected_calendars, connected_conferencing_apps
from opencal.event_types.schemas import (
    BaseEventTypeInput,
    CreateEventTypeInput_2024_06_14,
    InputIntegrationLocation_2024_06_14,
    UpdateEventTypeInput_2024_06_14,
)
from opencal.models import EventType, Host, Team, User
from opencal.schedules.service import find_schedule
from opencal.users.service import get_user

SLUG_TAKEN_BY_USER = "User already has an event type with this slug."
SLUG_TAKEN_BY_TEAM = "Team already has an event type with this slug."
SortOrder = Literal["asc", "desc"]

# -- state ----------------------------------------------------------------------------------------


def stored_state(row: EventType) -> dict[str, Any]:
    """The row as the plain dict `mapping` works on."""
    return {attribute.key: getattr(row, attribute.key) for attribute in EventType.__mapper__.column_attrs}


def new_state(body: BaseEventTypeInput) -> dict[str, Any]:
    """A new event type's stored state: Cal.com's defaults, then the body (which must carry the
    required `lengthInMinutes`, `title` and `slug`)."""
    state = mapping.column_defaults()
    state.update(mapping.column_changes(body, state))
    return state


def updated_state(row: EventType, body: BaseEventTypeInput) -> tuple[dict[str, Any], dict[str, Any]]:
    """The state the update would leave, and the columns it changes."""
    current = stored_state(row)
    changes = mapping.column_changes(body, current)
    return {**current, **changes}, changes


def apply_changes(row: EventType, changes: Mapping[str, Any]) -> None:
    for column, value in changes.items():
        setattr(row, column, value)


# -- checks shared by every event type ------------------------------------------------------------


async def check_inputs(
    session: AsyncSession,
    actor: User,
    body: BaseEventTypeInput,
    state: Mapping[str, Any],
    *,
    schedule_owner_ids: Collection[int] | None = None,
) -> None:
    """What the body points at must be `actor`'s, then the cross-field rules.

    `schedule_owner_ids` (team event types): the schedule may be any of these users' instead.
    """
    sent = body.model_fields_set
    schedule_id = state.get("schedule_id")
    if "scheduleId" in sent and schedule_id is not None:
        schedule = await find_schedule(session, schedule_id)
        owners = {actor.id} if schedule_owner_ids is None else set(schedule_owner_ids)
        if schedule is None or schedule.user_id not in owners:
            raise NotFound(f"User with ID={actor.id} does not own schedule with ID={schedule_id}")
    if "locations" in sent and body.locations:
        await _check_video_apps_connected(session, actor.id, body)
    if "destinationCalendar" in sent and state.get("destination_calendar"):
        calendar = state["destination_calendar"]
        connected = await connected_calendars(session, actor.id)
        match = next(
            (
                c
                for c in connected
                if (c.integration, c.external_id) == (calendar["integration"], calendar["externalId"])
            ),
            None,
        )
        if match is None:
            raise BadRequest("Invalid destinationCalendarId: Calendar does not exist")
        if match.read_only:
            raise BadRequest("Invalid destinationCalendarId: Calendar does not have write permission")
    wants_calendar_email = "useDestinationCalendarEmail" in sent and state.get(
        "use_event_type_destination_calendar_email"
    )
    if wants_calendar_email and not any(c.primary for c in await connected_calendars(session, actor.id)):
        raise BadRequest(
            "Validation failed: A primary connected calendar is required to set useDestinationCalendarEmail"
        )
    rules.check_state(state, sent)


async def _check_video_apps_connected(session: AsyncSession, user_id: int, body: BaseEventTypeInput) -> None:
    needed = [
        mapping.INTEGRATION_APPS[location.integration]
        for location in body.locations or []
        if isinstance(location, InputIntegrationLocation_2024_06_14) and location.integration != "cal-video"
    ]
    if not needed:
        return
    connected = await connected_conferencing_apps(session, user_id)
    for app in needed:
        if app not in connected:
            raise BadRequest(f"{app} not connected.")


async def insert_event_type(session: AsyncSession, state: Mapping[str, Any], slug_taken: str) -> EventType:
    """Insert the row; a slug taken meanwhile by a concurrent request is the same 400 as a checked one."""
    row = EventType(**{key: value for key, value in state.items() if key != "id"})
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        raise BadRequest(slug_taken) from None
    return row


# -- output ---------------------------------------------------------------------------------------


def user_summary(user: User) -> dict[str, Any]:
    """A user as the event type `users` entries show it."""
    return {
        "id": user.id,
        "name": user.name,
        "username": user.username,
        "avatarUrl": user.avatar_url,
        "brandColor": user.brand_color,
        "darkBrandColor": user.dark_brand_color,
        "weekStart": user.week_start,
        "metadata": user.metadata_ or {},
    }


def booking_url(base_url: str, path_owner: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/{path_owner}/{slug}"


def base_output(
    stored: Mapping[str, Any],
    *,
    owner_id: int,
    users: Sequence[User],
    url: str,
    public_fields_only: bool = False,
) -> dict[str, Any]:
    return mapping.event_type_output(
        stored,
        owner_id=owner_id,
        users=[user_summary(user) for user in users],
        booking_url=url,
        public_fields_only=public_fields_only,
    )


def user_event_type_output(
    row: EventType | Mapping[str, Any], owner: User, base_url: str, *, public_fields_only: bool = False
) -> dict[str, Any]:
    stored = stored_state(row) if isinstance(row, EventType) else row
    return base_output(
        stored,
        owner_id=owner.id,
        users=[owner],
        url=booking_url(base_url, owner.username, stored["slug"]),
        public_fields_only=public_fields_only,
    )


# -- lookups --------------------------------------------------------------------------------------


async def _slug_taken(session: AsyncSession, owner_id: int, slug: str, except_id: int | None = None) -> bool:
    query = select(EventType.id).where(EventType.owner_id == owner_id, EventType.slug == slug)
    if except_id is not None:
        query = query.where(EventType.id != except_id)
    return await session.scalar(query.limit(1)) is not None


async def can_read(session: AsyncSession, principal: Principal, row: EventType) -> bool:
    """Owner, host, admin of its team, admin of the owner's or the team's organization, system admin."""
    if principal.is_system_admin or row.owner_id == principal.user_id:
        return True
    if any(host.user_id == principal.user_id for host in row.hosts):
        return True
    organizations: list[int] = []
    if row.team_id is not None:
        if role_at_least(await membership_role(session, row.team_id, principal.user_id), "ADMIN"):
            return True
        team = await session.get(Team, row.team_id)
        if team is not None and team.parent_id is not None:
            organizations.append(team.parent_id)
    if row.owner_id is not None:
        owner = await session.get(User, row.owner_id)
        if owner is not None and owner.organization_id is not None:
            organizations.append(owner.organization_id)
    for organization_id in organizations:
        if role_at_least(await membership_role(session, organization_id, principal.user_id), "ADMIN"):
            return True
    return False


# -- the /v2/event-types operations ---------------------------------------------------------------


async def create_for_user(
    db: Database, user_id: int, body: CreateEventTypeInput_2024_06_14, base_url: str
) -> dict[str, Any]:
    async with db.write() as session:
        owner = await get_user(session, user_id)
        state = {**new_state(body), "owner_id": owner.id}
        await check_inputs(session, owner, body, state)
        rules.check_email_field_accessible(state)
        if await _slug_taken(session, owner.id, state["slug"]):
            raise BadRequest(SLUG_TAKEN_BY_USER)
        row = await insert_event_type(session, state, SLUG_TAKEN_BY_USER)
        return user_event_type_output(row, owner, base_url)


async def get_for_user(db: Database, principal: Principal, event_type_id: int, base_url: str) -> dict[str, Any]:
    async with db.read() as session:
        row = await session.get(EventType, event_type_id)
        if row is None or row.owner_id is None or not await can_read(session, principal, row):
            # Someone else's event type is hidden as missing, as in Cal.com.
            raise NotFound(f"Event type with id {event_type_id} not found")
        owner = await get_user(session, row.owner_id)
        return user_event_type_output(row, owner, base_url)


async def update_for_user(
    db: Database, user_id: int, event_type_id: int, body: UpdateEventTypeInput_2024_06_14, base_url: str
) -> dict[str, Any]:
    async with db.write() as session:
        row = await session.get(EventType, event_type_id)
        if row is None or row.owner_id != user_id:
            raise NotFound(f"Event type with id {event_type_id} not found")
        owner = await get_user(session, user_id)
        state, changes = updated_state(row, body)
        await check_inputs(session, owner, body, state)
        if "bookingFields" in body.model_fields_set:
            rules.check_email_field_accessible(state)
        if "slug" in changes and await _slug_taken(session, owner.id, changes["slug"], except_id=row.id):
            raise Conflict(SLUG_TAKEN_BY_USER)
        apply_changes(row, changes)
        try:
            await session.flush()
        except IntegrityError:
            raise Conflict(SLUG_TAKEN_BY_USER) from None
        return user_event_type_output(row, owner, base_url)


async def delete_for_user(db: Database, user_id: int, event_type_id: int) -> dict[str, Any]:
    async with db.write() as session:
        row = await session.get(EventType, event_type_id)
        if row is None:
            raise NotFound(f"Event type with ID={event_type_id} does not exist.")
        if row.owner_id != user_id:
            raise Forbidden(f"User with ID={user_id} does not own event type with ID={event_type_id}")
        output = mapping.delete_output(stored_state(row))
        await session.delete(row)
        return output


@dataclass(frozen=True, slots=True)
class EventTypesQuery:
    username: str | None = None
    event_slug: str | None = None
    usernames: Sequence[str] | None = None
    org_slug: str | None = None
    org_id: int | None = None
    sort_created_at: SortOrder | None = None


async def list_event_types(
    db: Database, query: EventTypesQuery, viewer_id: int | None, base_url: str
) -> list[dict[str, Any]]:
    """`GET /v2/event-types`: one user's (public unless it is the viewer), a group event of several
    users, or the viewer's own. Hidden booking fields are left out."""
    async with db.read() as session:
        if query.username:
            owner = await find_user_by_username(session, query.username, query.org_slug, query.org_id)
            if owner is None:
                return []
            statement = select(EventType).where(EventType.owner_id == owner.id)
            if viewer_id != owner.id:
                statement = statement.where(EventType.hidden.is_(False))
            if query.event_slug:
                statement = statement.where(EventType.slug == query.event_slug)
            rows = await session.scalars(_ordered(statement, query.sort_created_at))
            return [user_event_type_output(row, owner, base_url, public_fields_only=True) for row in rows]
        if query.usernames:
            users = [
                user
                for username in query.usernames
                if (user := await find_user_by_username(session, username, query.org_slug, query.org_id)) is not None
            ]
            return [_dynamic_event_output(users, base_url)]
        if viewer_id is not None:
            owner = await get_user(session, viewer_id)
            rows = await session.scalars(
                _ordered(select(EventType).where(EventType.owner_id == owner.id), query.sort_created_at)
            )
            return [user_event_type_output(row, owner, base_url, public_fields_only=True) for row in rows]
        return []


def _ordered(statement: Any, sort: SortOrder | None) -> Any:
    if sort == "asc":
        return statement.order_by(EventType.id.asc())
    if sort == "desc":
        return statement.order_by(EventType.id.desc())
    return statement.order_by(EventType.position.desc(), EventType.id.asc())


def _dynamic_event_output(users: Sequence[User], base_url: str) -> dict[str, Any]:
    stored = mapping.dynamic_event_stored()
    path = "+".join(user.username for user in users)
    return base_output(stored, owner_id=0, users=users, url=booking_url(base_url, path, stored["slug"]))


async def find_user_by_username(
    session: AsyncSession, username: str, org_slug: str | None = None, org_id: int | None = None
) -> User | None:
    """The user with this username in the given organization; without one, preferably a user outside
    any organization."""
    statement = select(User).where(User.username == username)
    if org_id is None and org_slug:
        org_id = await session.scalar(
            select(Team.id).where(Team.slug == org_slug, Team.is_organization.is_(True)).limit(1)
        )
        if org_id is None:
            return None
    if org_id is not None:
        return await session.scalar(statement.where(User.organization_id == org_id).limit(1))
    return await session.scalar(statement.order_by(User.organization_id.is_not(None), User.id).limit(1))


async def hosts_of(session: AsyncSession, event_type_ids: Sequence[int]) -> dict[int, list[Host]]:
    if not event_type_ids:
        return {}
    hosts = await session.scalars(select(Host).where(Host.event_type_id.in_(event_type_ids)).order_by(Host.id))
    grouped: dict[int, list[Host]] = {}
    for host in hosts:
        grouped.setdefault(host.event_type_id, []).append(host)
    return grouped
