"""Booking creation throughput through a real server: 16 concurrent clients, each booking distinct
slots, on SQLite and on PostgreSQL. Two shapes: every client books the same host (the host lock
serializes them) and every client books its own host. Prints bookings/s and p50/p95 latency."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import cli, percentiles, server, sqlite_url

CLIENTS = 16
BOOKINGS_PER_CLIENT = 20
LENGTH_MINUTES = 15
FIRST_DAY = datetime(2050, 9, 5, tzinfo=UTC)  # a Monday
POSTGRES_ADMIN_URL = os.environ.get(
    "OPENCAL_BENCH_POSTGRES_URL",
    os.environ.get("OPENCAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)


def weekday_slots() -> Iterator[datetime]:
    """Every 15-minute start of working hours (09:00-17:00 UTC), Monday to Friday, from FIRST_DAY."""
    day = FIRST_DAY
    while True:
        if day.weekday() < 5:
            for index in range(8 * 60 // LENGTH_MINUTES):
                yield day + timedelta(hours=9, minutes=index * LENGTH_MINUTES)
        day += timedelta(days=1)


def create_hosts(database_url: str, base: str, count: int) -> list[int]:
    """`count` users (UTC, the default working hours), each with a 15-minute event type; their ids."""
    event_types = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for index in range(count):
            user = cli(
                database_url,
                "users",
                "create",
                "--email",
                f"host{index}@example.com",
                "--username",
                f"host{index}",
                "--time-zone",
                "UTC",
                "--api-key",
            )
            created = client.post(
                "/v2/event-types",
                json={"title": "Bench", "slug": "bench", "lengthInMinutes": LENGTH_MINUTES, "minimumBookingNotice": 0},
                headers={"Authorization": f"Bearer {user['apiKey']}", "cal-api-version": "2024-06-14"},
            )
            created.raise_for_status()
            event_types.append(int(created.json()["data"]["id"]))
    return event_types


async def book_all(base: str, plan: list[list[tuple[int, datetime]]]) -> tuple[float, list[float]]:
    """Each client books its list of (event type, start) one after the other; wall time and latencies."""
    latencies: list[float] = []

    async def client_run(client: httpx.AsyncClient, index: int, bookings: list[tuple[int, datetime]]) -> None:
        for number, (event_type_id, start) in enumerate(bookings):
            body = {
                "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "eventTypeId": event_type_id,
                "attendee": {"name": "Bench", "email": f"c{index}-{number}@example.com", "timeZone": "UTC"},
            }
            started = time.perf_counter()
            response = await client.post("/v2/bookings", json=body, headers={"cal-api-version": "2024-08-13"})
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 201:
                raise RuntimeError(f"booking failed: {response.status_code} {response.text[:200]}")

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=CLIENTS)) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_run(client, index, bookings) for index, bookings in enumerate(plan)))
        return time.perf_counter() - started, latencies


def run_backend(label: str, database_url: str) -> None:
    cli(database_url, "migrate")
    env = {"OPENCAL_RATE_LIMIT_ENABLED": "false", "OPENCAL_RUN_DISPATCHER": "false"}
    with server(database_url, **env) as base:
        event_types = create_hosts(database_url, base, CLIENTS)
        total = CLIENTS * BOOKINGS_PER_CLIENT
        slots = list(islice(weekday_slots(), total + BOOKINGS_PER_CLIENT + 1))
        # One host: every client books distinct slots of host 0. Own hosts: client i books host i, the
        # same (still free) times for everyone.
        shared = [
            [(event_types[0], slots[c * BOOKINGS_PER_CLIENT + n]) for n in range(BOOKINGS_PER_CLIENT)]
            for c in range(CLIENTS)
        ]
        own = [
            [(event_types[c], start) for start in slots[total : total + BOOKINGS_PER_CLIENT]] for c in range(CLIENTS)
        ]
        asyncio.run(book_all(base, [[(event_types[-1], slots[-1])]]))  # warm up
        for shape, plan in (("one host", shared), (f"{CLIENTS} hosts", own)):
            elapsed, latencies = asyncio.run(book_all(base, plan))
            p50, p95 = percentiles(latencies)
            count = len(latencies)
            print(
                f"{label:<10} {shape:<9} {count} bookings, {CLIENTS} clients: {count / elapsed:7.1f} bookings/s, "
                f"p50 {p50:6.1f} ms, p95 {p95:6.1f} ms"
            )


@contextmanager
def postgres_database() -> Iterator[str | None]:
    name = f"opencal_bench_{uuid.uuid4().hex[:10]}"
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")

    async def execute(statement: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    try:
        asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL  skipped: {POSTGRES_ADMIN_URL} is unreachable ({exc.__class__.__name__})")
        yield None
        return
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    with sqlite_url() as url:
        run_backend("SQLite", url)
    with postgres_database() as url:
        if url is not None:
            run_backend("PostgreSQL", url)


if __name__ == "__main__":
    main()
