"""Rate limits per credential (BEHAVIOR.md §1.6): headers, buckets, the 429 envelope, failure modes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from opencal.app import create_app
from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.ratelimit import classify
from opencal.core.security import hash_api_key, sha256_hex
from support import create_managed_user, create_platform, create_user, data, error

LIMITS: dict[str, Any] = {
    "rate_limit_enabled": True,
    "rate_limit_api_key": 3,
    "rate_limit_oauth_client": 4,
    "rate_limit_access_token": 5,
    "rate_limit_anonymous": 2,
}


@asynccontextmanager
async def _client(settings: Settings, db: Database, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={**LIMITS, **overrides}), database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


def _limits(response: httpx.Response) -> tuple[int, int, int]:
    headers = response.headers
    return (
        int(headers["X-RateLimit-Limit-Default"]),
        int(headers["X-RateLimit-Remaining-Default"]),
        int(headers["X-RateLimit-Reset-Default"]),
    )


def _assert_throttled(response: httpx.Response, limit: int) -> None:
    err = error(response, 429)
    assert err == {
        "code": "ThrottlerException",
        "message": "Too many requests. Please try again later.",
        "details": {
            "message": "Too many requests. Please try again later.",
            "error": "Too Many Requests",
            "statusCode": 429,
        },
    }
    got_limit, remaining, reset = _limits(response)
    assert (got_limit, remaining) == (limit, 0)
    assert 1 <= reset <= 60
    assert int(response.headers["Retry-After"]) == reset
    assert response.headers["x-request-id"]


async def test_api_key_budget_headers_and_429(settings: Settings, db: Database) -> None:
    user = await create_user(db)
    other = await create_user(db, email="bob@example.com")
    async with _client(settings, db) as client:
        for remaining in (2, 1, 0):
            response = await client.get("/v2/me", headers=user.headers)
            data(response)
            limit, left, reset = _limits(response)
            assert (limit, left) == (3, remaining)
            assert 1 <= reset <= 60
        throttled = await client.get("/v2/me?x=1", headers=user.headers)
        _assert_throttled(throttled, 3)
        assert throttled.json()["path"] == "/v2/me?x=1"
        # Another key, and anonymous callers, have budgets of their own.
        other_key = await client.get("/v2/me", headers=other.headers)
        data(other_key)
        assert _limits(other_key)[:2] == (3, 2)
        anonymous = await client.get("/v2/me")
        error(anonymous, 401)
        assert _limits(anonymous)[:2] == (2, 1)


async def test_every_response_carries_the_headers(settings: Settings, db: Database) -> None:
    async with _client(settings, db) as client:
        not_found = await client.get("/v2/nowhere")
        assert not_found.status_code == 404 and _limits(not_found)[:2] == (2, 1)
        unauthorized = await client.get("/v2/me")
        assert unauthorized.status_code == 401 and _limits(unauthorized)[:2] == (2, 0)
        _assert_throttled(await client.get("/openapi.json"), 2)


async def test_oauth_client_and_access_token_buckets(settings: Settings, db: Database) -> None:
    platform = await create_platform(db)
    async with _client(settings, db, rate_limit_oauth_client=1000) as client:
        created = await create_managed_user(client, platform)
        second = await create_managed_user(client, platform, "bob@example.com")
    async with _client(settings, db) as client:
        # The client id from the header, or from the path when the secret is sent, is one bucket.
        assert _limits(await client.get("/v2/me", headers=platform.client_headers))[:2] == (4, 3)
        users = f"/v2/oauth-clients/{platform.client_id}/users"
        assert _limits(await client.get(users, headers=platform.secret_headers))[:2] == (4, 2)
        refresh = f"/v2/oauth/{platform.client_id}/refresh"
        assert _limits(await client.post(refresh, json={}, headers=platform.secret_headers))[:2] == (4, 1)
        assert _limits(await client.get(users, headers=platform.secret_headers))[:2] == (4, 0)
        _assert_throttled(await client.get(users, headers=platform.secret_headers), 4)

        # Each access token counts on its own, whatever the client's state.
        token = {"Authorization": f"Bearer {created['accessToken']}"}
        for remaining in (4, 3):
            response = await client.get("/v2/me", headers=token)
            data(response)
            assert _limits(response)[:2] == (5, remaining)
        other = {"Authorization": f"Bearer {second['accessToken']}"}
        assert _limits(await client.get("/v2/me", headers=other))[:2] == (5, 4)


async def test_throttled_requests_and_anonymous_counting_never_query_the_database(
    settings: Settings, db: Database
) -> None:
    user = await create_user(db)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async with _client(settings, db, rate_limit_api_key=1) as client:
        data(await client.get("/v2/me", headers=user.headers))
        event.listen(db.engine.sync_engine, "before_cursor_execute", record)
        try:
            _assert_throttled(await client.get("/v2/me", headers=user.headers), 1)
            error(await client.get("/v2/nowhere"), 404)
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert statements == []


async def test_disabled_limits_send_no_headers(settings: Settings, db: Database) -> None:
    async with _client(settings, db, rate_limit_enabled=False) as client:
        for _ in range(3):
            response = await client.get("/v2/me")
            error(response, 401)
            assert "X-RateLimit-Limit-Default" not in response.headers


async def test_an_unreachable_store_lets_requests_through(settings: Settings, db: Database) -> None:
    user = await create_user(db)
    async with _client(settings, db, redis_url="redis://127.0.0.1:9/0", rate_limit_api_key=1) as client:
        for _ in range(3):
            response = await client.get("/v2/me", headers=user.headers)
            data(response)
            assert "X-RateLimit-Limit-Default" not in response.headers


def _scope(path: str = "/v2/me", client: tuple[str, int] | None = ("10.0.0.7", 5000), **headers: str) -> dict[str, Any]:
    raw = [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()]
    return {"type": "http", "path": path, "headers": raw, "client": client}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (_scope(authorization="Bearer cal_abc"), ("api_key", hash_api_key("cal_abc", "cal_"))),
        (_scope(authorization="cal_abc"), ("api_key", hash_api_key("cal_abc", "cal_"))),
        (_scope(authorization="bearer cal_live_abc"), ("api_key", hash_api_key("cal_live_abc", "cal_"))),
        (_scope(authorization="Bearer eyJtoken"), ("access_token", sha256_hex("eyJtoken"))),
        (_scope(authorization="Bearer eyJtoken", x_cal_client_id="c1"), ("access_token", sha256_hex("eyJtoken"))),
        (_scope(x_cal_client_id="c1", x_cal_secret_key="s"), ("oauth_client", "c1")),
        (_scope(x_cal_client_id="c1"), ("oauth_client", "c1")),
        (_scope("/v2/oauth-clients/c2/users", x_cal_secret_key="s"), ("oauth_client", "c2")),
        (_scope("/v2/oauth/c3/refresh", x_cal_secret_key="s"), ("oauth_client", "c3")),
        (_scope("/v2/oauth-clients/c2/users"), ("anonymous", "10.0.0.7")),
        (_scope(), ("anonymous", "10.0.0.7")),
        (_scope(client=None), ("anonymous", "unknown")),
    ],
)
def test_classify(scope: dict[str, Any], expected: tuple[str, str]) -> None:
    assert classify(scope, "cal_") == expected


def test_classify_honours_the_configured_key_prefix() -> None:
    bucket: Callable[[str], tuple[str, str]] = lambda token: classify(  # noqa: E731
        _scope(authorization=f"Bearer {token}"), "cal_live_"
    )
    assert bucket("cal_live_abc") == ("api_key", hash_api_key("cal_live_abc", "cal_live_"))
    assert bucket("cal_abc") == ("api_key", hash_api_key("cal_abc", "cal_live_"))
