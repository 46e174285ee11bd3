"""Benchmark of webhook delivery: latency from the commit of an event to its receipt.

Run: python bench/bench_webhook_delivery.py [--events N] [--burst N]

For SQLite (a scratch file) and PostgreSQL (a scratch database on OPENCAL_TEST_POSTGRES_URL, skipped
when unreachable), one user has one signed webhook pointing at a local HTTP receiver. Events are
committed one at a time through the outbox and the time from the end of the committing transaction
to the arrival of the request is measured, with the dispatcher

- inside the process that commits, as `opencal serve` runs it (woken by its own commits), and
- in a separate `opencal worker` process with the default settings (woken by NOTIFY on
  PostgreSQL, polling every second on SQLite).

Then a burst of events committed together measures throughput of the in-process dispatcher.
Prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import asyncpg  # noqa: E402

from opencal.config import Settings  # noqa: E402
from opencal.core.db import Database  # noqa: E402
from opencal.core.security import SecretBox  # noqa: E402
from opencal.models import Base, Webhook  # noqa: E402
from opencal.users import bootstrap  # noqa: E402
from opencal.webhooks.dispatcher import Dispatcher, DispatchPolicy  # noqa: E402
from opencal.webhooks.outbox import enqueue_event  # noqa: E402
from receivers import Receiver  # noqa: E402

SECRET_KEY = "bench-secret-key"
POSTGRES_ADMIN_URL = os.environ.get("OPENCAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def prepare(url: str, receiver_url: str) -> int:
    """A fresh schema, a user and a webhook to the receiver; the user's id."""
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        async with db.write() as session:
            user = (await bootstrap.create_user(session, email="bench@example.com", username="bench")).user
            session.add(
                Webhook(
                    id=str(uuid.uuid4()),
                    user_id=user.id,
                    subscriber_url=receiver_url,
                    triggers=["BOOKING_CREATED"],
                    active=True,
                    secret=SecretBox(SECRET_KEY).encrypt("whsec_bench"),
                )
            )
            return user.id
    finally:
        await db.dispose()


async def commit_event(db: Database, user_id: int, n: int) -> float:
    async with db.write() as session:
        await enqueue_event(session, "BOOKING_CREATED", {"n": n, "title": "Benchmark booking"}, user_id=user_id)
    return time.perf_counter()


async def latencies(db: Database, user_id: int, receiver: Receiver, events: int) -> list[float]:
    out = []
    for n in range(events):
        seen = len(receiver.requests)
        committed = await commit_event(db, user_id, n)
        [*_, request] = await receiver.wait_for(seen + 1, timeout=60)
        out.append((request.received_at - committed) * 1000)
    return out


async def with_in_process_dispatcher(db: Database, work: Callable[[], Awaitable[None]]) -> None:
    stop = asyncio.Event()
    async with Dispatcher(db, SecretBox(SECRET_KEY), DispatchPolicy.from_settings(Settings())) as dispatcher:
        running = asyncio.create_task(dispatcher.run(stop))
        try:
            await work()
        finally:
            stop.set()
            await running


async def with_worker_process(url: str, work: Callable[[], Awaitable[None]]) -> None:
    env = {**os.environ, "OPENCAL_DATABASE_URL": url, "OPENCAL_SECRET_KEY": SECRET_KEY, "OPENCAL_LOG_LEVEL": "WARNING"}
    worker = await asyncio.create_subprocess_exec(sys.executable, "-m", "opencal.cli", "worker", env=env)
    try:
        await asyncio.sleep(1.5)  # let it start (and LISTEN) before measuring
        await work()
    finally:
        worker.terminate()
        await worker.wait()


def summary(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"{label:<44} {statistics.median(ordered):>9.1f} {p95:>9.1f} {ordered[-1]:>9.1f}"


async def bench_backend(name: str, url: str, events: int, burst: int) -> list[str]:
    lines = []
    async with Receiver() as receiver:
        user_id = await prepare(url, receiver.url)
        db = Database(url)
        try:
            measured: list[float] = []

            async def one_at_a_time() -> None:
                measured.extend(await latencies(db, user_id, receiver, events))

            await with_in_process_dispatcher(db, one_at_a_time)
            lines.append(summary(f"{name}: in-process dispatcher (serve)", measured))

            measured = []
            await with_worker_process(url, one_at_a_time)
            wake = "NOTIFY" if name == "postgresql" else "polling 1 s"
            lines.append(summary(f"{name}: opencal worker ({wake})", measured))

            async def burst_of_events() -> None:
                seen = len(receiver.requests)
                started = time.perf_counter()
                async with db.write() as session:
                    for n in range(burst):
                        await enqueue_event(session, "BOOKING_CREATED", {"n": n}, user_id=user_id)
                await receiver.wait_for(seen + burst, timeout=300)
                elapsed = time.perf_counter() - started
                lines.append(f"{name}: burst of {burst} events delivered in {elapsed:.2f} s ({burst / elapsed:.0f}/s)")

            await with_in_process_dispatcher(db, burst_of_events)
        finally:
            await db.dispose()
    return lines


async def main(events: int, burst: int) -> None:
    print(f"webhook delivery, commit -> receipt in ms ({events} events committed one at a time)")
    print(f"{'':<44} {'p50':>9} {'p95':>9} {'max':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        for line in await bench_backend("sqlite", f"sqlite:///{scratch}/bench.db", events, burst):
            print(line)
    name = f"opencal_bench_{uuid.uuid4().hex[:10]}"
    base = POSTGRES_ADMIN_URL.rpartition("/")[0]
    try:
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        print(f"postgresql: skipped ({exc!r})")
        return
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        for line in await bench_backend("postgresql", f"{base}/{name}", events, burst):
            print(line)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--burst", type=int, default=500)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.burst))
