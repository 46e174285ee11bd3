"""Private links of an event type: secret booking URLs limited in time or in number of uses.

A link is time-based when it has `expiresAt`, usage-based otherwise (one use when neither is
given). The booking service calls `find_usable_link` and `consume_link` in the transaction of the
booking that uses it. Team routes reuse the `*_links` functions after their own permission check.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core import clock
from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, Forbidden, NotFound
from opencal.core.security import new_uid
from opencal.event_types.schemas import CreatePrivateLinkInput, UpdatePrivateLinkBody
from opencal.models import EventType, EventTypePrivateLink

DELETED_MESSAGE = "Private link deleted successfully"


def _parse_instant(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{field} must be a valid ISO 8601 date string") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def is_expired(link: EventTypePrivateLink, now: datetime) -> bool:
    if link.expires_at is not None:
        return link.expires_at <= now
    return link.max_usage_count is not None and link.usage_count >= link.max_usage_count


def link_output(link: EventTypePrivateLink, event_type: EventType, base_url: str) -> dict[str, Any]:
    """`TimeBasedPrivateLinkOutput` or `UsageBasedPrivateLinkOutput`."""
    output: dict[str, Any] = {
        "linkId": link.link,
        "eventTypeId": link.event_type_id,
        "isExpired": is_expired(link, clock.now()),
        "bookingUrl": f"{base_url.rstrip('/')}/d/{link.link}/{event_type.slug}",
    }
    if link.expires_at is not None:
        output["expiresAt"] = iso_utc(link.expires_at)
    else:
        output["maxUsageCount"] = link.max_usage_count or 0
        output["usageCount"] = link.usage_count
    return output


async def owned_event_type(session: AsyncSession, user_id: int, event_type_id: int) -> EventType:
    row = await session.get(EventType, event_type_id)
    if row is None:
        raise NotFound(f"Event type with id {event_type_id} not found")
    if row.owner_id != user_id:
        raise Forbidden(f"User with ID={user_id} does not own event type with ID={event_type_id}")
    return row


async def _link_of(session: AsyncSession, event_type: EventType, link_id: str) -> EventTypePrivateLink:
    link = await session.scalar(
        select(EventTypePrivateLink).where(
            EventTypePrivateLink.link == link_id, EventTypePrivateLink.event_type_id == event_type.id
        )
    )
    if link is None:
        raise NotFound(f"Private link with ID {link_id} not found for this event type")
    return link


# -- reusable steps -------------------------------------------------------------------------------


async def create_link(
    session: AsyncSession, event_type: EventType, body: CreatePrivateLinkInput
) -> EventTypePrivateLink:
    expires_at = _parse_instant(body.expiresAt, "expiresAt") if body.expiresAt is not None else None
    max_usage = body.maxUsageCount if body.maxUsageCount is not None or expires_at is not None else 1
    link = EventTypePrivateLink(
        event_type_id=event_type.id, link=new_uid(24), expires_at=expires_at, max_usage_count=max_usage
    )
    session.add(link)
    await session.flush()
    return link


async def list_links(session: AsyncSession, event_type: EventType) -> list[EventTypePrivateLink]:
    rows = await session.scalars(
        select(EventTypePrivateLink)
        .where(EventTypePrivateLink.event_type_id == event_type.id)
        .order_by(EventTypePrivateLink.id)
    )
    return list(rows)


async def update_link(
    session: AsyncSession, event_type: EventType, link_id: str, body: UpdatePrivateLinkBody
) -> EventTypePrivateLink:
    """The new limits replace the old ones (a link becomes time-based or usage-based); uses are kept."""
    if body.expiresAt is None and body.maxUsageCount is None:
        raise BadRequest("expiresAt or maxUsageCount is required")
    link = await _link_of(session, event_type, link_id)
    link.expires_at = _parse_instant(body.expiresAt, "expiresAt") if body.expiresAt is not None else None
    link.max_usage_count = body.maxUsageCount
    await session.flush()
    return link


async def delete_link(session: AsyncSession, event_type: EventType, link_id: str) -> None:
    await session.delete(await _link_of(session, event_type, link_id))
    await session.flush()


async def find_usable_link(session: AsyncSession, link_id: str) -> EventTypePrivateLink | None:
    """The link when it exists and is not expired (for booking through `/d/<link>`)."""
    link = await session.scalar(select(EventTypePrivateLink).where(EventTypePrivateLink.link == link_id))
    if link is None or is_expired(link, clock.now()):
        return None
    return link


async def consume_link(session: AsyncSession, link: EventTypePrivateLink) -> None:
    """Count one use, in the booking's transaction."""
    link.usage_count += 1
    await session.flush()


# -- the /v2/event-types/{eventTypeId}/private-links operations ----------------------------------


async def create_for_user(
    db: Database, user_id: int, event_type_id: int, body: CreatePrivateLinkInput, base_url: str
) -> dict[str, Any]:
    async with db.write() as session:
        event_type = await owned_event_type(session, user_id, event_type_id)
        return link_output(await create_link(session, event_type, body), event_type, base_url)


async def list_for_user(db: Database, user_id: int, event_type_id: int, base_url: str) -> list[dict[str, Any]]:
    async with db.read() as session:
        event_type = await owned_event_type(session, user_id, event_type_id)
        return [link_output(link, event_type, base_url) for link in await list_links(session, event_type)]


async def update_for_user(
    db: Database, user_id: int, event_type_id: int, link_id: str, body: UpdatePrivateLinkBody, base_url: str
) -> dict[str, Any]:
    async with db.write() as session:
        event_type = await owned_event_type(session, user_id, event_type_id)
        return link_output(await update_link(session, event_type, link_id, body), event_type, base_url)


async def delete_for_user(db: Database, user_id: int, event_type_id: int, link_id: str) -> dict[str, Any]:
    async with db.write() as session:
        event_type = await owned_event_type(session, user_id, event_type_id)
        await delete_link(session, event_type, link_id)
        return {"linkId": link_id, "message": DELETED_MESSAGE}
