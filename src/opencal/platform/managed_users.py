"""Managed users of an OAuth client and their tokens (BEHAVIOR.md §2.4).

A managed user is a member of the client's organization whose email carries the client id
(`alice+<clientId>@example.com`), so one person may be a managed user of several clients.
"""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.envelope import LimitOffset, iso_utc
from opencal.core.errors import BadRequest, NotFound
from opencal.event_types import service as event_types
from opencal.event_types.schemas import CreateEventTypeInput_2024_06_14
from opencal.me.schemas import UpdateManagedUserInput
from opencal.me.service import apply_profile_update
from opencal.models import Membership, OAuthClient, User
from opencal.models.platform import REFRESH_TOKEN, PlatformToken
from opencal.platform import tokens
from opencal.platform.access import require_client
from opencal.platform.schemas import CreateManagedUserInput
from opencal.users.bootstrap import check_email, create_default_schedule
from opencal.users.service import ensure_email_free, slugify
from opencal.users.validation import check_metadata, check_time_zone

DEFAULT_TIME_ZONE = "Europe/London"
DEFAULT_LOCALE = "en"
DEFAULT_PAGE_SIZE = 50
# What a client with `areDefaultEventTypesEnabled` gives each new managed user, as Cal.com does:
# (title, slug, minutes, with a Cal Video location).
DEFAULT_EVENT_TYPES = (
    ("30 Minutes", "thirty-minutes", 30, False),
    ("30 Minutes", "thirty-minutes-video", 30, True),
    ("60 Minutes", "sixty-minutes", 60, False),
    ("60 Minutes", "sixty-minutes-video", 60, True),
)
_CAL_VIDEO = [{"type": "integration", "integration": "cal-video"}]


def client_email(client_id: str, email: str) -> str:
    """`alice@x.com` -> `alice+<clientId>@x.com`; an email already in that form is kept."""
    if f"+{client_id}@" in email:
        return email
    local, _, domain = email.rpartition("@")
    return f"{local}+{client_id}@{domain}"


def username_from_email(email: str) -> str:
    """The slug of `<local>-<domain>` of the stored email (alice+cid@x.com -> alice-cid-x-com)."""
    local, _, domain = email.rpartition("@")
    return slugify(f"{local}-{domain}")


async def _free_username(session: AsyncSession, base: str, organization_id: int, user_id: int | None) -> str:
    """`base`, or `base-2`, `base-3`... when another user of the organization already has it."""
    query = select(User.username).where(User.organization_id == organization_id, User.username.startswith(base))
    if user_id is not None:
        query = query.where(User.id != user_id)
    taken = set(await session.scalars(query))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def managed_user_output(user: User) -> dict[str, Any]:
    """ManagedUserOutput."""
    return {
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "name": user.name,
        "bio": user.bio,
        "timeZone": user.time_zone,
        "weekStart": user.week_start,
        "createdDate": iso_utc(user.created_at),
        "timeFormat": user.time_format,
        "defaultScheduleId": user.default_schedule_id,
        "locale": user.locale,
        "avatarUrl": user.avatar_url,
        "metadata": user.metadata_,
    }


async def _managed_user(session: AsyncSession, client: OAuthClient, user_id: int) -> User:
    user = await session.scalar(select(User).where(User.id == user_id, User.oauth_client_id == client.id))
    if user is None:
        raise NotFound(f"User with ID {user_id} is not part of this OAuth client.")
    return user


async def create_managed_user(
    db: Database, principal: Principal, client_id: str, body: CreateManagedUserInput, key: str
) -> dict[str, Any]:
    email = client_email(client_id, check_email(body.email))
    if body.timeZone is not None:
        check_time_zone(body.timeZone)
    if body.metadata is not None:
        check_metadata(body.metadata)
    async with db.write() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        await ensure_email_free(session, email)
        user = User(
            email=email,
            username=await _free_username(session, username_from_email(email), client.organization_id, None),
            name=body.name,
            time_zone=body.timeZone or DEFAULT_TIME_ZONE,
            locale=body.locale or DEFAULT_LOCALE,
            avatar_url=body.avatarUrl,
            bio=body.bio,
            metadata_=body.metadata or {},
            organization_id=client.organization_id,
            oauth_client_id=client.id,
        )
        if body.timeFormat is not None:
            user.time_format = body.timeFormat
        if body.weekStart is not None:
            user.week_start = body.weekStart
        session.add(user)
        await session.flush()
        session.add(Membership(team_id=client.organization_id, user_id=user.id, role="MEMBER", accepted=True))
        # Without a time zone the user gets no schedule: the client creates one through /schedules.
        if body.timeZone is not None:
            await create_default_schedule(session, user)
        if client.are_default_event_types_enabled:
            await _create_default_event_types(session, user)
        pair = await tokens.issue_pair(session, client_id=client.id, user_id=user.id, key=key)
        await session.flush()
        return {"user": managed_user_output(user), **pair.keys_output()}


