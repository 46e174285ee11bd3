"""The agent-account API (`/api/v1/calcom`): its envelopes, auth, agents, accounts and the
exclusive choice between an organization account and a private key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from opencal.agents import service
from opencal.agents.tokens import issue_token
from opencal.app import create_app
from opencal.config import Settings
from opencal.core import clock
from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import Agent, CalendarAccount, User
from opencal.users import bootstrap
from support import TestUser, create_user

BASE = "/api/v1/calcom"
SECRET = "test-secret-key"  # the `settings` fixture's key


async def create_organization(db: Database, owner: TestUser, slug: str) -> int:
    async with db.write() as session:
        user = await session.get(User, owner.id)
        assert user is not None
        organization = await bootstrap.create_organization(session, name=slug.title(), slug=slug, owner=user)
        return organization.id


def auth(organization_id: int | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(SECRET, organization_id=organization_id)}"}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is True and isinstance(body["message"], str), body
    return body["data"]


def failed(response: httpx.Response, status: int, code: str | None) -> str:
    """The message of an error answer, asserting the seed's envelope exactly."""
    assert response.status_code == status, response.text
    body = response.json()
    expected_keys = {"success", "message", "code"} if code else {"success", "message"}
    assert set(body) == expected_keys, body
    assert body["success"] is False and isinstance(body["message"], str) and body["message"], body
    if code:
        assert body["code"] == code
    return str(body["message"])


async def counts(db: Database) -> tuple[int, int]:
    async with db.read() as session:
        agents = await session.scalar(select(func.count()).select_from(Agent))
        accounts = await session.scalar(select(func.count()).select_from(CalendarAccount))
    return int(agents or 0), int(accounts or 0)


class Org:
    def __init__(self, client: httpx.AsyncClient, organization_id: int, owner: TestUser) -> None:
        self.client = client
        self.id = organization_id
        self.owner = owner
        self.headers = auth(organization_id)

    async def agent(self, name: str = "Receptionist") -> dict[str, Any]:
        return dict(ok(await self.client.post(f"{BASE}/agents", json={"name": name}, headers=self.headers), 201))

    async def account(self, name: str = "Front desk", api_key: str | None = None) -> dict[str, Any]:
        body = {"name": name, "api_key": api_key or self.owner.api_key}
        return dict(ok(await self.client.post(f"{BASE}/accounts", json=body, headers=self.headers), 201))

    async def link(self, agent_id: str, account_id: str | None) -> httpx.Response:
        return await self.client.put(
            f"{BASE}/agents/{agent_id}/account", json={"calcom_account_id": account_id}, headers=self.headers
        )

    async def set_private_key(self, agent_id: str, api_key: str) -> httpx.Response:
        return await self.client.put(
            f"{BASE}/agents/{agent_id}/private-key", json={"api_key": api_key}, headers=self.headers
        )


@pytest.fixture
async def org(client: httpx.AsyncClient, db: Database) -> Org:
    owner = await create_user(db, "owner@example.com", "owner")
    return Org(client, await create_organization(db, owner, "acme"), owner)


# -- authentication ------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_requests_without_a_valid_token_are_401_without_code(client: httpx.AsyncClient, org: Org) -> None:
    assert "Missing bearer token" in failed(await client.get(f"{BASE}/agents"), 401, None)
    assert "Missing bearer token" in failed(
        await client.get(f"{BASE}/agents", headers={"Authorization": "Basic abc"}), 401, None
    )
    assert failed(
        await client.get(f"{BASE}/agents", headers={"Authorization": "Bearer not-a-jwt"}), 401, None
    ).startswith("Invalid token")
    forged = issue_token("another-key", organization_id=org.id)
    assert "Signature verification failed" in failed(
        await client.get(f"{BASE}/agents", headers={"Authorization": f"Bearer {forged}"}), 401, None
    )
    # Tokens the server signs for other purposes (with the secret itself) are refused, whatever their claims.
    claims = {"org_id": str(org.id), "exp": 4102444800, "aud": "opencal:agents", "iss": "opencal"}
    foreign = jwt.encode(claims, SECRET, algorithm="HS256")
    assert "Signature verification failed" in failed(
        await client.get(f"{BASE}/agents", headers={"Authorization": f"Bearer {foreign}"}), 401, None
    )
    # An API key is not a token of this API.
    failed(await client.get(f"{BASE}/agents", headers=org.owner.headers), 401, None)


