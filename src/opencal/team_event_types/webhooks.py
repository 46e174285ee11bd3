"""Webhooks of a team event type: the generic webhook operations, owned by the event type.

The route has checked the caller's role in the team; this access only makes sure the event type is
the team's, and answers a webhook of anything else with Cal.com's guard messages.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.errors import ApiError, BadRequest, Forbidden, NotFound
from opencal.models import EventType, Webhook
from opencal.webhooks.service import OwnerAccess, WebhookOwner

GUARD = "IsTeamEventTypeWebhookGuard"


def team_event_type_access(team_id: int, event_type_id: int) -> OwnerAccess:
    async def authorize(session: AsyncSession) -> None:
        found = await session.scalar(
            select(EventType.id).where(EventType.id == event_type_id, EventType.team_id == team_id)
        )
        if found is None:
            raise NotFound(f"{GUARD} - Event type ({event_type_id}) not found for team ({team_id})")

    def foreign(webhook: Webhook) -> ApiError:
        if webhook.event_type_id is None:
            return BadRequest(f"{GUARD} - Webhook ({webhook.id}) no event type")
        return Forbidden(f"{GUARD} - Webhook mismatch with event type")

    return OwnerAccess(owner=WebhookOwner("event_type", event_type_id), authorize=authorize, foreign=foreign)
