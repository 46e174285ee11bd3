"""The transactional outbox: how other domains report an event to webhooks.

Call `enqueue_event` inside your own `db.write()` transaction, next to the change it reports: the
event and its deliveries commit (or roll back) with that change, and dispatchers deliver them after
the commit. For example, in the booking service:

    async with db.write() as session:
        booking = ...  # the change
        await enqueue_event(
            session,
            "BOOKING_CREATED",
            booking_payload("BOOKING_CREATED", facts),   # opencal.webhooks.payloads
            user_id=booking.user_id,
            event_type_id=event_type.id,
            parent_event_type_id=event_type.parent_id,
            team_ids=[team_id, organization_id],
            oauth_client_id=organizer.oauth_client_id,
        )
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, event, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from opencal.core import clock
from opencal.models import Webhook, WebhookDelivery, WebhookEvent
from opencal.models.webhooks import PENDING
from opencal.webhooks.triggers import KNOWN_TRIGGERS

# PostgreSQL channel notified by every transaction that enqueues deliveries (NOTIFY is sent at commit).
WAKE_CHANNEL = "opencal_webhooks"
_WAKE_PENDING = "opencal_webhooks_wake"


async def enqueue_event(
    session: AsyncSession,
    trigger: str,
    payload: dict[str, Any],
    *,
    user_id: int | None = None,
    event_type_id: int | None = None,
    parent_event_type_id: int | None = None,
    team_ids: Iterable[int | None] = (),
    oauth_client_id: str | None = None,
    created_at: datetime | None = None,
) -> int | None:
    """Write the event and one delivery per active webhook subscribed to `trigger` among the owners it
    concerns (BEHAVIOR.md §5.1): the organizer `user_id`, the event type and its managed parent, the
    teams and organization, the OAuth client of a managed user. Returns the event id, or None when no
    webhook listens (nothing is written then).
    """
    if trigger not in KNOWN_TRIGGERS:
        raise ValueError(f"unknown webhook trigger {trigger!r}")
    event_type_ids = sorted({i for i in (event_type_id, parent_event_type_id) if i is not None})
    teams = sorted({i for i in team_ids if i is not None})
    owners: list[ColumnElement[bool]] = []
    if user_id is not None:
        owners.append(Webhook.user_id == user_id)
    if event_type_ids:
        owners.append(Webhook.event_type_id.in_(event_type_ids))
    if teams:
        owners.append(Webhook.team_id.in_(teams))
    if oauth_client_id is not None:
        owners.append(Webhook.oauth_client_id == oauth_client_id)
    if not owners:
        return None
    candidates = await session.scalars(
        select(Webhook).where(Webhook.active.is_(True), or_(*owners)).order_by(Webhook.created_at, Webhook.id)
    )
    # Triggers are a JSON list: filtered here rather than with dialect-specific JSON operators.
    subscribed = [webhook for webhook in candidates if trigger in webhook.triggers]
    if not subscribed:
        return None
    now = clock.now()
    outbox_event = WebhookEvent(
        trigger=trigger,
        payload=payload,
        created_at=created_at or now,
        user_id=user_id,
        event_type_ids=event_type_ids,
        team_ids=teams,
        oauth_client_id=oauth_client_id,
    )
    session.add(outbox_event)
    await session.flush()
    session.add_all(
        WebhookDelivery(
            event_id=outbox_event.id,
            webhook_id=webhook.id,
            state=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        for webhook in subscribed
    )
    await session.flush()
    await _wake_dispatchers_after_commit(session)
    return outbox_event.id


# -- waking dispatchers as soon as the transaction commits ---------------------------------------


class LocalWakeups:
    """Dispatchers of this process, woken when a transaction of this process commits new deliveries
    (dispatchers elsewhere hear PostgreSQL's NOTIFY, or poll)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._targets: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}

    def register(self, wake: asyncio.Event) -> Callable[[], None]:
        key = id(wake)
        with self._lock:
            self._targets[key] = (asyncio.get_running_loop(), wake)

        def unregister() -> None:
            with self._lock:
                self._targets.pop(key, None)

        return unregister

    def notify(self) -> None:
        with self._lock:
            targets = list(self._targets.values())
        for loop, wake in targets:
            if not loop.is_closed():
                loop.call_soon_threadsafe(wake.set)


local_wakeups = LocalWakeups()


async def _wake_dispatchers_after_commit(session: AsyncSession) -> None:
    if session.info.get(_WAKE_PENDING):
        return
    session.info[_WAKE_PENDING] = True
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text(f"NOTIFY {WAKE_CHANNEL}"))
    event.listen(session.sync_session, "after_commit", _after_commit, once=True)


def _after_commit(session: Session) -> None:
    session.info.pop(_WAKE_PENDING, None)
    local_wakeups.notify()