async def test_expired_token_is_refused(client: httpx.AsyncClient, org: Org) -> None:
    issued_at = datetime(2030, 1, 1, tzinfo=UTC)
    clock.set_clock(lambda: issued_at)
    try:
        token = issue_token(SECRET, organization_id=org.id, ttl=timedelta(seconds=60))
        assert ok(await client.get(f"{BASE}/agents", headers={"Authorization": f"Bearer {token}"})) == []
        clock.set_clock(lambda: issued_at + timedelta(seconds=61))
        assert failed(await client.get(f"{BASE}/agents", headers={"Authorization": f"Bearer {token}"}), 401, None) == (
            "Token expired"
        )
    finally:
        clock.set_clock(None)


async def test_org_id_query_is_only_a_fallback(client: httpx.AsyncClient, db: Database, org: Org) -> None:
    other_owner = await create_user(db, "other@example.com", "other")
    other = Org(client, await create_organization(db, other_owner, "other"), other_owner)
    mine = await org.agent("Mine")
    theirs = await other.agent("Theirs")

    # The token's organization wins over the query parameter.
    listed = ok(await client.get(f"{BASE}/agents", params={"org_id": other.id}, headers=org.headers))
    assert [agent["agent_id"] for agent in listed] == [mine["agent_id"]]

    # An operator token (no organization claim) needs the query parameter.
    operator = auth(None)
    listed = ok(await client.get(f"{BASE}/agents", params={"org_id": str(other.id)}, headers=operator))
    assert [agent["agent_id"] for agent in listed] == [theirs["agent_id"]]
    message = failed(await client.get(f"{BASE}/agents", headers=operator), 400, "INVALID_REQUEST")
    assert message == "org_id is required: the token does not name an organization"
    message = failed(
        await client.get(f"{BASE}/agents", params={"org_id": "acme"}, headers=operator), 400, "INVALID_REQUEST"
    )
    assert message == "org_id must be an organization id (an integer)"
    assert failed(
        await client.get(f"{BASE}/agents", params={"org_id": 999999}, headers=operator), 404, "NOT_FOUND"
    ) == ("Organization 999999 not found")
    assert failed(await client.get(f"{BASE}/agents", headers=auth(999999)), 404, "NOT_FOUND") == (
        "Organization 999999 not found"
    )


# -- agents --------------------------------------------------------------------------------------


async def test_create_list_and_get_agents(client: httpx.AsyncClient, db: Database, org: Org) -> None:
    created = await org.agent("Receptionist")
    assert set(created) == {"agent_id", "agent_name", "calcom_account_id", "has_private_key", "created_at"}
    assert created["agent_name"] == "Receptionist"
    assert created["calcom_account_id"] is None and created["has_private_key"] is False
    assert len(created["agent_id"]) == 36 and created["created_at"].endswith("Z")
    second = await org.agent("Night shift")

    listed = ok(await client.get(f"{BASE}/agents", headers=org.headers))
    assert {agent["agent_id"] for agent in listed} == {created["agent_id"], second["agent_id"]}
    assert ok(await client.get(f"{BASE}/agents/{created['agent_id']}", headers=org.headers)) == created

    assert failed(await client.get(f"{BASE}/agents/nope", headers=org.headers), 404, "NOT_FOUND") == (
        "Agent nope not found"
    )
    assert await counts(db) == (2, 0)


async def test_create_agent_validation_is_400_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, org: Org
) -> None:
    message = failed(await client.post(f"{BASE}/agents", json={}, headers=org.headers), 400, "INVALID_REQUEST")
    assert message == "name: Field required"
    failed(await client.post(f"{BASE}/agents", json={"name": "  "}, headers=org.headers), 400, "INVALID_REQUEST")
    failed(
        await client.post(
            f"{BASE}/agents", content=b"{not json", headers={**org.headers, "Content-Type": "application/json"}
        ),
        400,
        "INVALID_REQUEST",
    )
    assert await counts(db) == (0, 0)


async def test_agents_of_another_organization_are_invisible(client: httpx.AsyncClient, db: Database, org: Org) -> None:
    other_owner = await create_user(db, "other@example.com", "other")
    other = Org(client, await create_organization(db, other_owner, "other"), other_owner)
    theirs = await other.agent()
    account = await org.account()
    failed(await client.get(f"{BASE}/agents/{theirs['agent_id']}", headers=org.headers), 404, "NOT_FOUND")
    failed(await org.link(theirs["agent_id"], account["calcom_account_id"]), 404, "NOT_FOUND")
    # Nor may an agent link to another organization's account.
    failed(await other.link(theirs["agent_id"], account["calcom_account_id"]), 404, "NOT_FOUND")


