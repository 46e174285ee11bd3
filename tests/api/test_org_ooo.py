"""Out-of-office entries of organization users (`Orgs / Users / OOO`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import OutOfOffice, User, WebhookDelivery, WebhookEvent
from opencal.organizations.ooo.service import out_of_office_days, out_of_office_spans
from support import TestOrg, add_webhook, create_org_team, create_org_with_members, create_user, data, error

MAY = {"start": "2025-05-01T01:00:00.000Z", "end": "2025-05-10T13:59:59.999Z"}
JULY = {"start": "2025-07-01T00:00:00.000Z", "end": "2025-07-03T00:00:00.000Z"}


def _path(org: TestOrg, user_id: int, ooo_id: int | None = None) -> str:
    base = f"/v2/organizations/{org.id}/users/{user_id}/ooo"
    return base if ooo_id is None else f"{base}/{ooo_id}"


async def _create(
    client: httpx.AsyncClient, org: TestOrg, user_id: int, body: dict[str, Any], status: int = 201
) -> dict[str, Any]:
    response = await client.post(_path(org, user_id), json=body, headers=org.admin.headers)
    if status != 201:
        return error(response, status)
    created: dict[str, Any] = data(response, 201)
    return created


async def _rows(db: Database) -> list[tuple[Any, ...]]:
    async with db.read() as session:
        result = await session.execute(
            select(
                OutOfOffice.id,
                OutOfOffice.user_id,
                OutOfOffice.to_user_id,
                OutOfOffice.start_time,
                OutOfOffice.end_time,
                OutOfOffice.reason,
                OutOfOffice.notes,
            ).order_by(OutOfOffice.id)
        )
        return [tuple(row) for row in result.all()]


async def test_create_widens_to_whole_utc_days(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _create(client, org, org.member.id, {**MAY, "notes": "ooo numero uno"})
    assert len(created["uuid"]) == 36
    assert created == {
        "userId": org.member.id,
        "toUserId": None,
        "id": created["id"],
        "uuid": created["uuid"],
        "start": "2025-05-01T00:00:00.000Z",
        "end": "2025-05-10T23:59:59.999Z",
        "notes": "ooo numero uno",
        "reason": "unspecified",
    }
    assert data(await client.get(_path(org, org.member.id), headers=org.admin.headers)) == [created]


async def test_create_with_redirect_and_reason(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    body = {
        "start": "2025-08-01T00:00:00Z",
        "end": "2025-10-10T00:00:00Z",
        "toUserId": org.owner.id,
        "reason": "travel",
    }
    created = await _create(client, org, org.member.id, body)
    assert (created["toUserId"], created["reason"], created["start"], created["end"]) == (
        org.owner.id,
        "travel",
        "2025-08-01T00:00:00.000Z",
        "2025-10-10T23:59:59.999Z",
    )


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"start": "2025-07-01T00:00:00.000Z", "end": "2025-05-10T23:59:59.999Z"},
            400,
            "Start date must be before end date.",
        ),
        ({"start": "2025-05-01", "end": "2025-05-10T23:59:59.999Z"}, 400, "start: Invalid Date."),
        ({"start": "2025-05-01T00:00:00+02:00", "end": "2025-05-10T23:59:59.999Z"}, 400, "start: Invalid Date."),
        ({"start": "2025-02-30T00:00:00.000Z", "end": "2025-05-10T23:59:59.999Z"}, 400, "start: Invalid Date."),
        ({"start": "2025-05-01T00:00:00.000Z"}, 400, "end:"),
        ({**MAY, "reason": "bored"}, 400, "reason:"),
        ({**JULY, "toUserId": "MEMBER"}, 400, "Cannot redirect to self."),
        ({**JULY, "toUserId": "OUTSIDER"}, 400, "Cannot redirect to this user."),
        ({**JULY, "toUserId": 999999}, 400, "Cannot redirect to this user."),
        ({"start": "2025-05-01T10:00:00.000Z", "end": "2025-05-10T00:00:00.000Z"}, 409, "Ooo entry already exists."),
        ({"start": "2025-05-10T00:00:00.000Z", "end": "2025-05-12T00:00:00.000Z"}, 409, "Ooo entry overlaps"),
    ],
)
async def test_bad_entry_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], status: int, message: str
) -> None:
    org = await create_org_with_members(db)
    outsider = await create_user(db, email="outsider@example.com")
    await _create(client, org, org.member.id, MAY)
    before = await _rows(db)
    ids = {"MEMBER": org.member.id, "OUTSIDER": outsider.id}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    err = await _create(client, org, org.member.id, body, status)
    assert err["message"].startswith(message), err
    assert await _rows(db) == before


async def test_redirect_loop_is_refused(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    await _create(client, org, org.member.id, {**MAY, "toUserId": org.admin.id})
    before = await _rows(db)
    # The admin covers for the member in May: the admin cannot be away then, nor redirect back.
    for body in ({**MAY}, {**MAY, "toUserId": org.member.id}):
        err = await _create(client, org, org.admin.id, body, 400)
        assert err["message"] == "Booking redirect infinite not allowed."
    assert await _rows(db) == before
    # Another month is fine.
    await _create(client, org, org.admin.id, {"start": "2025-06-01T00:00:00Z", "end": "2025-06-02T00:00:00Z"})


async def test_update_entry(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _create(client, org, org.member.id, {**MAY, "notes": "first"})
    path = _path(org, org.member.id, created["id"])
    body = {"start": "2025-06-01T01:00:00.000Z", "end": "2025-06-10T13:59:59.999Z", "reason": "vacation"}
    updated = data(await client.patch(path, json=body, headers=org.admin.headers))
    assert updated == {
        **created,
        "start": "2025-06-01T00:00:00.000Z",
        "end": "2025-06-10T23:59:59.999Z",
        "reason": "vacation",
    }
    redirected = data(
        await client.patch(path, json={"toUserId": org.admin.id, "notes": None}, headers=org.admin.headers)
    )
    assert redirected == {**updated, "toUserId": org.admin.id, "notes": None}
    cleared = data(await client.patch(path, json={"toUserId": None}, headers=org.admin.headers))
    assert cleared == {**redirected, "toUserId": None}


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"start": "2025-05-02T00:00:00.000Z"}, 400, "Please specify both ooo start and end time."),
        (
            {"start": "2025-07-01T00:00:00.000Z", "end": "2025-05-10T23:59:59.999Z"},
            400,
            "Start date must be before end date.",
        ),
        ({"toUserId": "MEMBER"}, 400, "Cannot redirect to self."),
        ({"toUserId": "OUTSIDER"}, 400, "Cannot redirect to this user."),
        ({**MAY}, 409, "Ooo entry already exists."),
        ({"start": "2025-06-05T00:00:00.000Z", "end": "2025-06-06T00:00:00.000Z"}, 409, "Ooo entry overlaps"),
    ],
)
async def test_bad_update_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], status: int, message: str
) -> None:
    org = await create_org_with_members(db)
    outsider = await create_user(db, email="outsider@example.com")
    created = await _create(client, org, org.member.id, MAY)
    await _create(client, org, org.member.id, {"start": "2025-06-01T00:00:00Z", "end": "2025-06-10T00:00:00Z"})
    before = await _rows(db)
    ids = {"MEMBER": org.member.id, "OUTSIDER": outsider.id}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = await client.patch(_path(org, org.member.id, created["id"]), json=body, headers=org.admin.headers)
    assert error(response, status)["message"].startswith(message)
    assert await _rows(db) == before


async def test_delete_entry(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _create(client, org, org.member.id, MAY)
    kept = await _create(client, org, org.member.id, {"start": "2025-06-01T00:00:00Z", "end": "2025-06-02T00:00:00Z"})
    path = _path(org, org.member.id, created["id"])
    assert data(await client.delete(path, headers=org.admin.headers)) == created
    assert data(await client.get(_path(org, org.member.id), headers=org.admin.headers)) == [kept]
    err = error(await client.delete(path, headers=org.admin.headers), 403)
    assert err["message"] == "This OOO entry does not belong to this user."


async def test_entry_of_another_user_is_403(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _create(client, org, org.member.id, MAY)
    before = await _rows(db)
    path = _path(org, org.admin.id, created["id"])
    error(await client.patch(path, json={"notes": "mine"}, headers=org.admin.headers), 403)
    error(await client.delete(path, headers=org.admin.headers), 403)
    assert await _rows(db) == before


async def test_listings_sort_page_and_filter(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    june = await _create(client, org, org.member.id, {"start": "2025-06-01T00:00:00Z", "end": "2025-06-20T00:00:00Z"})
    may = await _create(client, org, org.member.id, {"start": "2025-05-01T00:00:00Z", "end": "2025-05-02T00:00:00Z"})
    admin_may = await _create(
        client, org, org.admin.id, {"start": "2025-05-03T00:00:00Z", "end": "2025-05-30T00:00:00Z"}
    )
    user_path = _path(org, org.member.id)
    headers = org.admin.headers
    assert data(await client.get(user_path, headers=headers)) == [june, may]
    assert data(await client.get(f"{user_path}?sortStart=asc", headers=headers)) == [may, june]
    assert data(await client.get(f"{user_path}?sortStart=asc&take=1&skip=1", headers=headers)) == [june]
    org_path = f"/v2/organizations/{org.id}/ooo"
    assert data(await client.get(org_path, headers=headers)) == [june, may, admin_may]
    assert data(await client.get(f"{org_path}?sortEnd=desc", headers=headers)) == [june, admin_may, may]
    # sortEnd wins over sortStart, as in Cal.com.
    assert data(await client.get(f"{org_path}?sortStart=asc&sortEnd=asc", headers=headers)) == [may, admin_may, june]
    email = org.admin.email.upper()
    assert data(await client.get(f"{org_path}?email={email}", headers=headers)) == [admin_may]
    err = error(await client.get(f"{org_path}?sortEnd=up", headers=headers), 400)
    assert err["message"].startswith("sortEnd:")


async def test_guards(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    outsider = await create_user(db, email="outsider@example.com")
    error(await client.post(_path(org, org.member.id), json=MAY), 401)
    err = error(
        await client.post(f"/v2/organizations/424242/users/{org.member.id}/ooo", json=MAY, headers=org.admin.headers),
        403,
    )
    assert err["message"].startswith("IsOrgGuard")
    for headers in (org.member.headers, outsider.headers):
        error(await client.post(_path(org, org.member.id), json=MAY, headers=headers), 403)
        error(await client.get(f"/v2/organizations/{org.id}/ooo", headers=headers), 403)
    # A user outside the organization, as Cal.com's IsUserInOrg guard.
    err = error(await client.post(_path(org, outsider.id), json=MAY, headers=org.admin.headers), 403)
    assert err["message"] == f"User with id={outsider.id} is not part of the organization with id={org.id}"
    error(await client.get(_path(org, outsider.id), headers=org.admin.headers), 403)
    error(await client.get(f"/v2/organizations/{org.id}/users/abc/ooo", headers=org.admin.headers), 400)
    assert await _rows(db) == []


async def test_access_is_checked_before_the_dates(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _create(client, org, org.member.id, MAY)
    before = await _rows(db)
    bad = {"start": "1 May", "end": "2025-05-10T00:00:00.000Z"}
    for response in (
        await client.post(_path(org, org.member.id), json=bad, headers=org.member.headers),
        await client.patch(_path(org, org.member.id, created["id"]), json=bad, headers=org.member.headers),
    ):
        assert error(response, 403)["message"].startswith("RolesGuard")
    err = error(await client.post(_path(org, org.member.id), json=bad, headers=org.admin.headers), 400)
    assert err["message"].startswith("start: Invalid Date.")
    assert await _rows(db) == before


async def test_other_organization_is_isolated(client: httpx.AsyncClient, db: Database) -> None:
    org_a = await create_org_with_members(db, "alpha")
    org_b = await create_org_with_members(db, "beta")
    b_entry = await _create(client, org_b, org_b.member.id, MAY)
    headers = org_a.admin.headers
    # A's admin on B's organization, and on B's user under A's organization.
    error(await client.get(f"/v2/organizations/{org_b.id}/ooo", headers=headers), 403)
    error(await client.get(_path(org_a, org_b.member.id), headers=headers), 403)
    error(await client.patch(_path(org_a, org_b.member.id, b_entry["id"]), json={"notes": "x"}, headers=headers), 403)
    error(await client.delete(_path(org_a, org_b.member.id, b_entry["id"]), headers=headers), 403)
    assert data(await client.get(f"/v2/organizations/{org_a.id}/ooo", headers=headers)) == []
    # Nor may B's members be redirect targets in A.
    await _create(client, org_a, org_a.member.id, {**MAY, "toUserId": org_b.member.id}, 400)
    assert data(await client.get(_path(org_b, org_b.member.id), headers=org_b.admin.headers)) == [b_entry]


async def test_redirect_target_must_be_an_organization_user(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    teammate = await create_user(db, email="teammate@example.com")
    await create_org_team(db, org.id, "support", {teammate.id: "MEMBER"})
    # Only a team membership, no organization membership: not a user of the organization.
    await _create(client, org, org.member.id, {**MAY, "toUserId": teammate.id}, 400)
    async with db.write() as session:
        row = await session.get(User, teammate.id)
        assert row is not None
        row.organization_id = org.id
    created = await _create(client, org, org.member.id, {**MAY, "toUserId": teammate.id})
    assert created["toUserId"] == teammate.id


async def test_creating_and_updating_report_ooo_created(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "support", {org.member.id: "MEMBER"})
    async with db.write() as session:
        member = await session.get(User, org.member.id)
        assert member is not None
        member.time_zone = "Europe/Paris"
    org_hook = await add_webhook(db, "https://hooks.example/org", ["OOO_CREATED"], team_id=org.id)
    team_hook = await add_webhook(db, "https://hooks.example/team", ["OOO_CREATED"], team_id=team_id)
    user_hook = await add_webhook(db, "https://hooks.example/user", ["OOO_CREATED"], user_id=org.member.id)
    await add_webhook(db, "https://hooks.example/other", ["BOOKING_CREATED"], user_id=org.member.id)
    await add_webhook(db, "https://hooks.example/admin", ["OOO_CREATED"], user_id=org.admin.id)
    created = await _create(client, org, org.member.id, {**MAY, "toUserId": org.admin.id, "reason": "sick"})
    async with db.read() as session:
        (event,) = (await session.scalars(select(WebhookEvent))).all()
        hooks = set((await session.scalars(select(WebhookDelivery.webhook_id))).all())
        row = await session.get(OutOfOffice, created["id"])
        assert row is not None
    assert event.trigger == "OOO_CREATED"
    assert hooks == {org_hook, team_hook, user_hook}
    assert event.payload == {
        "oooEntry": {
            "id": created["id"],
            "start": "2025-05-01T00:00:00+02:00",
            "end": "2025-05-10T23:59:59+02:00",
            "createdAt": row.created_at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{row.created_at.microsecond // 1000:03d}Z",
            "updatedAt": row.updated_at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{row.updated_at.microsecond // 1000:03d}Z",
            "notes": None,
            "reason": {"emoji": "🤒", "reason": "ooo_reasons_sick_leave"},
            "reasonId": 4,
            "user": {
                "id": org.member.id,
                "name": None,
                "username": org.member.username,
                "email": org.member.email,
                "timeZone": "Europe/Paris",
            },
            "toUser": {
                "id": org.admin.id,
                "name": None,
                "username": org.admin.username,
                "email": org.admin.email,
                "timeZone": "Europe/London",
            },
            "uuid": created["uuid"],
        }
    }
    data(await client.patch(_path(org, org.member.id, created["id"]), json={"notes": "n"}, headers=org.admin.headers))
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(WebhookEvent)) == 2


async def test_spans_and_days_for_the_availability_core(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    await _create(
        client,
        org,
        org.member.id,
        {"start": "2025-05-30T00:00:00Z", "end": "2025-06-02T00:00:00Z", "toUserId": org.admin.id},
    )
    await _create(client, org, org.member.id, {"start": "2025-07-01T00:00:00Z", "end": "2025-07-01T00:00:00Z"})
    window = (datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 6, 30, 23, 59, tzinfo=UTC))
    async with db.read() as session:
        spans = await session.run_sync(out_of_office_spans, [org.member.id, org.admin.id], *window)
        days = await session.run_sync(out_of_office_days, [org.member.id, org.admin.id], *window)
    (span,) = spans[org.member.id]
    assert (span.start, span.end, span.to_user_id, span.reason) == (
        datetime(2025, 5, 30, tzinfo=UTC),
        datetime(2025, 6, 2, 23, 59, 59, 999000, tzinfo=UTC),
        org.admin.id,
        "unspecified",
    )
    assert spans[org.admin.id] == []
    # Clipped to the window: May days are left out.
    assert days == {org.member.id: frozenset({date(2025, 6, 1), date(2025, 6, 2)}), org.admin.id: frozenset()}
