"""The agent-account API scheduling through an account on another server: a second, real
`opencal serve` process reached over HTTP, as any Cal.com-compatible server would be."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from opencal.agents.tokens import issue_token
from opencal.core.db import Database
from opencal.models import User
from opencal.users import bootstrap
from support import TestUser, create_user, free_port, opencal_cli, opencal_server

BASE = "/api/v1/calcom"
MONDAY = "2050-09-05"  # London is UTC+1 and Paris UTC+2 then


class Remote:
    """Another opencal deployment, reached over HTTP, whose users the CLI creates."""

    def __init__(self, url: str, database_url: str) -> None:
        self.url = url
        self.database_url = database_url

    def require(self, *operation_ids: str) -> None:
        document = httpx.get(f"{self.url}/openapi.json", timeout=10).json()
        served = {op["operationId"] for item in document["paths"].values() for op in item.values()}
        missing = [operation_id for operation_id in operation_ids if operation_id not in served]
        if missing:
            pytest.skip(f"the remote server does not serve yet: {', '.join(missing)}")

    def new_user(self) -> RemoteUser:
        """A user of its own (so each test has an empty calendar), working 09:00-17:00 London time."""
        username = f"desk-{uuid.uuid4().hex[:8]}"
        created = opencal_cli(
            self.database_url,
            "users",
            "create",
            "--email",
            f"{username}@remote.example",
            "--username",
            username,
            "--api-key",
        )
        return RemoteUser(self.url, created["id"], username, created["apiKey"])


@dataclass(frozen=True)
class RemoteUser:
    url: str
    id: int
    username: str
    api_key: str

    def create_event_type(self) -> int:
        response = httpx.post(
            f"{self.url}/v2/event-types",
            json={"title": "Intro call", "slug": "intro", "lengthInMinutes": 30, "minimumBookingNotice": 0},
            headers={"Authorization": f"Bearer {self.api_key}", "cal-api-version": "2024-06-14"},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        event_type_id: int = response.json()["data"]["id"]
        return event_type_id


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    directory: Path = tmp_path_factory.mktemp("remote")
    database_url = f"sqlite:///{directory / 'remote.db'}"
    opencal_cli(database_url, "migrate")
    with opencal_server(database_url, OPENCAL_LOG_LEVEL="WARNING") as url:
        yield Remote(url, database_url)


class Org:
    def __init__(self, client: httpx.AsyncClient, organization_id: int) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {issue_token('test-secret-key', organization_id=organization_id)}"}

    async def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return await self.client.post(f"{BASE}{path}", json=body, headers=self.headers)

    async def agent_on(self, desk: RemoteUser) -> str:
        account = await self.post(
            "/accounts", {"name": "Remote desk", "api_key": desk.api_key, "api_base_url": desk.url}
        )
        assert account.status_code == 201, account.text
        agent = await self.post("/agents", {"name": "Receptionist"})
        agent_id: str = agent.json()["data"]["agent_id"]
        link = await self.client.put(
            f"{BASE}/agents/{agent_id}/account",
            json={"calcom_account_id": account.json()["data"]["calcom_account_id"]},
            headers=self.headers,
        )
        assert link.status_code == 200, link.text
        return agent_id

    async def manage(self, agent_id: str, action: str, **arguments: Any) -> httpx.Response:
        return await self.post("/appointments/manage", {"agent_id": agent_id, "action": action, **arguments})


@pytest.fixture
async def org(client: httpx.AsyncClient, db: Database) -> Org:
    owner: TestUser = await create_user(db, "owner@example.com", "owner")
    async with db.write() as session:
        user = await session.get(User, owner.id)
        assert user is not None
        organization = await bootstrap.create_organization(session, name="Acme", slug="acme", owner=user)
        return Org(client, organization.id)


def result(response: httpx.Response, message: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["success"], body["message"]) == (True, message), body
    assert set(body["data"]) == {"action", "agent_id", "calcom_account_id", "source", "result"}
    outcome: dict[str, Any] = body["data"]["result"]
    return outcome


def failure(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"success", "message", "code"} and body["success"] is False and body["code"] == code, body
    return str(body["message"])


async def test_connect_an_account_of_another_server(org: Org, remote: Remote) -> None:
    desk = remote.new_user()
    response = await org.post("/accounts", {"name": "Remote desk", "api_key": desk.api_key, "api_base_url": desk.url})
    assert response.status_code == 201, response.text
    account = response.json()["data"]
    assert (account["api_base_url"], account["calcom_user_id"], account["calcom_username"]) == (
        desk.url,
        desk.id,
        desk.username,
    )


async def test_a_key_the_other_server_refuses_is_not_stored(org: Org, remote: Remote) -> None:
    body = {"name": "Remote desk", "api_key": "cal_00000000000000000000000000000000", "api_base_url": remote.url}
    message = failure(await org.post("/accounts", body), 400, "INVALID_REQUEST")
    assert message == f"api_key was refused by {remote.url}: ApiAuthStrategy - api key - Your api key is not valid"
    assert (await org.client.get(f"{BASE}/accounts", headers=org.headers)).json()["data"] == []


async def test_an_unreachable_server_is_502(org: Org) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    message = failure(
        await org.post("/accounts", {"name": "Gone", "api_key": "cal_x", "api_base_url": url}), 502, "UPSTREAM_ERROR"
    )
    assert message == f"Cannot reach {url}: ConnectError"


async def test_the_other_server_s_not_found_is_ours(org: Org, remote: Remote) -> None:
    agent_id = await org.agent_on(remote.new_user())
    failure(await org.manage(agent_id, "cancel", booking_uid="no-such-booking"), 404, "NOT_FOUND")
    unknown_event = {"event_type_id": 999999, "date": MONDAY, "time_zone": "Europe/Paris"}
    failure(await org.manage(agent_id, "availability", **unknown_event), 404, "NOT_FOUND")
    failure(await org.manage(agent_id, "suggest", **unknown_event), 404, "NOT_FOUND")


async def test_availability_and_suggest_through_the_other_server(org: Org, remote: Remote) -> None:
    remote.require("SlotsController_2024_09_04_getAvailableSlots", "EventTypesController_2024_06_14_createEventType")
    desk = remote.new_user()
    event_type_id = desk.create_event_type()
    agent_id = await org.agent_on(desk)
    day = {"event_type_id": event_type_id, "date": MONDAY, "time_zone": "Europe/Paris"}

    available = result(await org.manage(agent_id, "availability", **day), "Open times found")
    assert available["total_open_times"] == 16 and available["more_available"] is False
    assert [slot["start"] for slot in available["open_times"]][:2] == [
        f"{MONDAY}T10:00:00+02:00",
        f"{MONDAY}T10:30:00+02:00",
    ]
    suggested = result(
        await org.manage(agent_id, "suggest", **day, preferred_time=f"{MONDAY}T15:10"), "Suggested times"
    )
    assert suggested["open_times"] == [
        {"start": f"{MONDAY}T15:00:00+02:00", "spoken": "Monday, September 5 at 3:00 PM"},
        {"start": f"{MONDAY}T15:30:00+02:00", "spoken": "Monday, September 5 at 3:30 PM"},
        {"start": f"{MONDAY}T14:30:00+02:00", "spoken": "Monday, September 5 at 2:30 PM"},
    ]


async def test_book_reschedule_cancel_through_the_other_server(org: Org, remote: Remote) -> None:
    remote.require(
        "EventTypesController_2024_06_14_createEventType",
        "BookingsController_2024_08_13_createBooking",
        "BookingsController_2024_08_13_rescheduleBooking",
        "BookingsController_2024_08_13_cancelBooking",
    )
    desk = remote.new_user()
    event_type_id = desk.create_event_type()
    agent_id = await org.agent_on(desk)

    booked = result(
        await org.manage(
            agent_id,
            "book",
            event_type_id=event_type_id,
            start=f"{MONDAY}T11:00",
            time_zone="Europe/Paris",
            name="Carla Caller",
            email="carla@example.com",
        ),
        "Meeting booked",
    )
    assert booked["status"] == "accepted" and booked["start"] == f"{MONDAY}T11:00:00+02:00"
    moved = result(
        await org.manage(
            agent_id, "reschedule", booking_uid=booked["booking_uid"], start=f"{MONDAY}T14:00", time_zone="Europe/Paris"
        ),
        "Meeting rescheduled",
    )
    assert moved["previous_booking_uid"] == booked["booking_uid"] and moved["start"] == f"{MONDAY}T14:00:00+02:00"
    cancelled = result(
        await org.manage(agent_id, "cancel", booking_uid=moved["booking_uid"], reason="Changed plans"),
        "Meeting cancelled",
    )
    assert cancelled["status"] == "cancelled"
    # The same slot cannot be booked twice on the other server either.
    again = await org.manage(
        agent_id,
        "book",
        event_type_id=event_type_id,
        start=f"{MONDAY}T11:00",
        time_zone="Europe/Paris",
        name="Other",
        email="other@example.com",
    )
    assert result(again, "Meeting booked")["status"] == "accepted"
    failure(
        await org.manage(
            agent_id,
            "book",
            event_type_id=event_type_id,
            start=f"{MONDAY}T11:00",
            time_zone="Europe/Paris",
            name="Late",
            email="late@example.com",
        ),
        400,
        "INVALID_REQUEST",
    )