# -- organization accounts -----------------------------------------------------------------------


async def test_connect_account_verifies_and_encrypts_the_key(
    client: httpx.AsyncClient, db: Database, settings: Settings, org: Org
) -> None:
    account = await org.account("Front desk")
    assert set(account) == {
        "calcom_account_id",
        "name",
        "api_base_url",
        "calcom_user_id",
        "calcom_username",
        "created_at",
    }
    assert account["name"] == "Front desk"
    assert account["api_base_url"] == settings.base_url  # this server unless told otherwise
    assert (account["calcom_user_id"], account["calcom_username"]) == (org.owner.id, "owner")

    listed = ok(await client.get(f"{BASE}/accounts", headers=org.headers))
    assert listed == [account]
    assert org.owner.api_key not in (await client.get(f"{BASE}/accounts", headers=org.headers)).text

    async with db.read() as session:
        stored = await session.get(CalendarAccount, account["calcom_account_id"])
    assert stored is not None and stored.encrypted_api_key != org.owner.api_key
    assert SecretBox(SECRET).decrypt(stored.encrypted_api_key) == org.owner.api_key


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"api_key": "cal_x"}, "name: Field required"),
        ({"name": "Desk"}, "api_key: Field required"),
        (
            {"name": "Desk", "api_key": "cal_x", "api_base_url": "ftp://example.com"},
            "api_base_url: must be an http(s) URL such as https://api.cal.com",
        ),
    ],
)
async def test_connect_account_validation(
    client: httpx.AsyncClient, db: Database, org: Org, body: dict[str, Any], message: str
) -> None:
    assert failed(await client.post(f"{BASE}/accounts", json=body, headers=org.headers), 400, "INVALID_REQUEST") == (
        message
    )
    assert await counts(db) == (0, 0)


async def test_connect_account_with_a_refused_key_stores_nothing(
    client: httpx.AsyncClient, db: Database, org: Org
) -> None:
    body = {"name": "Desk", "api_key": "cal_00000000000000000000000000000000"}
    message = failed(await client.post(f"{BASE}/accounts", json=body, headers=org.headers), 400, "INVALID_REQUEST")
    assert message.startswith("api_key was refused by http://127.0.0.1:8000: ")
    assert await counts(db) == (0, 0)


async def test_disconnect_account_unlinks_its_agents(client: httpx.AsyncClient, db: Database, org: Org) -> None:
    account = await org.account()
    agent = await org.agent()
    ok(await org.link(agent["agent_id"], account["calcom_account_id"]))

    path = f"{BASE}/accounts/{account['calcom_account_id']}"
    assert ok(await client.delete(path, headers=org.headers)) == {
        "calcom_account_id": account["calcom_account_id"],
        "unlinked_agent_ids": [agent["agent_id"]],
    }
    assert ok(await client.get(f"{BASE}/agents/{agent['agent_id']}", headers=org.headers))["calcom_account_id"] is None
    assert ok(await client.get(f"{BASE}/accounts", headers=org.headers)) == []
    failed(await client.delete(path, headers=org.headers), 404, "NOT_FOUND")
    assert await counts(db) == (1, 0)


# -- PUT /agents/{agent_id}/account (the seed operation) -----------------------------------------


async def test_link_and_unlink_an_organization_account(client: httpx.AsyncClient, org: Org) -> None:
    account = await org.account()
    agent = await org.agent("Receptionist")

    response = await org.link(agent["agent_id"], account["calcom_account_id"])
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "message": "Agent Cal.com account updated",
        "data": {
            "agent_id": agent["agent_id"],
            "agent_name": "Receptionist",
            "calcom_account_id": account["calcom_account_id"],
        },
    }
    effective = ok(await client.get(f"{BASE}/agents/{agent['agent_id']}/account", headers=org.headers))
    assert effective == {
        "agent_id": agent["agent_id"],
        "agent_name": "Receptionist",
        "source": "organization",
        "account": account,
    }

    response = await org.link(agent["agent_id"], None)
    assert response.json() == {
        "success": True,
        "message": "Agent Cal.com account updated",
        "data": {"agent_id": agent["agent_id"], "agent_name": "Receptionist", "calcom_account_id": None},
    }
    effective = ok(await client.get(f"{BASE}/agents/{agent['agent_id']}/account", headers=org.headers))
    assert effective == {"agent_id": agent["agent_id"], "agent_name": "Receptionist", "source": "none", "account": None}


