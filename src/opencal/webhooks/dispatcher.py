"""The dispatcher: claims due deliveries from the outbox, POSTs them, records every attempt.

Claiming is one short write transaction: due rows (`pending`, or `delivering` whose lease has lapsed)
are locked with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent dispatchers never claim the
same attempt (on SQLite the write transaction itself is exclusive). A claimed row turns `delivering`
with a fresh claim token and a lease longer than the HTTP timeout: if its dispatcher dies mid-attempt
the row becomes due again when the lease lapses, and the lost attempt is recorded as such. The
result of an attempt is recorded only while the claim is still the dispatcher's own. A failed attempt
is retried after `retry_base * 2^(attempt-1)` seconds until `max_attempts` is reached.

A dispatcher runs inside `opencal serve` (`BackgroundDispatcher`, when `run_dispatcher` is set) and
as `opencal worker`; it wakes on commits of its own process, on PostgreSQL's NOTIFY, and otherwise
polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.config import Settings
from opencal.core import clock
from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from opencal.models.webhooks import DELIVERING, FAILED, PENDING, SUCCEEDED
from opencal.webhooks.delivery import AttemptOutcome, build_request, new_http_client, send
from opencal.webhooks.outbox import WAKE_CHANNEL, local_wakeups

log = logging.getLogger("opencal.webhooks")
LOST_ATTEMPT = "lost: the dispatcher stopped before recording a result"
# Results recorded per transaction, at most.
RECORD_BATCH = 100


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    max_attempts: int = 5
    retry_base_seconds: float = 60.0
    timeout_seconds: float = 10.0
    lease_seconds: float = 60.0
    poll_seconds: float = 1.0
    # Deliveries in flight at once per dispatcher.
    concurrency: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> DispatchPolicy:
        return cls(
            max_attempts=settings.webhook_max_attempts,
            retry_base_seconds=settings.webhook_retry_base_seconds,
            timeout_seconds=settings.webhook_timeout_seconds,
            lease_seconds=max(settings.webhook_lease_seconds, settings.webhook_timeout_seconds + 1),
            poll_seconds=settings.webhook_poll_seconds,
        )

    def retry_delay(self, attempt: int) -> timedelta:
        return timedelta(seconds=self.retry_base_seconds * 2 ** (attempt - 1))


@dataclass(frozen=True, slots=True)
class Claim:
    """One claimed attempt and everything needed to make it without the database."""

    delivery_id: int
    token: str
    attempt: int
    trigger: str
    created_at: datetime
    payload: dict[str, Any]
    subscriber_url: str
    encrypted_secret: str | None
    payload_template: str | None
    version: str


_Result = tuple[Claim, AttemptOutcome, "asyncio.Future[None]"]


class Dispatcher:
    def __init__(self, db: Database, box: SecretBox, policy: DispatchPolicy) -> None:
        self._db = db
        self._box = box
        self.policy = policy
        self._http: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Dispatcher:
        self._http = new_http_client()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- one round, for tests and tools ---------------------------------------------------------

    async def run_once(self) -> int:
        """Claim what is due now (up to `concurrency`), attempt it all, record; returns how many."""
        claims = await self.claim(self.policy.concurrency)
        outcomes = await asyncio.gather(*(self.deliver(claim) for claim in claims))
        if claims:
            await self.record_many(list(zip(claims, outcomes, strict=True)))
        return len(claims)

    # -- the loop ----------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set, then finish the attempts in flight.

        Up to `concurrency` attempts are in flight; their results are recorded together by one
        recorder (one transaction for all the results at hand), and a slot frees once recorded.
        """
        wake = asyncio.Event()
        unregister = local_wakeups.register(wake)
        listener = await self._listen(wake)
        results: asyncio.Queue[_Result] = asyncio.Queue()
        recorder = asyncio.create_task(self._record_continuously(results))
        in_flight: set[asyncio.Task[None]] = set()
        try:
            while not stop.is_set():
                wake.clear()
                free = self.policy.concurrency - len(in_flight)
                if free > 0:
                    for claim in await self._claim_logged(free):
                        task = asyncio.create_task(self._attempt_queued(claim, results))
                        in_flight.add(task)
                        task.add_done_callback(in_flight.discard)
                if listener is not None and listener.is_closed():
                    listener = await self._listen(wake)
                await _wait_any(wake, stop, in_flight, poll_seconds=self.policy.poll_seconds)
            if in_flight:
                await asyncio.gather(*in_flight, return_exceptions=True)
        finally:
            recorder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recorder
            unregister()
            if listener is not None and not listener.is_closed():
                await listener.close()

    async def _attempt_queued(self, claim: Claim, results: asyncio.Queue[_Result]) -> None:
        try:
            outcome = await self.deliver(claim)
        except Exception:
            log.exception("webhook delivery %s attempt %s failed unexpectedly", claim.delivery_id, claim.attempt)
            return
        recorded = asyncio.get_running_loop().create_future()
        await results.put((claim, outcome, recorded))
        await recorded

    async def _record_continuously(self, results: asyncio.Queue[_Result]) -> None:
        while True:
            batch = [await results.get()]
            while not results.empty() and len(batch) < RECORD_BATCH:
                batch.append(results.get_nowait())
            try:
                await self.record_many([(claim, outcome) for claim, outcome, _ in batch])
            except Exception:  # the claims lapse and are retried
                log.exception("recording %s webhook attempts failed", len(batch))
            finally:
                for *_, recorded in batch:
                    if not recorded.done():
                        recorded.set_result(None)

    # -- claim, attempt, record --------------------------------------------------------------------

    async def claim(self, limit: int) -> list[Claim]:
        now = clock.now()
        async with self._db.write() as session:
            due = (
                await session.scalars(
                    select(WebhookDelivery)
                    .where(WebhookDelivery.state.in_((PENDING, DELIVERING)), WebhookDelivery.next_attempt_at <= now)
                    .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            claimed: list[WebhookDelivery] = []
            for delivery in due:
                if delivery.state == DELIVERING:
                    # Its dispatcher's lease lapsed: that attempt is lost, and counts.
                    self._record_lost_attempt(session, delivery, now)
                    if delivery.attempts >= self.policy.max_attempts:
                        continue
                delivery.attempts += 1
                delivery.state = DELIVERING
                delivery.claim_token = uuid.uuid4().hex
                delivery.next_attempt_at = now + timedelta(seconds=self.policy.lease_seconds)
                delivery.updated_at = now
                claimed.append(delivery)
            return await self._claims(session, claimed)

    async def attempt(self, claim: Claim) -> None:
        """Make one attempt and record it; a failure to record leaves the claim to lapse and retry."""
        try:
            outcome = await self.deliver(claim)
            await self.record_many([(claim, outcome)])
        except Exception:
            log.exception("webhook delivery %s attempt %s could not be recorded", claim.delivery_id, claim.attempt)

    async def deliver(self, claim: Claim) -> AttemptOutcome:
        if self._http is None:
            raise RuntimeError("use the dispatcher inside `async with`")
        try:
            secret = self._box.decrypt(claim.encrypted_secret) if claim.encrypted_secret else None
        except ValueError as exc:
            return AttemptOutcome(status_code=None, duration_ms=0, response_excerpt=None, error=str(exc))
        request = build_request(
            subscriber_url=claim.subscriber_url,
            secret=secret,
            payload_template=claim.payload_template,
            version=claim.version,
            trigger=claim.trigger,
            created_at=claim.created_at,
            payload=claim.payload,
        )
        return await send(self._http, request, timeout_seconds=self.policy.timeout_seconds)

    async def record_many(self, results: list[tuple[Claim, AttemptOutcome]]) -> None:
        """Record attempts in one transaction, deciding each delivery's next state while the claim is
        still the one that made the attempt."""
        now = clock.now()
        async with self._db.write() as session:
            ids = [claim.delivery_id for claim, _ in results]
            deliveries = {
                d.id: d
                for d in await session.scalars(
                    select(WebhookDelivery)
                    .where(WebhookDelivery.id.in_(ids))
                    .order_by(WebhookDelivery.id)
                    .with_for_update()
                )
            }
            for claim, outcome in results:
                delivery = deliveries.get(claim.delivery_id)
                if delivery is None:  # its webhook was deleted meanwhile
                    continue
                session.add(
                    WebhookAttempt(
                        delivery_id=delivery.id,
                        attempt=claim.attempt,
                        status_code=outcome.status_code,
                        duration_ms=outcome.duration_ms,
                        response_excerpt=outcome.response_excerpt,
                        error=outcome.error,
                        at=now,
                    )
                )
                if delivery.claim_token == claim.token and delivery.state == DELIVERING:
                    self._settle(delivery, outcome, now)
                # Otherwise the lease lapsed and another dispatcher owns the delivery now.

    def _settle(self, delivery: WebhookDelivery, outcome: AttemptOutcome, now: datetime) -> None:
        delivery.status_code = outcome.status_code
        delivery.duration_ms = outcome.duration_ms
        delivery.response_excerpt = outcome.response_excerpt
        delivery.error = outcome.error
        delivery.claim_token = None
        delivery.updated_at = now
        if outcome.succeeded:
            delivery.state, delivery.next_attempt_at = SUCCEEDED, None
        elif delivery.attempts >= self.policy.max_attempts:
            delivery.state, delivery.next_attempt_at = FAILED, None
        else:
            delivery.state = PENDING
            delivery.next_attempt_at = now + self.policy.retry_delay(delivery.attempts)

    # -- helpers -----------------------------------------------------------------------------------

    def _record_lost_attempt(self, session: AsyncSession, delivery: WebhookDelivery, now: datetime) -> None:
        session.add(WebhookAttempt(delivery_id=delivery.id, attempt=delivery.attempts, error=LOST_ATTEMPT, at=now))
        delivery.error = LOST_ATTEMPT
        delivery.status_code = None
        delivery.claim_token = None
        delivery.updated_at = now
        if delivery.attempts >= self.policy.max_attempts:
            delivery.state, delivery.next_attempt_at = FAILED, None

    async def _claims(self, session: AsyncSession, deliveries: list[WebhookDelivery]) -> list[Claim]:
        if not deliveries:
            return []
        events = {
            e.id: e
            for e in await session.scalars(
                select(WebhookEvent).where(WebhookEvent.id.in_({d.event_id for d in deliveries}))
            )
        }
        webhooks = {
            w.id: w
            for w in await session.scalars(select(Webhook).where(Webhook.id.in_({d.webhook_id for d in deliveries})))
        }
        return [
            Claim(
                delivery_id=d.id,
                token=d.claim_token or "",
                attempt=d.attempts,
                trigger=events[d.event_id].trigger,
                created_at=events[d.event_id].created_at,
                payload=events[d.event_id].payload,
                subscriber_url=webhooks[d.webhook_id].subscriber_url,
                encrypted_secret=webhooks[d.webhook_id].secret,
                payload_template=webhooks[d.webhook_id].payload_template,
                version=webhooks[d.webhook_id].version,
            )
            for d in deliveries
        ]

    async def _claim_logged(self, limit: int) -> list[Claim]:
        try:
            return await self.claim(limit)
        except Exception:  # the database may be briefly away: try again at the next poll
            log.exception("claiming webhook deliveries failed")
            return []

    async def _listen(self, wake: asyncio.Event) -> asyncpg.Connection | None:
        """On PostgreSQL, a connection listening for commits that enqueued deliveries."""
        if self._db.is_sqlite:
            return None
        dsn = make_url(self._db.url).set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            connection: asyncpg.Connection = await asyncpg.connect(dsn, timeout=5)
            await connection.add_listener(WAKE_CHANNEL, lambda *_: wake.set())
        except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
            log.warning("webhook dispatcher cannot LISTEN (%s); polling every %ss", exc, self.policy.poll_seconds)
            return None
        return connection


async def _wait_any(
    wake: asyncio.Event, stop: asyncio.Event, in_flight: set[asyncio.Task[None]], *, poll_seconds: float
) -> None:
    """Until something happens: a wake-up, a stop, an attempt finishing (capacity freed), or the poll."""
    waiters = {asyncio.create_task(wake.wait()), asyncio.create_task(stop.wait())}
    try:
        await asyncio.wait(waiters | in_flight, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        for waiter in waiters:
            with contextlib.suppress(asyncio.CancelledError):
                await waiter


class BackgroundDispatcher:
    """The dispatcher running inside the server process, started and stopped with the app."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, db: Database, box: SecretBox, settings: Settings) -> BackgroundDispatcher:
        background = cls(Dispatcher(db, box, DispatchPolicy.from_settings(settings)))
        background._task = asyncio.create_task(background._run(), name="opencal-webhook-dispatcher")
        return background

    async def _run(self) -> None:
        async with self._dispatcher:
            await self._dispatcher.run(self._stop)

    async def stop(self) -> None:
        """Let attempts in flight finish (at most one HTTP timeout); a cut-off attempt is retried later."""
        self._stop.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._task, timeout=self._dispatcher.policy.timeout_seconds + 5)
        except TimeoutError:
            log.warning("webhook dispatcher did not stop in time; unfinished attempts will be retried")