async def _create_default_event_types(session: AsyncSession, user: User) -> None:
    for title, slug, minutes, video in DEFAULT_EVENT_TYPES:
        body = CreateEventTypeInput_2024_06_14(
            title=title, slug=slug, lengthInMinutes=minutes, **({"locations": _CAL_VIDEO} if video else {})
        )
        state = {**event_types.new_state(body), "owner_id": user.id}
        if not video:
            state["locations"] = []  # the plain variants have no location at all
        await event_types.insert_event_type(session, state, event_types.SLUG_TAKEN_BY_USER)


def _lookup_emails(client_id: str, emails: list[str]) -> list[str]:
    """The stored form of each filter email, given in its original or `+clientId` form."""
    stored = []
    for raw in emails:
        try:
            normalized = validate_email(raw, check_deliverability=False).normalized
        except EmailNotValidError:
            raise BadRequest(f"Invalid email {raw}") from None
        stored.append(client_email(client_id, normalized))
    return stored


async def list_managed_users(
    db: Database, principal: Principal, client_id: str, page: LimitOffset, emails: list[str] | None
) -> list[dict[str, Any]]:
    wanted = _lookup_emails(client_id, emails) if emails else None
    async with db.read() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        query = select(User).where(User.oauth_client_id == client.id)
        if wanted is not None:
            query = query.where(func.lower(User.email).in_([email.lower() for email in wanted]))
        query = query.order_by(User.id).offset(page.offset or 0).limit(page.limit or DEFAULT_PAGE_SIZE)
        return [managed_user_output(user) for user in await session.scalars(query)]


async def get_managed_user(db: Database, principal: Principal, client_id: str, user_id: int) -> dict[str, Any]:
    async with db.read() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        return managed_user_output(await _managed_user(session, client, user_id))


async def update_managed_user(
    db: Database, principal: Principal, client_id: str, user_id: int, body: UpdateManagedUserInput
) -> dict[str, Any]:
    """Update the profile; a new email gets the `+clientId` form and a new username."""
    if body.email is not None:
        body = body.model_copy(update={"email": client_email(client_id, check_email(body.email))})
    async with db.write() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        user = await _managed_user(session, client, user_id)
        email_changes = body.email is not None and body.email.lower() != user.email.lower()
        await apply_profile_update(session, user, body)
        if email_changes:
            user.username = await _free_username(
                session, username_from_email(user.email), client.organization_id, user.id
            )
        await session.flush()
        return managed_user_output(user)


async def delete_managed_user(db: Database, principal: Principal, client_id: str, user_id: int) -> dict[str, Any]:
    async with db.write() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        user = await _managed_user(session, client, user_id)
        out = managed_user_output(user)
        await session.delete(user)
        return out


async def force_refresh(db: Database, principal: Principal, client_id: str, user_id: int, key: str) -> dict[str, Any]:
    """A fresh token pair; the user's refresh tokens and expired access tokens are revoked."""
    async with db.write() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        user = await _managed_user(session, client, user_id)
        await tokens.delete_expired_access_tokens(session, client.id, user.id)
        await tokens.delete_refresh_tokens(session, client.id, user.id)
        pair = await tokens.issue_pair(session, client_id=client.id, user_id=user.id, key=key)
        return pair.keys_output()


async def refresh_tokens(
    db: Database, principal: Principal, client_id: str, refresh_token: str, key: str
) -> dict[str, Any]:
    """Rotate a refresh token: the presented one is deleted and a new pair is issued."""
    if principal.kind != "oauth_client" or principal.oauth_client_id != client_id:
        raise BadRequest("Invalid OAuthClient credentials.")
    async with db.write() as session:
        consumed = await session.scalar(
            delete(PlatformToken)
            .where(
                PlatformToken.token_hash == tokens.hash_token(refresh_token),
                PlatformToken.client_id == client_id,
                PlatformToken.kind == REFRESH_TOKEN,
                PlatformToken.expires_at > clock.now(),
            )
            .returning(PlatformToken.user_id)
        )
        if consumed is None:
            raise BadRequest("Invalid refresh token")
        await tokens.delete_expired_access_tokens(session, client_id)
        pair = await tokens.issue_pair(session, client_id=client_id, user_id=consumed, key=key)
        return pair.keys_output()
