"""Managed users of an OAuth client (`Deprecated: Platform / Managed Users`), BEHAVIOR.md §2.4."""

from __future__ import annotations

from datetime import time
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import EventType, Membership, PlatformToken, Schedule, User
from support import TestPlatform, create_managed_user, create_platform, data, error


def _users_path(platform: TestPlatform, suffix: str = "") -> str:
    return f"/v2/oauth-clients/{platform.client_id}/users{suffix}"


async def _counts(db: Database) -> tuple[int, int, int]:
    async with db.read() as session:
        return (
            int(await session.scalar(select(func.count()).select_from(User)) or 0),
            int(await session.scalar(select(func.count()).select_from(Schedule)) or 0),
            int(await session.scalar(select(func.count()).select_from(PlatformToken)) or 0),
        )


async def test_create_with_time_zone_gets_a_default_schedule(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    created = await create_managed_user(
        client,
        platform,
        "Alice@Example.com",
        name="Alice Smith",
        timeZone="Europe/Rome",
        weekStart="Monday",
        timeFormat=24,
        locale="fr",
        avatarUrl="https://example.com/a.png",
        bio="Hi",
        metadata={"plan": "gold"},
    )
    assert set(created) == {"user", "accessToken", "refreshToken", "accessTokenExpiresAt", "refreshTokenExpiresAt"}
    user = created["user"]
    cid = platform.client_id
    assert user == {
        "id": user["id"],
        "email": f"Alice+{cid}@example.com",
        "username": f"alice-{cid}-example-com",
        "name": "Alice Smith",
        "bio": "Hi",
        "timeZone": "Europe/Rome",
        "weekStart": "Monday",
        "createdDate": user["createdDate"],
        "timeFormat": 24,
        "defaultScheduleId": user["defaultScheduleId"],
        "locale": "fr",
        "avatarUrl": "https://example.com/a.png",
        "metadata": {"plan": "gold"},
    }
    assert user["createdDate"].endswith("Z")
    async with db.read() as session:
        schedules = list(await session.scalars(select(Schedule).where(Schedule.user_id == user["id"])))
        membership = await session.scalar(select(Membership).where(Membership.user_id == user["id"]))
        stored = await session.get(User, user["id"])
    assert [s.id for s in schedules] == [user["defaultScheduleId"]]
    assert schedules[0].time_zone == "Europe/Rome"
    assert [(r.days, r.start_time, r.end_time) for r in schedules[0].rows] == [([1, 2, 3, 4, 5], time(9), time(17))]
    assert membership is not None
    assert (membership.team_id, membership.role, membership.accepted) == (platform.organization_id, "MEMBER", True)
    assert stored is not None
    assert (stored.oauth_client_id, stored.organization_id) == (cid, platform.organization_id)

    # The access token works at once and acts as the managed user, inside the platform organization.
    me = data(await client.get("/v2/me", headers={"Authorization": f"Bearer {created['accessToken']}"}))
    assert (me["id"], me["email"]) == (user["id"], user["email"])
    assert me["organization"] == {"isPlatform": True, "id": platform.organization_id}


async def test_create_without_time_zone_has_no_schedule(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    user = (await create_managed_user(client, platform, "bob@example.com", name="Bob"))["user"]
    assert (user["timeZone"], user["defaultScheduleId"], user["locale"]) == ("Europe/London", None, "en")
    assert (user["weekStart"], user["timeFormat"], user["bio"], user["avatarUrl"]) == ("Sunday", 12, None, None)
    async with db.read() as session:
        assert await session.scalar(select(func.count()).where(Schedule.user_id == user["id"])) == 0


async def test_email_already_in_client_form_is_kept(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    email = f"carol+{platform.client_id}@example.com"
    user = (await create_managed_user(client, platform, email))["user"]
    assert user["email"] == email


async def test_duplicate_email_is_409_and_changes_nothing(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    first = (await create_managed_user(client, platform, "dave@example.com"))["user"]
    before = await _counts(db)
    for email in ("dave@example.com", f"dave+{platform.client_id}@example.com"):
        response = await client.post(
            _users_path(platform), json={"email": email, "name": "Dave"}, headers=platform.secret_headers
        )
        err = error(response, 409)
        assert err["code"] == "ConflictException"
        assert err["message"] == f"User with the provided e-mail already exists. Existing user ID={first['id']}"
    assert await _counts(db) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"email": "erin@example.com", "name": "E", "timeZone": "Mars/Olympus"}, "timeZone must be a valid IANA"),
        ({"email": "erin@example.com", "name": "E", "timeFormat": 100}, "timeFormat: "),
        ({"email": "not-an-email", "name": "E"}, "email must be an email"),
        ({"email": "erin@example.com"}, "name: "),
        ({"email": "erin@example.com", "name": "E", "weekStart": "Funday"}, "weekStart: "),
        ({"email": "erin@example.com", "name": "E", "metadata": {"k" * 41: "v"}}, "metadata keys must be at most"),
    ],
)
async def test_bad_create_input_is_400_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    platform = await create_platform(db)
    before = await _counts(db)
    err = error(await client.post(_users_path(platform), json=body, headers=platform.secret_headers), 400)
    assert err["code"] == "BadRequestException"
    assert err["message"].startswith(message), err["message"]
    assert await _counts(db) == before


