"""Private links of an organization team's event types: the user event type operations, within the team."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.errors import NotFound
from opencal.event_types import private_links
from opencal.event_types.schemas import CreatePrivateLinkInput, UpdatePrivateLinkBody
from opencal.models import EventType
from opencal.team_event_types.service import team_event_type


async def _event_type(session: AsyncSession, team_id: int, event_type_id: int) -> EventType:
    row = await team_event_type(session, team_id, event_type_id)
    if row is None:
        raise NotFound(f"Event type with id {event_type_id} not found")
    return row


async def create_link(
    db: Database, team_id: int, event_type_id: int, body: CreatePrivateLinkInput, base_url: str
) -> dict[str, Any]:
    async with db.write() as session:
        row = await _event_type(session, team_id, event_type_id)
        return private_links.link_output(await private_links.create_link(session, row, body), row, base_url)


async def list_links(db: Database, team_id: int, event_type_id: int, base_url: str) -> list[dict[str, Any]]:
    async with db.read() as session:
        row = await _event_type(session, team_id, event_type_id)
        return [private_links.link_output(link, row, base_url) for link in await private_links.list_links(session, row)]


async def update_link(
    db: Database, team_id: int, event_type_id: int, link_id: str, body: UpdatePrivateLinkBody, base_url: str
) -> dict[str, Any]:
    async with db.write() as session:
        row = await _event_type(session, team_id, event_type_id)
        link = await private_links.update_link(session, row, link_id, body)
        return private_links.link_output(link, row, base_url)


async def delete_link(db: Database, team_id: int, event_type_id: int, link_id: str) -> dict[str, Any]:
    async with db.write() as session:
        row = await _event_type(session, team_id, event_type_id)
        await private_links.delete_link(session, row, link_id)
        return {"linkId": link_id, "message": private_links.DELETED_MESSAGE}
