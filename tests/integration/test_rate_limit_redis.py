"""Two real `opencal serve` processes sharing one Redis share one rate-limit budget per credential.

Redis comes from OPENCAL_TEST_REDIS_URL (default: the local server). Without a reachable Redis the
test is skipped, except under CI=true where that is a failure. Each run counts under its own key
prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from opencal.core.db import Database
from support import create_user

REDIS_URL = os.environ.get("OPENCAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
LIMIT = 7
STARTUP_SECONDS = 30.0


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this run in a reachable Redis; its keys are deleted at the end."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        connection.ping()
    except (redis.RedisError, OSError) as exc:
        message = f"Redis at {REDIS_URL} is unreachable: {exc!r}"
        if IN_CI:
            pytest.fail(message + " (mandatory under CI=true)")
        pytest.skip(message)
    prefix = f"opencal-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in connection.scan_iter(match=f"{prefix}*"):
        connection.delete(key)
    connection.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def servers(database_url: str, redis_prefix: str, tmp_path: Path) -> Iterator[list[str]]:
    """Base URLs of two server processes on the same database and Redis."""
    env = {
        **os.environ,
        "OPENCAL_DATABASE_URL": database_url,
        "OPENCAL_REDIS_URL": REDIS_URL,
        "OPENCAL_RATE_LIMIT_KEY_PREFIX": redis_prefix,
        "OPENCAL_RATE_LIMIT_API_KEY": str(LIMIT),
        "OPENCAL_SECRET_KEY": "rate-limit-test-secret",
        "OPENCAL_RUN_DISPATCHER": "false",
        "OPENCAL_LOG_LEVEL": "WARNING",
    }
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    logs = []
    try:
        for index in range(2):
            port = _free_port()
            log = (tmp_path / f"server-{index}.log").open("wb")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "opencal.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                    env=env,
                    cwd=tmp_path,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        asyncio.run(_wait_until_serving(urls, processes, tmp_path))
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def _server_output(logs: Path) -> str:
    return "\n".join(path.read_text(errors="replace") for path in sorted(logs.glob("server-*.log")))


async def _wait_until_serving(urls: list[str], processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        for url, process in zip(urls, processes, strict=True):
            deadline = asyncio.get_running_loop().time() + STARTUP_SECONDS
            while True:
                if process.poll() is not None:
                    pytest.fail(f"server {url} exited with {process.returncode}:\n{_server_output(logs)}")
                try:
                    await http.get(f"{url}/v2/me")
                    break
                except httpx.TransportError:
                    if asyncio.get_running_loop().time() > deadline:
                        pytest.fail(f"server {url} did not start within {STARTUP_SECONDS}s")
                    await asyncio.sleep(0.2)


async def test_two_processes_share_one_budget(servers: list[str], db: Database) -> None:
    user = await create_user(db)
    remaining_seen = []
    async with httpx.AsyncClient(timeout=10) as http:
        for i in range(LIMIT):
            response = await http.get(f"{servers[i % 2]}/v2/me", headers=user.headers)
            assert response.status_code == 200, response.text
            assert response.headers["X-RateLimit-Limit-Default"] == str(LIMIT)
            remaining_seen.append(int(response.headers["X-RateLimit-Remaining-Default"]))
        # Requests spread over both processes drew on one budget: it ran out at the same total.
        assert remaining_seen == list(range(LIMIT - 1, -1, -1))
        for url in servers:
            response = await http.get(f"{url}/v2/me", headers=user.headers)
            assert response.status_code == 429, response.text
            body = response.json()
            assert body["error"]["code"] == "ThrottlerException"
            assert response.headers["X-RateLimit-Remaining-Default"] == "0"
        # Another credential still has its whole budget on either process.
        other = await create_user(db, email="bob@example.com")
        response = await http.get(f"{servers[1]}/v2/me", headers=other.headers)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Remaining-Default"] == str(LIMIT - 1)