async def test_link_unknown_agent_or_account_is_404(client: httpx.AsyncClient, org: Org) -> None:
    account = await org.account()
    agent = await org.agent()
    assert failed(await org.link("nope", account["calcom_account_id"]), 404, "NOT_FOUND") == "Agent nope not found"
    assert failed(await org.link(agent["agent_id"], "nope"), 404, "NOT_FOUND") == "Cal.com account nope not found"
    assert ok(await client.get(f"{BASE}/agents/{agent['agent_id']}", headers=org.headers))["calcom_account_id"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "calcom_account_id: Field required"),
        ({"calcom_account_id": 5}, "calcom_account_id: Input should be a valid string"),
        ([], "body: Input should be a valid dictionary or object to extract fields from"),
    ],
)
async def test_link_with_an_invalid_body_is_400(client: httpx.AsyncClient, org: Org, body: Any, message: str) -> None:
    agent = await org.agent()
    response = await client.put(f"{BASE}/agents/{agent['agent_id']}/account", json=body, headers=org.headers)
    assert failed(response, 400, "INVALID_REQUEST") == message


async def test_link_is_409_while_the_agent_has_a_private_key(client: httpx.AsyncClient, db: Database, org: Org) -> None:
    account = await org.account()
    agent = await org.agent()
    private = ok(await org.set_private_key(agent["agent_id"], org.owner.api_key))
    assert private["source"] == "agent"
    assert private["account"]["calcom_username"] == "owner"
    assert ok(await client.get(f"{BASE}/agents/{agent['agent_id']}", headers=org.headers))["has_private_key"] is True

    message = failed(await org.link(agent["agent_id"], account["calcom_account_id"]), 409, "CONFLICT")
    assert "has its own private Cal.com API key" in message
    failed(await org.link(agent["agent_id"], None), 409, "CONFLICT")
    effective = ok(await client.get(f"{BASE}/agents/{agent['agent_id']}/account", headers=org.headers))
    assert effective == private
    assert await counts(db) == (1, 2)

    # Once the private key is removed, linking works.
    removed = ok(await client.delete(f"{BASE}/agents/{agent['agent_id']}/private-key", headers=org.headers))
    assert removed["source"] == "none"
    ok(await org.link(agent["agent_id"], account["calcom_account_id"]))
    assert await counts(db) == (1, 1)


async def test_private_key_is_409_while_an_organization_account_is_linked(
    client: httpx.AsyncClient, db: Database, org: Org
) -> None:
    account = await org.account()
    agent = await org.agent()
    ok(await org.link(agent["agent_id"], account["calcom_account_id"]))

    message = failed(await org.set_private_key(agent["agent_id"], org.owner.api_key), 409, "CONFLICT")
    assert message.startswith(f"Agent {agent['agent_id']} is linked to the organization Cal.com account")
    assert await counts(db) == (1, 1)
    effective = ok(await client.get(f"{BASE}/agents/{agent['agent_id']}/account", headers=org.headers))
    assert effective["source"] == "organization"


async def test_private_key_replacement_and_removal(client: httpx.AsyncClient, db: Database, org: Org) -> None:
    agent = await org.agent()
    path = f"{BASE}/agents/{agent['agent_id']}/private-key"
    assert failed(await client.delete(path, headers=org.headers), 404, "NOT_FOUND") == (
        f"Agent {agent['agent_id']} has no private Cal.com key"
    )
    first = ok(await org.set_private_key(agent["agent_id"], org.owner.api_key))
    other_user = await create_user(db, "desk@example.com", "desk")
    second = ok(await org.set_private_key(agent["agent_id"], other_user.api_key))
    assert second["account"]["calcom_account_id"] == first["account"]["calcom_account_id"]
    assert second["account"]["calcom_username"] == "desk"
    assert await counts(db) == (1, 1)
    failed(await org.set_private_key(agent["agent_id"], "cal_0000"), 400, "INVALID_REQUEST")
    ok(await client.delete(path, headers=org.headers))
    assert await counts(db) == (1, 0)


# -- appointments/manage -------------------------------------------------------------------------


