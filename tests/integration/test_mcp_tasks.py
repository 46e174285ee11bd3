"""The task tools for conversational agents (find_open_times, book_meeting, reschedule_meeting,
cancel_meeting, list_upcoming_meetings) through the MCP SDK client, on the real operations.

A task tool exists only where the operations it calls are served; its tests are skipped, with the
missing operation named, until then.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from mcp import Client

from opencal.agents.calapi import bearer
from opencal.agents.scheduling import TASKS
from opencal.core.db import Database
from opencal.mcp_server.server import OpencalMcp
from support import TestUser, create_user, data

# A Monday: London is UTC+1 and Paris UTC+2 then. The host works 09:00-17:00 London time.
MONDAY = "2050-09-05"
CREATE_EVENT_TYPE = "EventTypesController_2024_06_14_createEventType"


def require_operations(app: FastAPI, *operation_ids: str) -> None:
    served = {op["operationId"] for item in app.openapi()["paths"].values() for op in item.values()}
    missing = [operation_id for operation_id in operation_ids if operation_id not in served]
    if missing:
        pytest.skip(f"not served yet: {', '.join(missing)}")


def require_task(app: FastAPI, *names: str) -> None:
    require_operations(app, CREATE_EVENT_TYPE, *(op for name in names for op in TASKS[name].operation_ids))


class Agent:
    def __init__(self, app: FastAPI, host: TestUser) -> None:
        self.mcp = OpencalMcp(
            app, base_url="http://testserver", credentials=lambda _ctx: bearer(host.api_key), refusal="none"
        )

    async def call(self, tool: str, **arguments: Any) -> dict[str, Any]:
        async with Client(self.mcp.server()) as client:
            result = await client.call_tool(tool, arguments)
        assert result.is_error is False, result.content
        return dict(result.structured_content or {})

    async def fail(self, tool: str, **arguments: Any) -> str:
        async with Client(self.mcp.server()) as client:
            result = await client.call_tool(tool, arguments)
        assert result.is_error is True, result.structured_content
        return str(result.content[0].text)  # type: ignore[union-attr]


@pytest.fixture
async def host(db: Database) -> TestUser:
    return await create_user(db, "host@example.com", "host", time_zone="Europe/London", name="Hana Host")


async def create_event_type(client: httpx.AsyncClient, host: TestUser) -> int:
    body = {"title": "Intro call", "slug": "intro", "lengthInMinutes": 30, "minimumBookingNotice": 0}
    response = await client.post(
        "/v2/event-types", json=body, headers={**host.headers, "cal-api-version": "2024-06-14"}
    )
    event_type_id: int = data(response, 201)["id"]
    return event_type_id


async def test_find_open_times(app: FastAPI, client: httpx.AsyncClient, host: TestUser) -> None:
    require_task(app, "find_open_times")
    event_type_id = await create_event_type(client, host)
    agent = Agent(app, host)

    found = await agent.call(
        "find_open_times", event_type_id=event_type_id, date=MONDAY, time_zone="Europe/Paris", max_results=3
    )
    assert found == {
        "time_zone": "Europe/Paris",
        "open_times": [
            {"start": f"{MONDAY}T10:00:00+02:00", "spoken": "Monday, September 5 at 10:00 AM"},
            {"start": f"{MONDAY}T10:30:00+02:00", "spoken": "Monday, September 5 at 10:30 AM"},
            {"start": f"{MONDAY}T11:00:00+02:00", "spoken": "Monday, September 5 at 11:00 AM"},
        ],
        "total_open_times": 16,
        "more_available": True,
    }

    closest = await agent.call(
        "find_open_times",
        event_type_slug="intro",
        username="host",
        date=MONDAY,
        time_zone="Europe/Paris",
        preferred_time=f"{MONDAY}T15:10",
        max_results=3,
    )
    assert [slot["start"] for slot in closest["open_times"]] == [
        f"{MONDAY}T15:00:00+02:00",
        f"{MONDAY}T15:30:00+02:00",
        f"{MONDAY}T14:30:00+02:00",
    ]

    # A local afternoon only, then two whole days, then a weekend day.
    afternoon = await agent.call(
        "find_open_times", event_type_id=event_type_id, start=f"{MONDAY}T17:00", time_zone="Europe/Paris"
    )
    assert [slot["start"] for slot in afternoon["open_times"]] == [
        f"{MONDAY}T17:00:00+02:00",
        f"{MONDAY}T17:30:00+02:00",
    ]
    two_days = await agent.call(
        "find_open_times", event_type_id=event_type_id, date=f"{MONDAY}/2050-09-06", time_zone="Europe/Paris"
    )
    assert two_days["total_open_times"] == 32 and len(two_days["open_times"]) == 10
    sunday = await agent.call("find_open_times", event_type_id=event_type_id, date="2050-09-04", time_zone="UTC")
    assert sunday == {"time_zone": "UTC", "open_times": [], "total_open_times": 0, "more_available": False}


async def test_find_open_times_says_what_is_missing(app: FastAPI, host: TestUser) -> None:
    require_task(app, "find_open_times")
    agent = Agent(app, host)
    assert await agent.fail("find_open_times") == (
        "find_open_times cannot run: missing time_zone: the caller's IANA time zone, for example Europe/London or "
        "America/New_York; missing event type: give event_type_id, or event_type_slug with username (or team_slug)."
    )
    assert await agent.fail("find_open_times", event_type_slug="intro", time_zone="UTC", date="2050-09-31") == (
        "find_open_times cannot run: missing username (or team_slug): whose event type event_type_slug names; "
        "date '2050-09-31' is not an ISO day such as 2030-01-08 (or 2030-01-08/2030-01-10)."
    )


async def test_find_open_times_relays_the_api_error(app: FastAPI, host: TestUser) -> None:
    require_task(app, "find_open_times")
    async with Client(Agent(app, host).mcp.server()) as client:
        result = await client.call_tool(
            "find_open_times", {"event_type_id": 999999, "date": MONDAY, "time_zone": "Europe/Paris"}
        )
    assert result.is_error is True
    body = result.structured_content or {}
    assert body["status"] == "error" and body["error"]["code"] == "NotFoundException"


async def test_find_book_reschedule_cancel(app: FastAPI, client: httpx.AsyncClient, host: TestUser) -> None:
    require_task(
        app, "find_open_times", "book_meeting", "reschedule_meeting", "cancel_meeting", "list_upcoming_meetings"
    )
    event_type_id = await create_event_type(client, host)
    agent = Agent(app, host)
    day = {"event_type_id": event_type_id, "date": MONDAY, "time_zone": "Europe/Paris"}

    first, second = (await agent.call("find_open_times", **day, max_results=2))["open_times"]
    booked = await agent.call(
        "book_meeting",
        event_type_id=event_type_id,
        start=first["start"],
        time_zone="Europe/Paris",
        name="Carla Caller",
        phone="+33612345678",
        email="carla@example.com",
        notes="About the quote",
    )
    assert booked["status"] == "accepted"
    assert (booked["start"], booked["end"]) == (f"{MONDAY}T10:00:00+02:00", f"{MONDAY}T10:30:00+02:00")
    assert booked["spoken"] == "Monday, September 5 at 10:00 AM"
    assert booked["attendees"][0] == "Carla Caller"
    uid = booked["booking_uid"]
    assert first["start"] not in [slot["start"] for slot in (await agent.call("find_open_times", **day))["open_times"]]

    by_email = await agent.call("list_upcoming_meetings", email="carla@example.com", time_zone="Europe/Paris")
    assert [meeting["booking_uid"] for meeting in by_email["meetings"]] == [uid]
    by_phone = await agent.call("list_upcoming_meetings", phone="+33 6 12 34 56 78")
    assert [meeting["booking_uid"] for meeting in by_phone["meetings"]] == [uid]
    assert by_phone["meetings"][0]["start"] == f"{MONDAY}T08:00:00+00:00"  # UTC when no time zone is given

    moved = await agent.call(
        "reschedule_meeting", booking_uid=uid, start=second["start"], time_zone="Europe/Paris", reason="Clash"
    )
    assert moved["previous_booking_uid"] == uid and moved["booking_uid"] != uid
    assert moved["start"] == f"{MONDAY}T10:30:00+02:00"

    cancelled = await agent.call(
        "cancel_meeting", booking_uid=moved["booking_uid"], reason="No longer needed", time_zone="Europe/Paris"
    )
    assert cancelled["status"] == "cancelled" and cancelled["booking_uid"] == moved["booking_uid"]
    after = await agent.call("list_upcoming_meetings", email="carla@example.com")
    assert after["meetings"] == [] and after["count"] == 0


async def test_book_meeting_says_what_is_missing(app: FastAPI, host: TestUser) -> None:
    require_task(app, "book_meeting")
    assert await Agent(app, host).fail("book_meeting", event_type_id=1, time_zone="Europe/Paris") == (
        "book_meeting cannot run: missing start: the chosen time, e.g. a start from find_open_times; missing name: "
        "the attendee's full name; missing email or phone: how to reach the attendee (at least one)."
    )
