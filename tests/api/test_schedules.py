from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import Availability, Schedule, User
from support import TestUser, create_user, data, error

V = {"cal-api-version": "2024-06-11"}
WEEKDAYS_9_TO_5 = [
    {"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "startTime": "09:00", "endTime": "17:00"}
]


def headers(user: TestUser) -> dict[str, str]:
    return {**user.headers, **V}


async def _snapshot(db: Database) -> dict[str, Any]:
    """Every schedule, its rows and each user's default schedule: to prove a bad request changed nothing."""
    async with db.read() as session:
        schedules = (await session.execute(select(Schedule.id, Schedule.name, Schedule.time_zone))).all()
        rows = (
            await session.execute(
                select(Availability.schedule_id, Availability.days, Availability.start_time, Availability.date)
            )
        ).all()
        defaults = (await session.execute(select(User.id, User.default_schedule_id))).all()
    return {"schedules": sorted(schedules), "rows": sorted(map(str, rows)), "defaults": sorted(defaults)}


async def _create(client: httpx.AsyncClient, user: TestUser, **body: Any) -> dict[str, Any]:
    payload = {"name": "Work", "timeZone": "Europe/Rome", "isDefault": False, **body}
    result: dict[str, Any] = data(await client.post("/v2/schedules", json=payload, headers=headers(user)), 201)
    return result


async def test_user_starts_with_the_default_schedule(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db, time_zone="America/New_York")
    schedules = data(await client.get("/v2/schedules", headers=headers(user)))
    assert schedules == [
        {
            "id": schedules[0]["id"],
            "ownerId": user.id,
            "name": "Default",
            "timeZone": "America/New_York",
            "availability": WEEKDAYS_9_TO_5,
            "isDefault": True,
            "overrides": [],
        }
    ]
    assert data(await client.get("/v2/schedules/default", headers=headers(user))) == schedules[0]


async def test_create_without_availability_is_monday_to_friday_nine_to_five(
    client: httpx.AsyncClient, db: Database
) -> None:
    user = await create_user(db)
    created = await _create(client, user, name="Catch up hours")
    assert created == {
        "id": created["id"],
        "ownerId": user.id,
        "name": "Catch up hours",
        "timeZone": "Europe/Rome",
        "availability": WEEKDAYS_9_TO_5,
        "isDefault": False,
        "overrides": [],
    }
    assert data(await client.get(f"/v2/schedules/{created['id']}", headers=headers(user))) == created


async def test_create_with_availability_and_overrides_round_trips(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    availability = [
        {"days": ["Monday", "Tuesday"], "startTime": "17:00", "endTime": "19:00"},
        {"days": ["Wednesday", "Thursday"], "startTime": "16:00", "endTime": "20:00"},
    ]
    overrides = [
        {"date": "2030-05-20", "startTime": "18:00", "endTime": "21:00"},
        {"date": "2030-05-21", "startTime": "00:00", "endTime": "00:00"},
    ]
    created = await _create(client, user, availability=availability, overrides=overrides)
    assert (created["availability"], created["overrides"]) == (availability, overrides)
    fetched = data(await client.get(f"/v2/schedules/{created['id']}", headers=headers(user)))
    assert fetched == created
    async with db.read() as session:
        days = (await session.scalars(select(Availability.days).where(Availability.schedule_id == created["id"]))).all()
    assert sorted(map(tuple, days)) == [(), (), (1, 2), (3, 4)]  # stored weekdays: 0 = Sunday


async def test_is_default_moves_the_users_default(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    first_default = data(await client.get("/v2/schedules/default", headers=headers(user)))
    created = await _create(client, user, isDefault=True)
    assert created["isDefault"] is True
    schedules = {s["id"]: s["isDefault"] for s in data(await client.get("/v2/schedules", headers=headers(user)))}
    assert schedules == {first_default["id"]: False, created["id"]: True}
    me = data(await client.get("/v2/me", headers=user.headers))
    assert me["defaultScheduleId"] == created["id"]

    updated = data(
        await client.patch(f"/v2/schedules/{first_default['id']}", json={"isDefault": True}, headers=headers(user))
    )
    assert updated["isDefault"] is True
    assert data(await client.get(f"/v2/schedules/{created['id']}", headers=headers(user)))["isDefault"] is False


async def test_is_default_false_keeps_the_default(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    default = data(await client.get("/v2/schedules/default", headers=headers(user)))
    updated = data(
        await client.patch(f"/v2/schedules/{default['id']}", json={"isDefault": False}, headers=headers(user))
    )
    assert updated["isDefault"] is True


async def test_patch_single_fields_keeps_the_others(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    overrides = [{"date": "2030-05-05", "startTime": "10:00", "endTime": "12:00"}]
    created = await _create(client, user, overrides=overrides)
    url = f"/v2/schedules/{created['id']}"

    renamed = data(await client.patch(url, json={"name": "Renamed"}, headers=headers(user)))
    assert renamed == {**created, "name": "Renamed"}

    moved = data(await client.patch(url, json={"timeZone": "Asia/Tokyo"}, headers=headers(user)))
    assert moved == {**renamed, "timeZone": "Asia/Tokyo"}

    weekly = [{"days": ["Saturday"], "startTime": "08:30", "endTime": "12:15"}]
    replaced = data(await client.patch(url, json={"availability": weekly}, headers=headers(user)))
    assert replaced == {**moved, "availability": weekly}

    new_overrides = [{"date": "2030-06-01", "startTime": "09:00", "endTime": "10:00"}]
    replaced_overrides = data(await client.patch(url, json={"overrides": new_overrides}, headers=headers(user)))
    assert replaced_overrides == {**replaced, "overrides": new_overrides}
    assert data(await client.get(url, headers=headers(user))) == replaced_overrides


async def test_empty_lists_empty_the_schedule(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await _create(client, user, overrides=[{"date": "2030-05-05", "startTime": "10:00", "endTime": "12:00"}])
    emptied = data(
        await client.patch(
            f"/v2/schedules/{created['id']}", json={"availability": [], "overrides": []}, headers=headers(user)
        )
    )
    assert (emptied["availability"], emptied["overrides"]) == ([], [])
    async with db.read() as session:
        count = await session.scalar(
            select(func.count()).select_from(Availability).where(Availability.schedule_id == created["id"])
        )
    assert count == 0


async def test_delete(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await _create(client, user)
    response = await client.delete(f"/v2/schedules/{created['id']}", headers=headers(user))
    assert response.status_code == 200
    assert response.json() == {"status": "success"}
    error(await client.get(f"/v2/schedules/{created['id']}", headers=headers(user)), 404)


async def test_deleting_the_default_promotes_another_schedule(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    default = data(await client.get("/v2/schedules/default", headers=headers(user)))
    other = await _create(client, user)
    assert (await client.delete(f"/v2/schedules/{default['id']}", headers=headers(user))).status_code == 200
    assert data(await client.get("/v2/schedules/default", headers=headers(user)))["id"] == other["id"]

    assert (await client.delete(f"/v2/schedules/{other['id']}", headers=headers(user))).status_code == 200
    response = await client.get("/v2/schedules/default", headers=headers(user))
    assert response.status_code == 200
    assert response.json() == {"status": "success", "data": None}
    assert data(await client.get("/v2/me", headers=user.headers))["defaultScheduleId"] is None


async def test_someone_elses_schedule_is_forbidden(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    bobs = data(await client.get("/v2/schedules/default", headers=headers(bob)))
    url = f"/v2/schedules/{bobs['id']}"
    before = await _snapshot(db)
    message = f"User with ID={alice.id} does not own schedule with ID={bobs['id']}"
    assert error(await client.get(url, headers=headers(alice)), 403)["message"] == message
    assert error(await client.patch(url, json={"name": "x"}, headers=headers(alice)), 403)["message"] == message
    assert error(await client.delete(url, headers=headers(alice)), 403)["message"] == message
    assert await _snapshot(db) == before


async def test_unknown_schedule(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    err = error(await client.get("/v2/schedules/999999", headers=headers(user)), 404)
    assert err["message"] == "Schedule with ID=999999 does not exist."
    error(await client.patch("/v2/schedules/999999", json={"name": "x"}, headers=headers(user)), 404)
    # Cal.com answers a missing schedule on delete with 400.
    err = error(await client.delete("/v2/schedules/999999", headers=headers(user)), 400)
    assert err["message"] == "Schedule with ID=999999 does not exist."
    error(await client.get("/v2/schedules/abc", headers=headers(user)), 400)


async def test_requires_authentication(client: httpx.AsyncClient) -> None:
    for method, url in [
        ("GET", "/v2/schedules"),
        ("POST", "/v2/schedules"),
        ("GET", "/v2/schedules/default"),
        ("GET", "/v2/schedules/1"),
        ("PATCH", "/v2/schedules/1"),
        ("DELETE", "/v2/schedules/1"),
    ]:
        error(await client.request(method, url, headers=V, json={}), 401)


async def test_only_served_for_its_version(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    response = await client.get("/v2/schedules", headers=user.headers)
    assert error(response, 404)["message"] == "Cannot GET /v2/schedules"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
        ({"name": None}, "name"),
        ({"isDefault": "yes"}, "isDefault"),
        ({"availability": [{"days": ["Funday"], "startTime": "09:00", "endTime": "10:00"}]}, "availability.0.days"),
        ({"availability": [{"days": ["Monday"], "startTime": "9:00", "endTime": "10:00"}]}, "availability.0.startTime"),
        ({"availability": [{"days": ["Monday"], "startTime": "09:00", "endTime": "24:00"}]}, "availability.0.endTime"),
        ({"availability": [{"days": ["Monday"], "startTime": "09:00"}]}, "availability.0.endTime"),
        ({"overrides": [{"date": "2030-02-30", "startTime": "09:00", "endTime": "10:00"}]}, "overrides.0.date"),
        ({"overrides": [{"date": "20300201", "startTime": "09:00", "endTime": "10:00"}]}, "overrides.0.date"),
    ],
)
async def test_bad_create_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], fragment: str
) -> None:
    user = await create_user(db)
    before = await _snapshot(db)
    payload = {"name": "Work", "timeZone": "Europe/Rome", "isDefault": True, **body}
    err = error(await client.post("/v2/schedules", json=payload, headers=headers(user)), 400)
    assert fragment in err["message"]
    assert await _snapshot(db) == before


async def test_missing_required_fields(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    err = error(await client.post("/v2/schedules", json={"timeZone": "Europe/Rome"}, headers=headers(user)), 400)
    assert "name: Field required" in err["message"]
    assert "isDefault: Field required" in err["message"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"timeZone": "Not/AZone", "name": "changed"}, "timeZone"),
        ({"availability": [{"days": ["Monday"], "startTime": "25:00", "endTime": "26:00"}]}, "availability"),
        ({"overrides": [{"date": "tomorrow", "startTime": "09:00", "endTime": "10:00"}]}, "overrides"),
    ],
)
async def test_bad_update_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], fragment: str
) -> None:
    user = await create_user(db)
    schedule = data(await client.get("/v2/schedules/default", headers=headers(user)))
    before = await _snapshot(db)
    err = error(await client.patch(f"/v2/schedules/{schedule['id']}", json=body, headers=headers(user)), 400)
    assert fragment in err["message"]
    assert await _snapshot(db) == before


async def test_timezones_lists_iana_zones_without_a_version(client: httpx.AsyncClient) -> None:
    zones = data(await client.get("/v2/timezones"))
    assert {"city": "New York", "timezone": "America/New_York"} in zones
    assert {"city": "Buenos Aires", "timezone": "America/Argentina/Buenos_Aires"} in zones
    assert all(set(zone) == {"city", "timezone"} for zone in zones)
    assert data(await client.get("/v2/timezones", headers={"cal-api-version": "2024-09-04"})) == zones
