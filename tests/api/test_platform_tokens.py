"""Managed-user tokens: payload, lifetimes, rotation, force refresh, expiry (498), Origin and permission bits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import delete, func, select

from opencal.core import clock
from opencal.core.db import Database
from opencal.models import PlatformToken
from opencal.platform import tokens
from opencal.platform.credentials import is_origin_allowed
from opencal.platform.permissions import Permission
from support import TestPlatform, create_managed_user, create_platform, data, error

START = datetime(2030, 5, 17, 10, 23, 45, 500_000, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def frozen() -> Iterator[Clock]:
    moved = Clock()
    clock.set_clock(lambda: moved.now)
    yield moved
    clock.set_clock(None)


def _bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


async def _refresh(client: httpx.AsyncClient, platform: TestPlatform, refresh_token: str) -> httpx.Response:
    return await client.post(
        f"/v2/oauth/{platform.client_id}/refresh",
        json={"refreshToken": refresh_token},
        headers=platform.secret_headers,
    )


async def _token_rows(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(PlatformToken)) or 0)


async def test_payload_and_lifetimes(client: httpx.AsyncClient, db: Database, frozen: Clock) -> None:
    platform = await create_platform(db)
    created = await create_managed_user(client, platform)
    access_at = datetime(2030, 5, 17, 11, 23, tzinfo=UTC)  # +60 min, start of the minute
    refresh_at = datetime(2031, 5, 17, tzinfo=UTC)  # +1 year, start of the day
    assert created["accessTokenExpiresAt"] == int(access_at.timestamp() * 1000)
    assert created["refreshTokenExpiresAt"] == int(refresh_at.timestamp() * 1000)
    user_id = created["user"]["id"]
    for token, kind, expires_at in (
        (created["accessToken"], "access_token", access_at),
        (created["refreshToken"], "refresh_token", refresh_at),
    ):
        claims = _claims(token)
        assert jwt.get_unverified_header(token)["alg"] == "HS256"
        assert {k: v for k, v in claims.items() if k != "jti"} == {
            "type": kind,
            "clientId": platform.client_id,
            "ownerId": user_id,
            "userId": user_id,
            "expiresAt": int(expires_at.timestamp() * 1000),
            "iat": int(START.timestamp()),
        }
    async with db.read() as session:
        rows = list(await session.scalars(select(PlatformToken).order_by(PlatformToken.id)))
    assert [(r.kind, r.user_id, r.client_id, r.expires_at) for r in rows] == [
        ("access", user_id, platform.client_id, access_at),
        ("refresh", user_id, platform.client_id, refresh_at),
    ]
    # Only hashes are stored.
    assert [r.token_hash for r in rows] == [
        tokens.hash_token(created["accessToken"]),
        tokens.hash_token(created["refreshToken"]),
    ]


def test_refresh_expiry_of_a_leap_day() -> None:
    assert tokens.refresh_expiry(datetime(2028, 2, 29, 23, 59, tzinfo=UTC)) == datetime(2029, 2, 28, tzinfo=UTC)
    assert tokens.access_expiry(datetime(2030, 1, 1, 23, 30, 59, tzinfo=UTC)) == datetime(2030, 1, 2, 0, 30, tzinfo=UTC)


async def test_refresh_rotates_the_pair(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    created = await create_managed_user(client, platform)
    rotated = data(await _refresh(client, platform, created["refreshToken"]))
    assert set(rotated) == {"accessToken", "refreshToken", "accessTokenExpiresAt", "refreshTokenExpiresAt"}
    assert rotated["refreshToken"] != created["refreshToken"]
    assert _claims(rotated["accessToken"])["ownerId"] == created["user"]["id"]

    rows = await _token_rows(db)
    err = error(await _refresh(client, platform, created["refreshToken"]), 400)
    assert (err["code"], err["message"]) == ("BadRequestException", "Invalid refresh token")
    assert await _token_rows(db) == rows

    me = data(await client.get("/v2/me", headers=_bearer(rotated["accessToken"])))
    assert me["id"] == created["user"]["id"]
    # The previous access token stays valid until it expires, as in Cal.com.
    assert data(await client.get("/v2/me", headers=_bearer(created["accessToken"])))["id"] == me["id"]
    assert data(await _refresh(client, platform, rotated["refreshToken"]))["accessToken"]


async def test_refresh_needs_the_issuing_clients_credentials(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    other = await create_platform(db, owner_email="o2@platform.example", slug="other")
    created = await create_managed_user(client, platform)
    body = {"refreshToken": created["refreshToken"]}
    err = error(
        await client.post(f"/v2/oauth/{platform.client_id}/refresh", json=body, headers={"x-cal-secret-key": "x"}), 401
    )
    assert err["message"] == "ApiAuthStrategy - oAuth client - Invalid client secret"
    err = error(await client.post(f"/v2/oauth/{platform.client_id}/refresh", json=body), 401)
    assert err["message"].startswith("ApiAuthStrategy - No authentication method provided.")
    err = error(
        await client.post(f"/v2/oauth/{platform.client_id}/refresh", json=body, headers=platform.owner.headers), 400
    )
    assert err["message"] == "Invalid OAuthClient credentials."
    err = error(await client.post(f"/v2/oauth/{other.client_id}/refresh", json=body, headers=other.secret_headers), 400)
    assert err["message"] == "Invalid refresh token"
    err = error(
        await client.post(f"/v2/oauth/{platform.client_id}/refresh", json={}, headers=platform.secret_headers), 400
    )
    assert err["message"].startswith("refreshToken: ")
    # None of the refused attempts consumed the token.
    assert data(await _refresh(client, platform, created["refreshToken"]))["refreshToken"]


async def test_force_refresh_issues_a_new_pair(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    created = await create_managed_user(client, platform)
    path = f"/v2/oauth-clients/{platform.client_id}/users/{created['user']['id']}/force-refresh"
    forced = data(await client.post(path, headers=platform.secret_headers))
    assert set(forced) == {"accessToken", "refreshToken", "accessTokenExpiresAt", "refreshTokenExpiresAt"}
    assert data(await client.get("/v2/me", headers=_bearer(forced["accessToken"])))["id"] == created["user"]["id"]
    assert error(await _refresh(client, platform, created["refreshToken"]), 400)["message"] == "Invalid refresh token"
    assert data(await _refresh(client, platform, forced["refreshToken"]))["accessToken"]


async def test_expired_access_token_is_498(client: httpx.AsyncClient, db: Database, frozen: Clock) -> None:
    platform = await create_platform(db)
    created = await create_managed_user(client, platform)
    frozen.advance(timedelta(minutes=59))  # 11:22:45, the token expires at 11:23:00
    assert data(await client.get("/v2/me", headers=_bearer(created["accessToken"])))["id"] == created["user"]["id"]
    frozen.advance(timedelta(seconds=15))
    response = await client.get("/v2/me", headers=_bearer(created["accessToken"]))
    err = error(response, 498)
    assert (err["code"], err["message"]) == ("TokenExpiredException", "ACCESS_TOKEN_IS_EXPIRED")
    assert err["details"] == {"message": "ACCESS_TOKEN_IS_EXPIRED", "error": "Token Expired", "statusCode": 498}

    # Expired tokens of the client are purged by the next refresh; the answer stays 498.
    rotated = data(await _refresh(client, platform, created["refreshToken"]))
    error(await client.get("/v2/me", headers=_bearer(created["accessToken"])), 498)
    assert data(await client.get("/v2/me", headers=_bearer(rotated["accessToken"])))["id"] == created["user"]["id"]

    frozen.advance(timedelta(days=366))
    err = error(await _refresh(client, platform, rotated["refreshToken"]), 400)
    assert err["message"] == "Invalid refresh token"


async def test_foreign_revoked_and_misused_tokens_are_401(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    created = await create_managed_user(client, platform)
    forged = jwt.encode({**_claims(created["accessToken"]), "jti": "x"}, "another-server-key-" * 3, "HS256")
    for token in (forged, created["refreshToken"], "not-a-token"):
        err = error(await client.get("/v2/me", headers=_bearer(token)), 401)
        assert err["message"] == "ApiAuthStrategy - Invalid Access Token"
    async with db.write() as session:
        await session.execute(delete(PlatformToken))
    err = error(await client.get("/v2/me", headers=_bearer(created["accessToken"])), 401)
    assert err["message"] == "ApiAuthStrategy - Invalid Access Token"


async def test_origin_must_match_a_redirect_uri(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db, redirect_uris=["https://app.example.com/callback", "https://*.example.net"])
    token = (await create_managed_user(client, platform))["accessToken"]
    for origin in ("https://app.example.com", "https://app.example.com/callback", "https://shop.example.net"):
        data(await client.get("/v2/me", headers=_bearer(token, Origin=origin)))
    for origin in ("https://evil.example.org", "https://app.example.co", "http://app.example.com"):
        err = error(await client.get("/v2/me", headers=_bearer(token, Origin=origin)), 401)
        assert err["message"] == (
            f"ApiAuthStrategy - access token - Invalid request origin - add the origin '{origin}' to the "
            f"'Redirect uris' of your OAuth client with ID '{platform.client_id}'"
        )
    # API keys are not bound to origins.
    data(await client.get("/v2/me", headers={**platform.owner.headers, "Origin": "https://evil.example.org"}))


@pytest.mark.parametrize(
    ("origin", "uris", "allowed"),
    [
        ("https://a.com", ["https://a.com"], True),
        ("https://a.com/", ["https://a.com"], True),
        ("https://a.com", ["https://a.com?x=1"], True),
        ("https://a.com", ["https://a.com.evil.org"], False),
        ("https://a.com", ["https://a.com:8443/cb"], False),
        ("https://sub.a.com", ["*.a.com"], True),
        ("https://a.com/path", ["https://a.com/*"], True),
        ("https://b.com", [], False),
    ],
)
def test_origin_matching(origin: str, uris: list[str], allowed: bool) -> None:
    assert is_origin_allowed(origin, uris) is allowed


async def test_missing_permission_is_403(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db, permissions=int(Permission.BOOKING_READ | Permission.PROFILE_READ))
    token = (await create_managed_user(client, platform))["accessToken"]
    assert data(await client.get("/v2/me", headers=_bearer(token)))["email"].startswith("alice+")
    err = error(await client.patch("/v2/me", json={"name": "New"}, headers=_bearer(token)), 403)
    assert (err["code"], err["message"]) == (
        "ForbiddenException",
        f"PermissionsGuard - oAuth client with id={platform.client_id} does not have the required "
        "permissions=PROFILE_WRITE. Add the required permissions to the oAuth client.",
    )
    # The client's own credentials carry the same bits; the owner's API key carries none.
    error(await client.patch("/v2/me", json={"name": "New"}, headers=platform.client_headers), 403)
    assert data(await client.patch("/v2/me", json={"name": "New"}, headers=platform.owner.headers))["name"] == "New"

    no_profile = await create_platform(
        db, owner_email="o2@platform.example", slug="other", permissions=int(Permission.BOOKING_READ)
    )
    other_token = (await create_managed_user(client, no_profile, "bob@example.com"))["accessToken"]
    err = error(await client.get("/v2/me", headers=_bearer(other_token)), 403)
    assert "permissions=PROFILE_READ." in err["message"]
    err = error(await client.get("/v2/me", headers=no_profile.client_headers), 403)
    assert "permissions=PROFILE_READ." in err["message"]


async def test_client_credentials_act_as_the_organization_owner(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    me = data(await client.get("/v2/me", headers=platform.client_headers))
    assert (me["id"], me["organizationId"]) == (platform.owner.id, platform.organization_id)
    err = error(
        await client.get("/v2/me", headers={"x-cal-client-id": platform.client_id, "x-cal-secret-key": "nope"}), 401
    )
    assert err["message"] == "ApiAuthStrategy - oAuth client - Invalid client secret"
    err = error(await client.get("/v2/me", headers={"x-cal-client-id": "cnope", "x-cal-secret-key": "nope"}), 401)
    assert err["message"] == "ApiAuthStrategy - oAuth client - Client with ID cnope not found"