async def test_list_filters_and_pages(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    other = await create_platform(db, owner_email="o2@platform.example", slug="other")
    await create_managed_user(client, other, "outsider@example.com")
    ids = [(await create_managed_user(client, platform, f"u{i}@example.com"))["user"]["id"] for i in range(4)]
    headers = platform.secret_headers
    path = _users_path(platform)

    assert [u["id"] for u in data(await client.get(path, headers=headers))] == ids
    assert [u["id"] for u in data(await client.get(path, params={"limit": 2}, headers=headers))] == ids[:2]
    page = data(await client.get(path, params={"limit": 2, "offset": 3}, headers=headers))
    assert [u["id"] for u in page] == ids[3:]

    # Original and `+clientId` forms, comma-separated or repeated, and the encoded "+".
    stored_u2 = f"u2+{platform.client_id}@example.com"
    for query in (
        "emails=u1@example.com,u3@example.com",
        "emails=u1@example.com&emails=u3@example.com",
        f"emails=u1@example.com,{stored_u2.replace('+', '%2B').replace('u2', 'u3')}",
    ):
        assert [u["id"] for u in data(await client.get(f"{path}?{query}", headers=headers))] == [ids[1], ids[3]]
    assert [u["email"] for u in data(await client.get(path, params={"emails": stored_u2}, headers=headers))] == [
        stored_u2
    ]
    assert data(await client.get(path, params={"emails": "outsider@example.com"}, headers=headers)) == []

    err = error(await client.get(f"{path}?emails=u1@example.com,invalid-email", headers=headers), 400)
    assert err["message"] == "Invalid email invalid-email"
    for bad in ({"limit": 0}, {"limit": 251}, {"offset": 251}, {"limit": "x"}):
        assert error(await client.get(path, params=bad, headers=headers), 400)["code"] == "BadRequestException"


async def test_get_update_and_delete(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    created = await create_managed_user(client, platform, "frank@example.com", timeZone="UTC")
    user_id = created["user"]["id"]
    path = _users_path(platform, f"/{user_id}")
    headers = platform.secret_headers
    cid = platform.client_id

    assert data(await client.get(path, headers=headers)) == created["user"]

    updated = data(
        await client.patch(path, json={"email": "pineapple.pizza@mail.example.org", "locale": "pt-BR"}, headers=headers)
    )
    assert updated["email"] == f"pineapple.pizza+{cid}@mail.example.org"
    assert updated["username"] == f"pineapple-pizza-{cid}-mail-example-org"
    assert updated["locale"] == "pt-BR" and updated["name"] == "Alice"
    assert data(await client.get(path, headers=headers)) == updated

    # The same email in either form leaves the username alone.
    again = data(await client.patch(path, json={"email": updated["email"], "name": "Frank"}, headers=headers))
    assert (again["username"], again["name"]) == (updated["username"], "Frank")

    deleted = data(await client.delete(path, headers=headers))
    assert deleted == again
    err = error(await client.get(path, headers=headers), 404)
    assert err["message"] == f"User with ID {user_id} is not part of this OAuth client."
    async with db.read() as session:
        assert await session.get(User, user_id) is None
        assert await session.scalar(select(func.count()).where(PlatformToken.user_id == user_id)) == 0
    err = error(await client.get("/v2/me", headers={"Authorization": f"Bearer {created['accessToken']}"}), 401)
    assert err["code"] == "UnauthorizedException"


async def test_update_to_a_taken_email_is_409(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    taken = (await create_managed_user(client, platform, "gina@example.com"))["user"]
    user = (await create_managed_user(client, platform, "hank@example.com"))["user"]
    path = _users_path(platform, f"/{user['id']}")
    err = error(await client.patch(path, json={"email": "gina@example.com"}, headers=platform.secret_headers), 409)
    assert err["message"] == f"User with the provided e-mail already exists. Existing user ID={taken['id']}"
    assert data(await client.get(path, headers=platform.secret_headers)) == user


async def test_users_of_another_client_are_not_reachable(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    other = await create_platform(db, owner_email="o2@platform.example", slug="other")
    stranger = (await create_managed_user(client, other, "ivy@example.com"))["user"]
    path = _users_path(platform, f"/{stranger['id']}")
    for response in (
        await client.get(path, headers=platform.secret_headers),
        await client.patch(path, json={"name": "x"}, headers=platform.secret_headers),
        await client.delete(path, headers=platform.secret_headers),
        await client.post(f"{path}/force-refresh", headers=platform.secret_headers),
    ):
        assert error(response, 404)["message"] == f"User with ID {stranger['id']} is not part of this OAuth client."
    # Another organization's client cannot be driven with this platform's owner key either.
    err = error(await client.get(_users_path(other), headers=platform.owner.headers), 403)
    assert err["message"].startswith("OAuthClientGuard - forbidden.")


async def test_client_credentials_are_checked(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    before = await _counts(db)
    body = {"email": "jack@example.com", "name": "Jack"}
    err = error(await client.post(_users_path(platform), json=body, headers={"x-cal-secret-key": "wrong"}), 401)
    assert err["message"] == "ApiAuthStrategy - oAuth client - Invalid client secret"
    err = error(await client.post("/v2/oauth-clients/cunknown/users", json=body, headers=platform.secret_headers), 401)
    assert err["message"] == "ApiAuthStrategy - oAuth client - Client with ID cunknown not found"
    err = error(await client.post(_users_path(platform), json=body), 401)
    assert err["message"].startswith("ApiAuthStrategy - No authentication method provided.")
    assert await _counts(db) == before

    # The organization's owner may also manage them with an API key.
    assert data(await client.get(_users_path(platform), headers=platform.owner.headers)) == []


async def test_non_integer_user_id_is_400(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    err = error(await client.get(_users_path(platform, "/1.5"), headers=platform.secret_headers), 400)
    assert err["code"] == "BadRequestException"


@pytest.mark.parametrize("enabled", [True, False])
async def test_default_event_types_follow_the_client_setting(
    client: httpx.AsyncClient, db: Database, enabled: bool
) -> None:
    platform = await create_platform(db, default_event_types=enabled)
    user = (await create_managed_user(client, platform))["user"]
    async with db.read() as session:
        rows = (
            await session.execute(
                select(EventType.slug, EventType.title, EventType.length, EventType.locations)
                .where(EventType.owner_id == user["id"])
                .order_by(EventType.id)
            )
        ).all()
    video = [{"type": "integrations:daily"}]
    expected = [
        ("thirty-minutes", "30 Minutes", 30, []),
        ("thirty-minutes-video", "30 Minutes", 30, video),
        ("sixty-minutes", "60 Minutes", 60, []),
        ("sixty-minutes-video", "60 Minutes", 60, video),
    ]
    assert [tuple(row) for row in rows] == (expected if enabled else [])