async def test_manage_validation(client: httpx.AsyncClient, org: Org) -> None:
    agent = await org.agent()
    path = f"{BASE}/appointments/manage"
    assert failed(
        await client.post(path, json={"agent_id": agent["agent_id"]}, headers=org.headers), 400, "INVALID_REQUEST"
    ) == ("action: Field required")
    message = failed(
        await client.post(path, json={"agent_id": agent["agent_id"], "action": "dance"}, headers=org.headers),
        400,
        "INVALID_REQUEST",
    )
    assert message.startswith("action: Input should be 'book', 'reschedule', 'cancel', 'suggest' or 'availability'")
    failed(
        await client.post(path, json={"agent_id": "nope", "action": "cancel"}, headers=org.headers), 404, "NOT_FOUND"
    )
    message = failed(
        await client.post(path, json={"agent_id": agent["agent_id"], "action": "cancel"}, headers=org.headers),
        409,
        "CONFLICT",
    )
    assert message.startswith(f"Agent {agent['agent_id']} has no Cal.com account")


async def test_manage_explains_everything_missing_before_calling_the_server(
    client: httpx.AsyncClient, org: Org
) -> None:
    account = await org.account()
    agent = await org.agent()
    ok(await org.link(agent["agent_id"], account["calcom_account_id"]))
    path = f"{BASE}/appointments/manage"

    message = failed(
        await client.post(path, json={"agent_id": agent["agent_id"], "action": "availability"}, headers=org.headers),
        400,
        "INVALID_REQUEST",
    )
    assert message == (
        "find_open_times cannot run: missing time_zone: the caller's IANA time zone, for example Europe/London or "
        "America/New_York; missing event type: give event_type_id, or event_type_slug with username (or team_slug)."
    )
    body = {"agent_id": agent["agent_id"], "action": "suggest", "time_zone": "Mars/Base", "event_type_id": 1}
    message = failed(await client.post(path, json=body, headers=org.headers), 400, "INVALID_REQUEST")
    assert (
        message
        == "find_open_times cannot run: time_zone 'Mars/Base' is not an IANA time zone (for example Europe/London)."
    )
    body = {"agent_id": agent["agent_id"], "action": "book", "event_type_id": 1, "time_zone": "Europe/Paris"}
    message = failed(await client.post(path, json=body, headers=org.headers), 400, "INVALID_REQUEST")
    assert message == (
        "book_meeting cannot run: missing start: the chosen time, e.g. a start from find_open_times; missing name: "
        "the attendee's full name; missing email or phone: how to reach the attendee (at least one)."
    )
    body = {"agent_id": agent["agent_id"], "action": "reschedule", "start": "tomorrow"}
    message = failed(await client.post(path, json=body, headers=org.headers), 400, "INVALID_REQUEST")
    assert message == (
        "reschedule_meeting cannot run: missing booking_uid: the meeting to move (booking_uid from "
        "list_upcoming_meetings); missing time_zone: the caller's IANA time zone, for example Europe/London or "
        "America/New_York; start 'tomorrow' is not an ISO date-time such as 2030-01-08T09:00."
    )
    body = {"agent_id": agent["agent_id"], "action": "cancel", "booking_uid": "abc", "colour": "red"}
    message = failed(await client.post(path, json=body, headers=org.headers), 400, "INVALID_REQUEST")
    assert message == (
        "cancel_meeting cannot run: unknown argument(s) colour (accepted: booking_uid, reason, time_zone)."
    )


async def test_manage_with_an_undecryptable_key_is_500(
    client: httpx.AsyncClient, db: Database, settings: Settings, org: Org
) -> None:
    account = await org.account()
    agent = await org.agent()
    ok(await org.link(agent["agent_id"], account["calcom_account_id"]))
    # The same database served with another secret key cannot read the stored key.
    rotated = create_app(settings.model_copy(update={"secret_key": "rotated-key"}), database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=rotated), base_url="http://testserver") as other:
        response = await other.post(
            f"{BASE}/appointments/manage",
            json={"agent_id": agent["agent_id"], "action": "cancel", "booking_uid": "abc"},
            headers={"Authorization": f"Bearer {issue_token('rotated-key', organization_id=org.id)}"},
        )
    assert failed(response, 500, "INTERNAL_ERROR") == (
        f"The API key of Cal.com account {account['calcom_account_id']} cannot be decrypted"
    )


