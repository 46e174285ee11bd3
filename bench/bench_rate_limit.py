"""What the rate limiter adds to a request: `GET /v2/me` with and without it.

Run: python bench/bench_rate_limit.py [--requests N] [--redis URL]

Serves the app in-process (httpx ASGI transport, no network) on a fresh SQLite file, with one user
and API key, and times N requests per configuration, interleaved one by one so that load changes
hit all of them alike. Prints the median and p95 latency in milliseconds of each configuration,
the added cost of the limiter in percent of the median, and the limiter's own time per request
(counting alone, no HTTP) in microseconds. With --redis (or OPENCAL_REDIS_URL) the Redis store is
measured too (its counters live under a throwaway key prefix, deleted at the end).
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
from pathlib import Path

import httpx
from starlette.types import Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opencal.app import create_app
from opencal.config import Settings
from opencal.core import migrate
from opencal.core.db import Database
from opencal.core.ratelimit import RateLimitMiddleware, classify
from opencal.users import bootstrap

HIGH_LIMIT = 10**9


async def _make_key(db: Database) -> str:
    async with db.write() as session:
        created = await bootstrap.create_user(session, email="bench@example.com", username="bench", with_api_key=True)
    assert created.api_key is not None
    return created.api_key


async def _time_requests(client: httpx.AsyncClient, headers: dict[str, str], count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get("/v2/me", headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"unexpected {response.status_code}: {response.text}")
    return timings


async def run(url: str, requests: int, redis_url: str | None) -> None:
    base = Settings(
        database_url=url,
        secret_key="bench-secret-key",
        run_dispatcher=False,
        log_level="WARNING",
        rate_limit_api_key=HIGH_LIMIT,
        rate_limit_key_prefix=f"opencal-bench-{uuid.uuid4().hex[:8]}",
    )
    configurations = {
        "no rate limiting": base.model_copy(update={"rate_limit_enabled": False}),
        "rate limiting (memory)": base,
    }
    if redis_url:
        configurations["rate limiting (redis)"] = base.model_copy(update={"redis_url": redis_url})
    db = Database(url)
    try:
        headers = {"Authorization": f"Bearer {await _make_key(db)}"}
        clients = {
            name: httpx.AsyncClient(
                transport=httpx.ASGITransport(app=create_app(settings, database=db)), base_url="http://bench"
            )
            for name, settings in configurations.items()
        }
        timings: dict[str, list[float]] = {name: [] for name in clients}
        for client in clients.values():
            await _time_requests(client, headers, 50)  # warm-up
        # One request per configuration in turn, so that load changes hit every configuration alike.
        for _ in range(requests):
            for name, client in clients.items():
                timings[name].extend(await _time_requests(client, headers, 1))
        for client in clients.values():
            await client.aclose()
    finally:
        await db.dispose()
    decision_memory = await _decision_cost(base)
    decision_redis = await _decision_cost(configurations["rate limiting (redis)"], 2000) if redis_url else None
    if redis_url:
        _delete_keys(redis_url, base.rate_limit_key_prefix)

    baseline = statistics.median(timings["no rate limiting"])
    print(f"GET /v2/me, {requests} requests per configuration, interleaved (in-process, SQLite)")
    for name, values in timings.items():
        median = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[-1]
        added = (median - baseline) / baseline * 100
        suffix = "" if name == "no rate limiting" else f"  added: {added:+.1f}%"
        print(f"  {name:<24} median {median:.3f} ms  p95 {p95:.3f} ms{suffix}")
    print(f"limiter alone, per request: memory {decision_memory:.1f} us", end="")
    print(f", redis {decision_redis:.1f} us" if decision_redis is not None else "")


async def _decision_cost(settings: Settings, count: int = 20_000) -> float:
    """Microseconds the limiter spends on one request (classify + count), alone."""
    limiter = RateLimitMiddleware(_no_app, settings)
    scope = {"type": "http", "path": "/v2/me", "headers": [(b"authorization", b"Bearer cal_" + b"0" * 32)]}
    started = time.perf_counter()
    for _ in range(count):
        await limiter.decide(*classify(scope, settings.api_key_prefix))
    return (time.perf_counter() - started) / count * 1_000_000


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("not called")


def _delete_keys(redis_url: str, prefix: str) -> None:
    import redis

    connection = redis.Redis.from_url(redis_url)
    for key in connection.scan_iter(match=f"{prefix}*"):
        connection.delete(key)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--redis", default=os.environ.get("OPENCAL_REDIS_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)  # outside the event loop: the migrations run one of their own
        asyncio.run(run(url, args.requests, args.redis))


if __name__ == "__main__":
    main()
