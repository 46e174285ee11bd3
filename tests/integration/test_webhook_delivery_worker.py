"""`opencal worker` as a real process: killed with SIGKILL mid-run, nothing committed is lost."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import WebhookAttempt, WebhookDelivery
from opencal.webhooks.dispatcher import LOST_ATTEMPT
from opencal.webhooks.outbox import enqueue_event
from receivers import Receiver
from support import add_webhook, create_user

EVENTS = 60


async def start_worker(database_url: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "OPENCAL_DATABASE_URL": database_url,
        "OPENCAL_SECRET_KEY": "test-secret-key",
        "OPENCAL_LOG_LEVEL": "WARNING",
        "OPENCAL_WEBHOOK_TIMEOUT_SECONDS": "2",
        "OPENCAL_WEBHOOK_LEASE_SECONDS": "3",
        "OPENCAL_WEBHOOK_RETRY_BASE_SECONDS": "0.1",
        "OPENCAL_WEBHOOK_POLL_SECONDS": "0.1",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "opencal.cli",
        "worker",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def states(db: Database) -> dict[str, int]:
    async with db.read() as session:
        rows = await session.execute(select(WebhookDelivery.state, func.count()).group_by(WebhookDelivery.state))
        return {state: count for state, count in rows}


async def test_a_killed_worker_loses_nothing(database_url: str, db: Database) -> None:
    user = await create_user(db)
    # Slow answers keep attempts in flight when the worker is killed.
    async with Receiver(delay_seconds=0.3) as receiver:
        await add_webhook(db, receiver.url, ["BOOKING_CREATED"], user_id=user.id, secret="s")
        for n in range(EVENTS):
            async with db.write() as session:
                await enqueue_event(session, "BOOKING_CREATED", {"n": n}, user_id=user.id)

        worker = await start_worker(database_url)
        try:
            await receiver.wait_for(5, timeout=60)
        finally:
            worker.kill()  # SIGKILL: no chance to finish or record anything
            await worker.wait()
        assert worker.returncode == -signal.SIGKILL
        received_before_restart = len(receiver.requests)
        assert received_before_restart < EVENTS
        assert (await states(db)).get("delivering", 0) > 0  # claims the dead worker left behind

        worker = await start_worker(database_url)
        try:
            async with asyncio.timeout(120):
                while await states(db) != {"succeeded": EVENTS}:
                    assert worker.returncode is None, await worker.stderr.read()  # type: ignore[union-attr]
                    await asyncio.sleep(0.2)
        finally:
            worker.send_signal(signal.SIGTERM)
            _, stderr = await worker.communicate()
        assert worker.returncode == 0, stderr.decode()
        received = {request.json()["payload"]["n"] for request in receiver.requests}

    assert received == set(range(EVENTS))  # at least once, every committed event
    async with db.read() as session:
        lost = await session.scalar(select(func.count()).where(WebhookAttempt.error == LOST_ATTEMPT))
    assert lost is not None and lost > 0  # the killed worker's attempts were taken over after their lease
