"""Schedules seen from an organization or a team (`Orgs / Schedules`, `Orgs / Users / Schedules`,
`Orgs / Teams / Schedules`, `Orgs / Teams / Users / Schedules`, `Teams / Schedules`)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import EventType, Host, Schedule, User
from opencal.users import bootstrap
from support import (
    TestOrg,
    TestUser,
    add_membership,
    create_org_team,
    create_org_with_members,
    create_user,
    data,
    error,
)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _default(schedule_id: int, owner_id: int, is_default: bool = True, name: str = "Default") -> dict[str, Any]:
    return {
        "id": schedule_id,
        "ownerId": owner_id,
        "name": name,
        "timeZone": "Europe/London",
        "availability": [{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}],
        "isDefault": is_default,
        "overrides": [],
    }


async def _default_schedule_id(db: Database, user: TestUser) -> int:
    async with db.read() as session:
        row = await session.get(User, user.id)
        assert row is not None and row.default_schedule_id is not None
        return row.default_schedule_id


async def _schedules(db: Database) -> list[tuple[Any, ...]]:
    async with db.read() as session:
        result = await session.execute(select(Schedule.id, Schedule.user_id, Schedule.name, Schedule.time_zone))
        defaults = await session.execute(select(User.id, User.default_schedule_id).order_by(User.id))
        return sorted(tuple(r) for r in result.all()) + [tuple(d) for d in defaults.all()]


def _user_path(org: TestOrg, user_id: int, schedule_id: int | None = None) -> str:
    base = f"/v2/organizations/{org.id}/users/{user_id}/schedules"
    return base if schedule_id is None else f"{base}/{schedule_id}"


async def test_user_schedule_lifecycle(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    first_default = await _default_schedule_id(db, org.member)
    body = {
        "name": "work",
        "timeZone": "Europe/Rome",
        "isDefault": True,
        "overrides": [{"date": "2030-05-20", "startTime": "18:00", "endTime": "21:00"}],
    }
    created = data(await client.post(_user_path(org, org.member.id), json=body, headers=org.admin.headers), 201)
    assert created == {
        "id": created["id"],
        "ownerId": org.member.id,
        "name": "work",
        "timeZone": "Europe/Rome",
        "availability": [{"days": WEEKDAYS, "startTime": "09:00", "endTime": "17:00"}],
        "isDefault": True,
        "overrides": [{"date": "2030-05-20", "startTime": "18:00", "endTime": "21:00"}],
    }
    assert await _default_schedule_id(db, org.member) == created["id"]
    listed = data(await client.get(_user_path(org, org.member.id), headers=org.admin.headers))
    assert listed == [_default(first_default, org.member.id, is_default=False), created]
    path = _user_path(org, org.member.id, created["id"])
    assert data(await client.get(path, headers=org.admin.headers)) == created
    renamed = data(await client.patch(path, json={"name": "updated"}, headers=org.admin.headers))
    assert renamed == {**created, "name": "updated"}
    response = await client.delete(path, headers=org.admin.headers)
    assert (response.status_code, response.json()) == (200, {"status": "success"})
    assert error(await client.get(path, headers=org.admin.headers), 404)["message"] == (
        f"Schedule with ID={created['id']} does not exist."
    )
    assert await _default_schedule_id(db, org.member) == first_default


async def test_bad_user_schedule_requests_change_nothing(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    outsider = await create_user(db, email="outsider@example.com")
    admin_schedule = await _default_schedule_id(db, org.admin)
    before = await _schedules(db)
    headers = org.admin.headers
    body = {"name": "x", "timeZone": "Mars/Olympus", "isDefault": False}
    assert error(await client.post(_user_path(org, org.member.id), json=body, headers=headers), 400)[
        "message"
    ].startswith("timeZone")
    good = {"name": "x", "timeZone": "Europe/Rome", "isDefault": True}
    err = error(await client.post(_user_path(org, outsider.id), json=good, headers=headers), 403)
    assert err["message"] == f"User with id={outsider.id} is not part of the organization with id={org.id}"
    # The admin's schedule under the member's path: someone else's.
    foreign = _user_path(org, org.member.id, admin_schedule)
    error(await client.get(foreign, headers=headers), 403)
    error(await client.patch(foreign, json={"name": "mine"}, headers=headers), 403)
    error(await client.delete(foreign, headers=headers), 403)
    missing = _user_path(org, org.member.id, 999999)
    error(await client.get(missing, headers=headers), 404)
    error(await client.patch(missing, json={"name": "x"}, headers=headers), 404)
    error(await client.delete(missing, headers=headers), 400)
    error(await client.get(_user_path(org, org.member.id) + "/abc", headers=headers), 400)
    assert await _schedules(db) == before


async def test_org_schedules(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    await create_user(db, email="outsider@example.com")
    other = await create_org_with_members(db, "other")
    path = f"/v2/organizations/{org.id}/schedules"
    expected = [_default(await _default_schedule_id(db, user), user.id) for user in (org.owner, org.admin, org.member)]
    assert data(await client.get(path, headers=org.admin.headers)) == expected
    assert data(await client.get(f"{path}?skip=1&take=1", headers=org.admin.headers)) == expected[1:2]
    assert len(data(await client.get(f"/v2/organizations/{other.id}/schedules", headers=other.owner.headers))) == 3


async def test_guards(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "other")
    before = await _schedules(db)
    body = {"name": "work", "timeZone": "Europe/Rome", "isDefault": True}
    error(await client.get(f"/v2/organizations/{org.id}/schedules"), 401)
    error(await client.get("/v2/organizations/999999/schedules", headers=org.admin.headers), 403)
    for headers in (org.member.headers, other.admin.headers):
        error(await client.get(f"/v2/organizations/{org.id}/schedules", headers=headers), 403)
        error(await client.post(_user_path(org, org.member.id), json=body, headers=headers), 403)
        error(await client.get(_user_path(org, org.member.id), headers=headers), 403)
    # Another organization's user under this organization's path.
    error(await client.get(_user_path(org, other.member.id), headers=org.admin.headers), 403)
    other_schedule = await _default_schedule_id(db, other.member)
    error(await client.delete(_user_path(org, other.member.id, other_schedule), headers=org.admin.headers), 403)
    assert await _schedules(db) == before


async def _team_event(db: Database, team_id: int, hosts: dict[int, int | None]) -> int:
    async with db.write() as session:
        event = EventType(team_id=team_id, title="Demo", slug="demo", length=30)
        session.add(event)
        await session.flush()
        session.add_all(
            Host(event_type_id=event.id, user_id=user, schedule_id=schedule) for user, schedule in hosts.items()
        )
        return event.id


async def _extra_schedule(client: httpx.AsyncClient, org: TestOrg, user: TestUser, name: str) -> dict[str, Any]:
    body = {"name": name, "timeZone": "Europe/London", "isDefault": False}
    created: dict[str, Any] = data(
        await client.post(_user_path(org, user.id), json=body, headers=org.admin.headers), 201
    )
    return created


async def test_org_team_schedules(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    lead = await create_user(db, email="lead@example.com")
    await add_membership(db, org.id, lead.id, "MEMBER")
    team_id = await create_org_team(db, org.id, "sales", {lead.id: "ADMIN", org.member.id: "MEMBER"})
    lead_default = _default(await _default_schedule_id(db, lead), lead.id)
    member_default = _default(await _default_schedule_id(db, org.member), org.member.id)
    member_extra = await _extra_schedule(client, org, org.member, "Evenings")
    event_id = await _team_event(db, team_id, {lead.id: None, org.member.id: member_extra["id"]})
    base = f"/v2/organizations/{org.id}/teams/{team_id}"
    everyone = [member_default, lead_default, member_extra]
    assert data(await client.get(f"{base}/schedules", headers=lead.headers)) == everyone
    assert data(await client.get(f"{base}/schedules?take=1&skip=2", headers=org.admin.headers)) == everyone[2:]
    # With an event type: the schedule each host uses for it.
    assert data(await client.get(f"{base}/schedules?eventTypeId={event_id}", headers=lead.headers)) == [
        lead_default,
        member_extra,
    ]
    member_path = f"{base}/users/{org.member.id}/schedules"
    assert data(await client.get(member_path, headers=lead.headers)) == [member_default, member_extra]
    assert data(await client.get(f"{member_path}?eventTypeId={event_id}", headers=lead.headers)) == [member_extra]
    # A plain team member may not; a user outside the team is refused; a team of another organization is not found.
    error(await client.get(f"{base}/schedules", headers=org.member.headers), 403)
    err = error(await client.get(f"{base}/users/{org.admin.id}/schedules", headers=lead.headers), 403)
    assert err["message"] == f"User with id={org.admin.id} is not a member of the team with id={team_id}"
    other = await create_org_with_members(db, "other")
    foreign_team = await create_org_team(db, other.id, "theirs", {other.member.id: "MEMBER"})
    error(
        await client.get(f"/v2/organizations/{org.id}/teams/{foreign_team}/schedules", headers=org.admin.headers), 404
    )
    error(
        await client.get(
            f"/v2/organizations/{org.id}/teams/{foreign_team}/users/{other.member.id}/schedules",
            headers=org.admin.headers,
        ),
        404,
    )


async def test_team_schedules(client: httpx.AsyncClient, db: Database) -> None:
    lead = await create_user(db, email="lead@example.com")
    mate = await create_user(db, email="mate@example.com")
    async with db.write() as session:
        owner = await session.get(User, lead.id)
        assert owner is not None
        team = await bootstrap.create_team(session, name="Band", slug="band", owner=owner, organization_id=None)
        team_id = team.id
    await add_membership(db, team_id, mate.id, "MEMBER")
    path = f"/v2/teams/{team_id}/schedules"
    expected = [_default(await _default_schedule_id(db, u), u.id) for u in (lead, mate)]
    assert data(await client.get(path, headers=lead.headers)) == expected
    assert data(await client.get(f"{path}?take=1", headers=lead.headers)) == expected[:1]
    error(await client.get(path), 401)
    error(await client.get(path, headers=mate.headers), 403)
    error(await client.get("/v2/teams/999999/schedules", headers=lead.headers), 404)


async def test_team_schedules_of_an_organization_team(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "sales", {org.member.id: "MEMBER"})
    path = f"/v2/teams/{team_id}/schedules"
    # The organization's admins may act on every team of it; a plain team member may not.
    expected = [_default(await _default_schedule_id(db, org.member), org.member.id)]
    assert data(await client.get(path, headers=org.admin.headers)) == expected
    err = error(await client.get(path, headers=org.member.headers), 403)
    assert err["message"].startswith("RolesGuard")
    other = await create_org_with_members(db, "other")
    error(await client.get(path, headers=other.owner.headers), 403)
    # An organization is not a team.
    error(await client.get(f"/v2/teams/{org.id}/schedules", headers=org.owner.headers), 404)
