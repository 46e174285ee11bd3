"""`opencal worker` (a webhook dispatcher process) and `opencal webhooks deliveries`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.security import SecretBox, load_or_create_secret_key
from opencal.models import Webhook, WebhookDelivery, WebhookEvent
from opencal.models.webhooks import FAILED
from opencal.webhooks.dispatcher import Dispatcher, DispatchPolicy

log = logging.getLogger("opencal.webhooks")


def register(sub: Any) -> None:
    p = sub.add_parser("worker", help="deliver webhooks from the outbox until stopped (SIGTERM/SIGINT)")
    p.set_defaults(handler=cmd_worker)

    webhooks = sub.add_parser("webhooks")
    actions = webhooks.add_subparsers(dest="action", required=True, parser_class=type(webhooks))
    p = actions.add_parser("deliveries", help="list webhook deliveries, newest first")
    p.add_argument("--failed", action="store_true", help="only deliveries that ran out of attempts")
    p.add_argument("--limit", type=_positive_int, default=100)
    p.set_defaults(handler=cmd_deliveries)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_work(settings))
    return {"stopped": True}


async def _work(settings: Settings) -> None:
    db = Database(settings.database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        box = SecretBox(await load_or_create_secret_key(db, settings.secret_key))
        async with Dispatcher(db, box, DispatchPolicy.from_settings(settings)) as dispatcher:
            log.info("webhook worker started on %s", make_url(db.url).render_as_string(hide_password=True))
            await dispatcher.run(stop)
    finally:
        await db.dispose()


def cmd_deliveries(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    async def work() -> dict[str, Any]:
        db = Database(settings.database_url)
        try:
            async with db.read() as session:
                query = (
                    select(WebhookDelivery, WebhookEvent.trigger, Webhook.subscriber_url)
                    .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
                    .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                    .order_by(WebhookDelivery.id.desc())
                    .limit(args.limit)
                )
                if args.failed:
                    query = query.where(WebhookDelivery.state == FAILED)
                rows = (await session.execute(query)).all()
        finally:
            await db.dispose()
        deliveries = [_delivery_output(delivery, trigger, url) for delivery, trigger, url in rows]
        return {"deliveries": deliveries, "count": len(deliveries)}

    return asyncio.run(work())


def _delivery_output(delivery: WebhookDelivery, trigger: str, subscriber_url: str) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "eventId": delivery.event_id,
        "webhookId": delivery.webhook_id,
        "subscriberUrl": subscriber_url,
        "trigger": trigger,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "lastStatusCode": delivery.status_code,
        "lastError": delivery.error,
        "lastDurationMs": delivery.duration_ms,
        "nextAttemptAt": iso_utc(delivery.next_attempt_at),
        "createdAt": iso_utc(delivery.created_at),
        "updatedAt": iso_utc(delivery.updated_at),
    }


def _positive_int(value: str) -> int:
    number = int(value) if value.isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer: {value}")
    return number