async def test_unexpected_failures_are_500_in_this_api_envelope(
    client: httpx.AsyncClient, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "list_agents", broken)
    assert failed(await client.get(f"{BASE}/agents", headers=org.headers), 500, "INTERNAL_ERROR") == (
        "Internal server error"
    )


async def test_unknown_paths_answer_in_this_api_envelope(client: httpx.AsyncClient, org: Org) -> None:
    assert failed(await client.get(f"{BASE}/nope", headers=org.headers), 404, "NOT_FOUND") == (
        "Cannot GET /api/v1/calcom/nope"
    )
    assert failed(await client.patch(f"{BASE}/agents", headers=org.headers), 404, "NOT_FOUND") == (
        "Cannot PATCH /api/v1/calcom/agents"
    )


async def test_not_part_of_the_cal_com_openapi(client: httpx.AsyncClient, app: FastAPI) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if path.startswith("/api/v1")]


async def test_manage_runs_in_process_on_this_server(client: httpx.AsyncClient, app: FastAPI, org: Org) -> None:
    served = {op["operationId"] for item in app.openapi()["paths"].values() for op in item.values()}
    needed = [
        "EventTypesController_2024_06_14_createEventType",
        "SlotsController_2024_09_04_getAvailableSlots",
        "BookingsController_2024_08_13_createBooking",
        "BookingsController_2024_08_13_cancelBooking",
    ]
    missing = [operation_id for operation_id in needed if operation_id not in served]
    if missing:
        pytest.skip(f"not served yet: {', '.join(missing)}")
    event_type = await client.post(
        "/v2/event-types",
        json={"title": "Intro call", "slug": "intro", "lengthInMinutes": 60, "minimumBookingNotice": 0},
        headers={**org.owner.headers, "cal-api-version": "2024-06-14"},
    )
    assert event_type.status_code == 201, event_type.text
    account = await org.account()  # this server: no network between the two APIs
    agent = await org.agent()
    ok(await org.link(agent["agent_id"], account["calcom_account_id"]))
    path = f"{BASE}/appointments/manage"
    day = {"event_type_slug": "intro", "username": "owner", "date": "2050-09-05", "time_zone": "America/New_York"}

    response = await client.post(
        path, json={"agent_id": agent["agent_id"], "action": "suggest", **day}, headers=org.headers
    )
    suggested = ok(response)
    assert response.json()["message"] == "Suggested times"
    assert suggested["source"] == "organization" and suggested["calcom_account_id"] == account["calcom_account_id"]
    # 09:00-17:00 London is 04:00-12:00 in New York.
    assert suggested["result"]["open_times"] == [
        {"start": "2050-09-05T04:00:00-04:00", "spoken": "Monday, September 5 at 4:00 AM"},
        {"start": "2050-09-05T05:00:00-04:00", "spoken": "Monday, September 5 at 5:00 AM"},
        {"start": "2050-09-05T06:00:00-04:00", "spoken": "Monday, September 5 at 6:00 AM"},
    ]
    booking = {
        "agent_id": agent["agent_id"],
        "action": "book",
        "event_type_slug": "intro",
        "username": "owner",
        "time_zone": "America/New_York",
        "start": "2050-09-05T05:00",
        "name": "Carla Caller",
        "phone": "+12025550123",
    }
    # The event type asks for an email: the API's answer reaches the agent as it is.
    assert failed(await client.post(path, json=booking, headers=org.headers), 400, "INVALID_REQUEST") == (
        'Missing attendee email - it is required by the event type. Pass it as "attendee.email" string in the request.'
    )
    booked = ok(await client.post(path, json={**booking, "email": "carla@example.com"}, headers=org.headers))["result"]
    assert (booked["status"], booked["start"]) == ("accepted", "2050-09-05T05:00:00-04:00")
    remaining = ok(
        await client.post(
            path, json={"agent_id": agent["agent_id"], "action": "availability", **day}, headers=org.headers
        )
    )["result"]
    assert remaining["total_open_times"] == 7
    assert "2050-09-05T05:00:00-04:00" not in [slot["start"] for slot in remaining["open_times"]]
    cancelled = ok(
        await client.post(
            path,
            json={
                "agent_id": agent["agent_id"],
                "action": "cancel",
                "booking_uid": booked["booking_uid"],
                "reason": "Sick",
            },
            headers=org.headers,
        )
    )["result"]
    assert cancelled["status"] == "cancelled"
