"""Webhook delivery to a real HTTP receiver: body, signature, templates, retries, leases, races."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select

from opencal.app import create_app
from opencal.config import Settings
from opencal.core import clock
from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import Webhook, WebhookAttempt, WebhookDelivery
from opencal.webhooks.dispatcher import LOST_ATTEMPT, Dispatcher, DispatchPolicy
from opencal.webhooks.outbox import enqueue_event
from receivers import Receiver
from support import add_webhook, create_user

CREATED_AT = datetime(2030, 1, 8, 13, 0, tzinfo=UTC)
PAYLOAD: dict[str, Any] = {
    "title": "Intro between Olga and Bea",
    "type": "intro",
    "organizer": {"name": "Olga", "email": "olga@example.com", "timeZone": "Europe/Rome"},
    "attendees": [{"name": "Bea", "email": "bea@example.com"}],
    "metadata": {"videoCallUrl": "https://meet.example.com/x"},
}
FAST = DispatchPolicy(max_attempts=5, retry_base_seconds=0.01, timeout_seconds=5, lease_seconds=30, poll_seconds=0.05)


@pytest.fixture
async def dispatcher(db: Database) -> AsyncIterator[Dispatcher]:
    async with Dispatcher(db, SecretBox("test-secret-key"), FAST) as running:
        yield running


async def enqueue(
    db: Database, user_id: int, payload: dict[str, Any] | None = None, trigger: str = "BOOKING_CREATED"
) -> int:
    async with db.write() as session:
        event_id = await enqueue_event(session, trigger, payload or PAYLOAD, user_id=user_id, created_at=CREATED_AT)
    assert event_id is not None
    return event_id


async def unsettled(db: Database) -> int:
    async with db.read() as session:
        query = select(func.count()).where(WebhookDelivery.state.in_(("pending", "delivering")))
        return int(await session.scalar(query) or 0)


async def settle(*dispatchers: Dispatcher, db: Database) -> list[int]:
    """Run each dispatcher round after round until no delivery is left to attempt; claims per dispatcher."""
    claimed = [0] * len(dispatchers)

    async def drive(index: int, dispatcher: Dispatcher) -> None:
        while await unsettled(db):
            handled = await dispatcher.run_once()
            claimed[index] += handled
            if not handled:
                await asyncio.sleep(0.01)

    async with asyncio.timeout(60):
        await asyncio.gather(*(drive(i, d) for i, d in enumerate(dispatchers)))
    return claimed


async def attempts(db: Database) -> list[tuple[int, int, int | None, str | None]]:
    async with db.read() as session:
        found = await session.execute(
            select(
                WebhookAttempt.delivery_id, WebhookAttempt.attempt, WebhookAttempt.status_code, WebhookAttempt.error
            ).order_by(WebhookAttempt.delivery_id, WebhookAttempt.id)
        )
        return [tuple(row) for row in found]  # type: ignore[misc]


async def only_delivery(db: Database) -> WebhookDelivery:
    async with db.read() as session:
        [delivery] = (await session.scalars(select(WebhookDelivery))).all()
        return delivery


def expected_signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def test_signed_json_body(db: Database, dispatcher: Dispatcher) -> None:
    user = await create_user(db)
    async with Receiver() as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id, secret="whsec_1")
        await enqueue(db, user.id)
        await settle(dispatcher, db=db)
        [request] = await receiver.wait_for(1)
    assert (request.method, request.path) == ("POST", "/hook")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-cal-webhook-version"] == "2021-10-20"
    assert request.headers["x-cal-signature-256"] == expected_signature("whsec_1", request.body)
    assert request.json() == {
        "triggerEvent": "BOOKING_CREATED",
        "createdAt": "2030-01-08T13:00:00.000Z",
        "payload": PAYLOAD,
    }
    assert b": " not in request.body and b", " not in request.body  # compact, as JSON.stringify writes it
    delivery = await only_delivery(db)
    assert (delivery.state, delivery.attempts, delivery.status_code, delivery.error) == ("succeeded", 1, 200, None)
    assert delivery.response_excerpt == '{"received":true}'
    assert delivery.next_attempt_at is None and delivery.duration_ms is not None
    assert await attempts(db) == [(delivery.id, 1, 200, None)]


async def test_without_a_secret_the_signature_header_says_so(db: Database, dispatcher: Dispatcher) -> None:
    user = await create_user(db)
    async with Receiver() as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id)
        await enqueue(db, user.id)
        await settle(dispatcher, db=db)
        [request] = await receiver.wait_for(1)
    assert request.headers["x-cal-signature-256"] == "no-secret-provided"


async def test_json_template_is_rendered_and_reserialised(db: Database, dispatcher: Dispatcher) -> None:
    user = await create_user(db)
    template = (
        '{"content": "A new event: {{triggerEvent}}", "type": "{{type}}", "name": "{{title}}",'
        ' "organizer": "{{organizer.name}}", "booker": "{{attendees.0.name}}", "at": "{{createdAt}}",'
        ' "missing": "{{nothing.here}}"}'
    )
    async with Receiver() as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id, secret="k", payload_template=template)
        await enqueue(db, user.id)
        await settle(dispatcher, db=db)
        [request] = await receiver.wait_for(1)
    assert request.headers["content-type"] == "application/json"
    assert request.body.decode() == (
        '{"content":"A new event: BOOKING_CREATED","type":"intro","name":"Intro between Olga and Bea",'
        '"organizer":"Olga","booker":"Bea","at":"2030-01-08T13:00:00.000Z","missing":""}'
    )
    assert request.headers["x-cal-signature-256"] == expected_signature("k", request.body)


async def test_objects_render_as_json_and_a_non_json_template_is_form_encoded(
    db: Database, dispatcher: Dispatcher
) -> None:
    user = await create_user(db)
    # Not JSON before rendering (the placeholders are bare), so Cal.com's content type is form-encoded.
    template = '{"org": {{organizer}}, "who": {{attendees}}, "meta": {{metadata}}, "title": "{{{title}}}"}'
    async with Receiver() as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id, payload_template=template)
        await enqueue(db, user.id)
        await settle(dispatcher, db=db)
        [request] = await receiver.wait_for(1)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert json.loads(request.body) == {
        "org": PAYLOAD["organizer"],
        "who": PAYLOAD["attendees"],
        "meta": PAYLOAD["metadata"],
        "title": PAYLOAD["title"],
    }


async def test_text_template_and_json_that_breaks_when_rendered(db: Database, dispatcher: Dispatcher) -> None:
    user = await create_user(db)
    quoted = {**PAYLOAD, "title": 'Say "hi"'}
    async with Receiver() as receiver:
        await add_webhook(
            db,
            receiver.url,
            ["BOOKING_CREATED"],
            user_id=user.id,
            payload_template="Booked: {{title}} with {{organizer.name}}",
        )
        await add_webhook(
            db, receiver.url + "/json", ["BOOKING_CREATED"], user_id=user.id, payload_template='{"name":"{{title}}"}'
        )
        await enqueue(db, user.id, quoted)
        await settle(dispatcher, db=db)
        requests = sorted(await receiver.wait_for(2), key=lambda r: r.path)
    assert (requests[0].path, requests[0].body) == ("/hook", b'Booked: Say "hi" with Olga')
    assert requests[0].headers["content-type"] == "application/x-www-form-urlencoded"
    # The rendered text is no longer JSON: Cal.com sends `false`.
    assert (requests[1].path, requests[1].body) == ("/hook/json", b"false")
    assert requests[1].headers["content-type"] == "application/json"


async def test_two_failures_then_success_is_delivered_on_the_third_attempt(
    db: Database, dispatcher: Dispatcher
) -> None:
    user = await create_user(db)
    async with Receiver(statuses=[500, 500]) as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id, secret="s")
        await enqueue(db, user.id)
        await settle(dispatcher, db=db)
        requests = await receiver.wait_for(3)
        assert len(receiver.requests) == 3
    assert len({r.body for r in requests}) == 1  # the same event each time
    delivery = await only_delivery(db)
    assert (delivery.state, delivery.attempts, delivery.status_code, delivery.error) == ("succeeded", 3, 200, None)
    assert await attempts(db) == [
        (delivery.id, 1, 500, "HTTP 500"),
        (delivery.id, 2, 500, "HTTP 500"),
        (delivery.id, 3, 200, None),
    ]


async def test_a_delivery_fails_after_its_last_attempt_and_the_cli_lists_it(
    db: Database, settings: Settings, database_url: str
) -> None:
    user = await create_user(db)
    policy = DispatchPolicy(max_attempts=2, retry_base_seconds=0.01, timeout_seconds=5, lease_seconds=30)
    async with Receiver(default_status=503) as receiver, Dispatcher(db, SecretBox("test-secret-key"), policy) as d:
        webhook_id = await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id)
        event_id = await enqueue(db, user.id)
        await settle(d, db=db)
        assert len(receiver.requests) == 2
    delivery = await only_delivery(db)
    assert (delivery.state, delivery.attempts, delivery.status_code, delivery.error) == ("failed", 2, 503, "HTTP 503")
    env = {**os.environ, "OPENCAL_DATABASE_URL": database_url}
    for args in (["--failed"], []):
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "opencal.cli", "webhooks", "deliveries", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        [line] = result.stdout.strip().splitlines()
        listed = json.loads(line)
        assert listed["count"] == 1
        [row] = listed["deliveries"]
        assert {
            k: row[k] for k in ("id", "eventId", "webhookId", "trigger", "state", "attempts", "lastStatusCode")
        } == {
            "id": delivery.id,
            "eventId": event_id,
            "webhookId": webhook_id,
            "trigger": "BOOKING_CREATED",
            "state": "failed",
            "attempts": 2,
            "lastStatusCode": 503,
        }
        assert row["lastError"] == "HTTP 503" and row["subscriberUrl"] == receiver.url


async def test_an_unreachable_subscriber_is_an_attempt_with_an_error(db: Database, dispatcher: Dispatcher) -> None:
    user = await create_user(db)
    async with Receiver() as closed:
        url = closed.url  # a port nobody listens on once the receiver is closed
    await add_webhook(db, url, ["BOOKING_CREATED"], user_id=user.id)
    await enqueue(db, user.id)
    assert await dispatcher.run_once() == 1
    delivery = await only_delivery(db)
    assert (delivery.state, delivery.attempts, delivery.status_code) == ("pending", 1, None)
    assert delivery.error is not None and delivery.error.startswith("ConnectError")
    [(_, number, status, error)] = await attempts(db)
    assert (number, status, error) == (1, None, delivery.error)


async def test_a_claim_whose_dispatcher_died_is_retried_after_its_lease(db: Database, dispatcher: Dispatcher) -> None:
    user = await create_user(db)
    async with Receiver() as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id)
        await enqueue(db, user.id)
        [claim] = await dispatcher.claim(10)  # ...and the dispatcher dies before attempting it
        assert await dispatcher.run_once() == 0  # leased: nobody else takes it
        later = clock.now() + timedelta(seconds=FAST.lease_seconds + 1)
        clock.set_clock(lambda: later)
        try:
            assert await dispatcher.run_once() == 1
        finally:
            clock.set_clock(None)
        await receiver.wait_for(1)
    delivery = await only_delivery(db)
    assert (delivery.state, delivery.attempts) == ("succeeded", 2)
    assert await attempts(db) == [(claim.delivery_id, 1, None, LOST_ATTEMPT), (claim.delivery_id, 2, 200, None)]


async def test_a_late_result_of_a_lapsed_claim_is_recorded_but_decides_nothing(
    db: Database, dispatcher: Dispatcher
) -> None:
    user = await create_user(db)
    async with Receiver(default_status=500) as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id)
        await enqueue(db, user.id)
        [slow] = await dispatcher.claim(10)
        later = clock.now() + timedelta(seconds=FAST.lease_seconds + 1)
        clock.set_clock(lambda: later)
        try:
            [fresh] = await dispatcher.claim(10)
            receiver.answer(200)
            await dispatcher.attempt(fresh)
            await dispatcher.attempt(slow)  # the first dispatcher finally answers, with a 500
        finally:
            clock.set_clock(None)
    delivery = await only_delivery(db)
    assert (delivery.state, delivery.attempts, delivery.status_code) == ("succeeded", 2, 200)
    assert await attempts(db) == [
        (delivery.id, 1, None, LOST_ATTEMPT),
        (delivery.id, 2, 200, None),
        (delivery.id, 1, 500, "HTTP 500"),
    ]


async def test_a_webhook_deleted_while_its_delivery_is_in_flight(db: Database, dispatcher: Dispatcher) -> None:
    user = await create_user(db)
    async with Receiver() as receiver:
        webhook_id = await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id)
        await enqueue(db, user.id)
        [claim] = await dispatcher.claim(10)
        async with db.write() as session:
            await session.execute(delete(Webhook).where(Webhook.id == webhook_id))
        await dispatcher.attempt(claim)
        await receiver.wait_for(1)
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
        assert await session.scalar(select(func.count()).select_from(WebhookAttempt)) == 0


async def test_two_dispatchers_racing_deliver_each_event_exactly_once(settings: Settings, db: Database) -> None:
    user = await create_user(db)
    policy = DispatchPolicy(max_attempts=3, retry_base_seconds=0.01, timeout_seconds=5, lease_seconds=30, concurrency=5)
    box = SecretBox("test-secret-key")
    first_db, second_db = Database(settings.database_url), Database(settings.database_url)
    try:
        async with Receiver(delay_seconds=0.01) as receiver:
            await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id)
            for n in range(50):
                await enqueue(db, user.id, {"n": n})
            async with Dispatcher(first_db, box, policy) as first, Dispatcher(second_db, box, policy) as second:
                claimed = await settle(first, second, db=db)
            received = [r.json()["payload"]["n"] for r in receiver.requests]
    finally:
        await first_db.dispose()
        await second_db.dispose()
    assert sorted(received) == list(range(50))  # every event, none twice
    assert sum(claimed) == 50 and min(claimed) > 0  # both dispatchers took part
    async with db.read() as session:
        states = (await session.execute(select(WebhookDelivery.state, WebhookDelivery.attempts))).all()
        assert set(states) == {("succeeded", 1)} and len(states) == 50
        assert await session.scalar(select(func.count()).select_from(WebhookAttempt)) == 50


async def test_the_server_runs_a_dispatcher_woken_by_commits(settings: Settings, db: Database) -> None:
    user = await create_user(db)
    # A poll far longer than the wait below: only the commit's wake-up can deliver in time.
    serving = settings.model_copy(update={"run_dispatcher": True, "webhook_poll_seconds": 600.0})
    app: FastAPI = create_app(serving, database=db)
    async with Receiver() as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id, secret="s")
        async with app.router.lifespan_context(app):
            await enqueue(db, user.id)
            [request] = await receiver.wait_for(1, timeout=30)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
                assert (await http.get("/v2/webhooks", headers=user.headers)).status_code == 200
        # Stopping the server let the attempt in flight finish and record its result.
    assert request.headers["x-cal-signature-256"] == expected_signature("s", request.body)
    assert (await only_delivery(db)).state == "succeeded"
