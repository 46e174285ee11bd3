"""Team event types under `/v2/teams/{teamId}/event-types`: collective, round robin and managed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import EventType, Host
from support import TestUser, create_team, create_user, data, error, row_counts

TABLES = ("event_types", "hosts")
EVENT_TYPES = {"cal-api-version": "2024-06-14"}
SLOTS = {"cal-api-version": "2024-09-04"}
# Every key of TeamEventTypeOutput_2024_06_14 the service sends for a team row.
TEAM_OUTPUT_KEYS = {
    "id",
    "lengthInMinutes",
    "title",
    "slug",
    "description",
    "locations",
    "bookingFields",
    "disableGuests",
    "slotInterval",
    "minimumBookingNotice",
    "beforeEventBuffer",
    "afterEventBuffer",
    "recurrence",
    "metadata",
    "price",
    "currency",
    "lockTimeZoneToggleOnBookingPage",
    "forwardParamsSuccessRedirect",
    "successRedirectUrl",
    "isInstantEvent",
    "scheduleId",
    "bookerActiveBookingsLimit",
    "onlyShowFirstAvailableSlot",
    "bookingWindow",
    "confirmationPolicy",
    "requiresBookerEmailVerification",
    "hideCalendarNotes",
    "seats",
    "offsetStart",
    "useDestinationCalendarEmail",
    "hideCalendarEventDetails",
    "hideOrganizerEmail",
    "calVideoSettings",
    "hidden",
    "bookingRequiresAuthentication",
    "disableCancelling",
    "disableRescheduling",
    "interfaceLanguage",
    "allowReschedulingPastBookings",
    "allowReschedulingCancelledBookings",
    "showOptimizedSlots",
    "teamId",
    "ownerId",
    "parentEventTypeId",
    "hosts",
    "assignAllTeamMembers",
    "schedulingType",
    "team",
    "rescheduleWithSameRoundRobinHost",
}


class Crew:
    """Team `crew`: an admin, two members; and a stranger outside it."""

    def __init__(self, team_id: int, admin: TestUser, ann: TestUser, bob: TestUser, stranger: TestUser) -> None:
        self.id, self.admin, self.ann, self.bob, self.stranger = team_id, admin, ann, bob, stranger

    @property
    def url(self) -> str:
        return f"/v2/teams/{self.id}/event-types"


@pytest.fixture
async def crew(db: Database) -> Crew:
    admin = await create_user(db, "admin@example.com", name="Ada Admin")
    ann = await create_user(db, "ann@example.com", name="Ann Member")
    bob = await create_user(db, "bob@example.com", name="Bob Member")
    stranger = await create_user(db, "stranger@example.com")
    team_id = await create_team(db, "crew", {admin.id: "ADMIN", ann.id: "MEMBER", bob.id: "MEMBER"})
    return Crew(team_id, admin, ann, bob, stranger)


def body(slug: str = "demo", scheduling_type: str = "collective", **fields: Any) -> dict[str, Any]:
    return {"title": slug.title(), "slug": slug, "lengthInMinutes": 30, "schedulingType": scheduling_type, **fields}


async def create(client: httpx.AsyncClient, crew: Crew, **fields: Any) -> Any:
    return data(await client.post(crew.url, json=body(**fields), headers=crew.admin.headers), 201)


async def host_rows(db: Database, event_type_id: int) -> list[tuple[int, bool, int | None, int | None, str | None]]:
    async with db.read() as session:
        hosts = await session.scalars(select(Host).where(Host.event_type_id == event_type_id).order_by(Host.user_id))
        return [(h.user_id, h.is_fixed, h.priority, h.weight, h.group_id) for h in hosts]


def person(user: TestUser, name: str) -> dict[str, Any]:
    return {"userId": user.id, "name": name, "username": user.username, "avatarUrl": None}


async def test_create_collective_event_type(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    hosts = [{"userId": crew.ann.id, "mandatory": False, "priority": "high"}, {"userId": crew.bob.id}]
    created = await create(client, crew, hosts=hosts, description="Meet us")
    assert set(created) == TEAM_OUTPUT_KEYS
    assert {key: created[key] for key in ("title", "slug", "lengthInMinutes", "description", "schedulingType")} == {
        "title": "Demo",
        "slug": "demo",
        "lengthInMinutes": 30,
        "description": "Meet us",
        "schedulingType": "collective",
    }
    assert (created["teamId"], created["ownerId"], created["parentEventTypeId"]) == (crew.id, None, None)
    assert (created["assignAllTeamMembers"], created["rescheduleWithSameRoundRobinHost"]) == (False, False)
    # Collective hosts are all mandatory at medium priority, and shown without either setting.
    assert created["hosts"] == [person(crew.ann, "Ann Member"), person(crew.bob, "Bob Member")]
    assert created["team"] == {
        "id": crew.id,
        "slug": "crew",
        "bannerUrl": None,
        "name": "Crew",
        "logoUrl": None,
        "weekStart": "Sunday",
        "brandColor": None,
        "darkBrandColor": None,
        "theme": None,
    }
    assert created["locations"] == [{"type": "integration", "integration": "cal-video"}]
    assert await host_rows(db, created["id"]) == [
        (crew.ann.id, True, 2, None, None),
        (crew.bob.id, True, 2, None, None),
    ]
    async with db.read() as session:
        row = await session.get(EventType, created["id"])
        assert row is not None
        assert (row.team_id, row.owner_id, row.scheduling_type) == (crew.id, None, "COLLECTIVE")


async def test_round_robin_hosts_keep_their_settings(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    hosts = [
        {"userId": crew.ann.id, "mandatory": True, "priority": "lowest"},
        {"userId": crew.bob.id, "priority": "highest", "weight": 50, "groupId": "sales"},
        {"userId": crew.admin.id},
    ]
    created = await create(
        client, crew, scheduling_type="roundRobin", hosts=hosts, rescheduleWithSameRoundRobinHost=True
    )
    assert created["schedulingType"] == "roundRobin"
    assert created["rescheduleWithSameRoundRobinHost"] is True
    assert created["hosts"] == [
        {**person(crew.ann, "Ann Member"), "mandatory": True, "priority": "lowest"},
        {**person(crew.bob, "Bob Member"), "mandatory": False, "priority": "highest", "weight": 50, "groupId": "sales"},
        {**person(crew.admin, "Ada Admin"), "mandatory": False, "priority": "medium"},
    ]
    assert await host_rows(db, created["id"]) == sorted(
        [
            (crew.ann.id, True, 0, None, None),
            (crew.bob.id, False, 4, 50, "sales"),
            (crew.admin.id, False, 2, None, None),
        ]
    )
    # Cal.com's database names of the scheduling type are accepted too.
    other = await create(client, crew, slug="other", scheduling_type="ROUND_ROBIN", hosts=[{"userId": crew.ann.id}])
    assert other["schedulingType"] == "roundRobin"


async def test_assign_all_team_members(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    created = await create(client, crew, assignAllTeamMembers=True)
    assert created["assignAllTeamMembers"] is True
    assert [host["userId"] for host in created["hosts"]] == [crew.admin.id, crew.ann.id, crew.bob.id]
    # A member joining later through the memberships API is added; one leaving is removed.
    newcomer = await create_user(db, "new@example.com")
    memberships = f"/v2/teams/{crew.id}/memberships"
    joined = await client.post(
        memberships, json={"userId": newcomer.id, "role": "MEMBER", "accepted": True}, headers=crew.admin.headers
    )
    data(joined, 201)
    listed = data(await client.get(memberships, headers=crew.admin.headers))
    bobs = next(m["id"] for m in listed if m["userId"] == crew.bob.id)
    data(await client.delete(f"{memberships}/{bobs}", headers=crew.admin.headers))
    assert [row[0] for row in await host_rows(db, created["id"])] == sorted([crew.admin.id, crew.ann.id, newcomer.id])
    # Choosing hosts ends "all members".
    url = f"{crew.url}/{created['id']}"
    chosen = data(await client.patch(url, json={"hosts": [{"userId": crew.ann.id}]}, headers=crew.admin.headers))
    assert (chosen["assignAllTeamMembers"], [h["userId"] for h in chosen["hosts"]]) == (False, [crew.ann.id])


async def test_managed_event_type_has_a_copy_per_member(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    hosts = [{"userId": crew.ann.id}, {"userId": crew.bob.id}]
    parent, ann_copy, bob_copy = await create(client, crew, slug="onboarding", scheduling_type="managed", hosts=hosts)
    assert (parent["teamId"], parent["ownerId"], parent["schedulingType"]) == (crew.id, None, "managed")
    assert parent["hosts"] == [person(crew.ann, "Ann Member"), person(crew.bob, "Bob Member")]
    assert parent["metadata"] == {"managedEventConfig": {}}
    for copy, owner in ((ann_copy, crew.ann), (bob_copy, crew.bob)):
        assert set(copy) == TEAM_OUTPUT_KEYS - {"assignAllTeamMembers"}
        assert (copy["teamId"], copy["ownerId"], copy["parentEventTypeId"]) == (None, owner.id, parent["id"])
        assert (copy["schedulingType"], copy["hosts"], copy["slug"], copy["metadata"]) == (None, [], "onboarding", {})
        assert copy["team"]["id"] is None
    assert await host_rows(db, parent["id"]) == []
    # The copy is the member's own event type.
    listed = data(await client.get("/v2/event-types", params={"username": "ann"}, headers=EVENT_TYPES))
    assert [(e["id"], e["ownerId"]) for e in listed] == [(ann_copy["id"], crew.ann.id)]
    # It is booked like one (Ann works 09:00-17:00 London time), while the team row is not.
    window = {"start": "2050-09-05", "end": "2050-09-05", "timeZone": "Europe/London"}
    slots = data(await client.get("/v2/slots", params={**window, "eventTypeId": ann_copy["id"]}, headers=SLOTS))
    assert [slot["start"][11:16] for slot in slots["2050-09-05"]][:3] == ["09:00", "09:30", "10:00"]
    refused = await client.get("/v2/slots", params={**window, "eventTypeId": parent["id"]}, headers=SLOTS)
    assert "managed event type" in error(refused, 400)["message"]

    # Changes reach the copies; a member taken out of the hosts loses their copy.
    url = f"{crew.url}/{parent['id']}"
    updated = data(
        await client.patch(
            url, json={"title": "Welcome", "hosts": [{"userId": crew.ann.id}]}, headers=crew.admin.headers
        )
    )
    assert [(e["id"], e["title"], e["ownerId"]) for e in updated] == [
        (parent["id"], "Welcome", None),
        (ann_copy["id"], "Welcome", crew.ann.id),
    ]
    async with db.read() as session:
        assert await session.get(EventType, bob_copy["id"]) is None
    # Deleting the team event type deletes the copies.
    assert data(await client.delete(url, headers=crew.admin.headers)) == {"id": parent["id"], "title": "Welcome"}
    async with db.read() as session:
        assert (await session.scalars(select(EventType.id))).all() == []


async def test_managed_copy_needs_a_free_slug(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    response = await client.post(
        "/v2/event-types",
        json={"title": "Mine", "slug": "onboarding", "lengthInMinutes": 30},
        headers={**crew.bob.headers, **EVENT_TYPES},
    )
    data(response, 201)
    before = await row_counts(db, *TABLES)
    hosts = [{"userId": crew.ann.id}, {"userId": crew.bob.id}]
    response = await client.post(crew.url, json=body("onboarding", "managed", hosts=hosts), headers=crew.admin.headers)
    assert error(response, 400)["message"] == (
        f"User with id={crew.bob.id} already has an event type with slug 'onboarding', so the managed event type "
        "can't be assigned to them"
    )
    assert await row_counts(db, *TABLES) == before


async def test_read_update_and_delete(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    first = await create(client, crew, slug="first", hosts=[{"userId": crew.ann.id}])
    second = await create(
        client,
        crew,
        slug="second",
        scheduling_type="roundRobin",
        hosts=[{"userId": crew.ann.id}, {"userId": crew.bob.id}],
    )
    # Members read.
    assert data(await client.get(f"{crew.url}/{first['id']}", headers=crew.ann.headers)) == first
    listed = data(await client.get(crew.url, headers=crew.bob.headers))
    assert [e["id"] for e in listed] == [first["id"], second["id"]]
    newest_first = data(await client.get(crew.url, params={"sortCreatedAt": "desc"}, headers=crew.ann.headers))
    assert [e["id"] for e in newest_first] == [second["id"], first["id"]]
    by_slug = data(
        await client.get(crew.url, params={"eventSlug": "second", "hostsLimit": 1}, headers=crew.ann.headers)
    )
    assert [(e["id"], len(e["hosts"])) for e in by_slug] == [(second["id"], 1)]
    assert data(await client.get(crew.url, params={"eventSlug": "nope"}, headers=crew.ann.headers)) == []

    # Round robin becomes collective: every host becomes mandatory.
    patch = {"title": "Renamed", "schedulingType": "collective", "lengthInMinutes": 45}
    updated = data(await client.patch(f"{crew.url}/{second['id']}", json=patch, headers=crew.admin.headers))
    assert (updated["title"], updated["lengthInMinutes"], updated["schedulingType"]) == ("Renamed", 45, "collective")
    assert await host_rows(db, second["id"]) == sorted(
        [(crew.ann.id, True, 2, None, None), (crew.bob.id, True, 2, None, None)]
    )
    # New hosts replace the old ones; a kept host keeps its row.
    async with db.read() as session:
        kept_id = await session.scalar(select(Host.id).where(Host.event_type_id == first["id"]))
    hosts = [{"userId": crew.bob.id}, {"userId": crew.ann.id}]
    updated = data(await client.patch(f"{crew.url}/{first['id']}", json={"hosts": hosts}, headers=crew.admin.headers))
    assert [h["userId"] for h in updated["hosts"]] == [crew.ann.id, crew.bob.id]
    async with db.read() as session:
        assert (
            await session.scalar(select(Host.id).where(Host.event_type_id == first["id"], Host.user_id == crew.ann.id))
            == kept_id
        )

    assert data(await client.delete(f"{crew.url}/{first['id']}", headers=crew.admin.headers)) == {
        "id": first["id"],
        "title": "First",
    }
    err = error(await client.get(f"{crew.url}/{first['id']}", headers=crew.admin.headers), 404)
    assert err["message"] == f"Event type with id {first['id']} not found"
    err = error(await client.delete(f"{crew.url}/{first['id']}", headers=crew.admin.headers), 404)
    assert err["message"] == f"Event type with ID={first['id']} does not exist."
    err = error(await client.patch(f"{crew.url}/{first['id']}", json={"title": "X"}, headers=crew.admin.headers), 400)
    assert err["message"] == "Event type to update not found"


async def test_who_may_call(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    created = await create(client, crew, hosts=[{"userId": crew.ann.id}])
    one = f"{crew.url}/{created['id']}"
    assert error(await client.get(crew.url), 401)["code"] == "UnauthorizedException"
    for caller in (crew.stranger,):
        assert error(await client.get(crew.url, headers=caller.headers), 403)["message"] == (
            f"RolesGuard - User is not a member of the team with id={crew.id}."
        )
    before = await row_counts(db, *TABLES)
    refused = (
        f"RolesGuard - user with id={crew.ann.id} does not have the minimum required role=TEAM_ADMIN within team "
        f"with id={crew.id}."
    )
    assert error(await client.post(crew.url, json=body("x"), headers=crew.ann.headers), 403)["message"] == refused
    assert error(await client.patch(one, json={"title": "X"}, headers=crew.ann.headers), 403)["message"] == refused
    assert error(await client.delete(one, headers=crew.ann.headers), 403)["message"] == refused
    assert await row_counts(db, *TABLES) == before
    # Another team's event type is not found through this team.
    other_team = await create_team(db, "other", {crew.stranger.id: "OWNER"})
    err = error(
        await client.get(f"/v2/teams/{other_team}/event-types/{created['id']}", headers=crew.stranger.headers), 404
    )
    assert err["message"] == f"Event type with id {created['id']} not found"


async def test_bad_input_changes_nothing(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    await create(client, crew, slug="taken", hosts=[{"userId": crew.ann.id}])
    before = await row_counts(db, *TABLES)
    cases: list[tuple[dict[str, Any], int, str]] = [
        (
            body(hosts=[{"userId": crew.stranger.id}, {"userId": crew.ann.id}]),
            404,
            f"Invalid hosts: {crew.stranger.id} are not members of team with id {crew.id}.",
        ),
        (
            body(hosts=[{"userId": crew.ann.id}, {"userId": crew.ann.id}]),
            400,
            f"hosts: user {crew.ann.id} is listed more than once",
        ),
        (
            body(hosts=[{"userId": crew.ann.id}], assignAllTeamMembers=True),
            400,
            "Provide either hosts or assignAllTeamMembers but not both",
        ),
        (body("taken"), 400, "Team event type with this slug already exists"),
        (
            body(emailSettings={"disableEmailsToHosts": True}),
            400,
            "emailSettings: email settings are only available for organization team event types",
        ),
        (
            body(
                bookingFields=[
                    {"type": "email", "label": "Email", "placeholder": "", "required": False, "hidden": True}
                ]
            ),
            400,
            "checkIsEmailUserAccessible - Email booking field must be required and visible",
        ),
    ]
    for payload, status, message in cases:
        assert (
            error(await client.post(crew.url, json=payload, headers=crew.admin.headers), status)["message"] == message
        )
    missing = {key: value for key, value in body().items() if key != "schedulingType"}
    assert (
        "schedulingType" in error(await client.post(crew.url, json=missing, headers=crew.admin.headers), 400)["message"]
    )
    wrong = body(scheduling_type="everyone")
    assert (
        "schedulingType" in error(await client.post(crew.url, json=wrong, headers=crew.admin.headers), 400)["message"]
    )
    bad_priority = body(scheduling_type="roundRobin", hosts=[{"userId": crew.ann.id, "priority": "urgent"}])
    assert (
        "hosts.0.priority"
        in error(await client.post(crew.url, json=bad_priority, headers=crew.admin.headers), 400)["message"]
    )
    assert await row_counts(db, *TABLES) == before


async def test_managed_stays_managed(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    collective = await create(client, crew, hosts=[{"userId": crew.ann.id}])
    before = await row_counts(db, *TABLES)
    response = await client.patch(
        f"{crew.url}/{collective['id']}", json={"schedulingType": "managed"}, headers=crew.admin.headers
    )
    assert error(response, 400)["message"] == (
        f"schedulingType: event type with id={collective['id']} is collective and can't become managed; a managed "
        "event type can't become collective or round robin, nor the reverse"
    )
    assert await row_counts(db, *TABLES) == before
