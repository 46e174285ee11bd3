"""`/v2/organizations/{orgId}/users`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.security import new_cuid
from opencal.models import Attribute, AttributeAssignment, AttributeOption, Membership, Schedule, User
from support import OrgWorld, create_org_world, data, error

OUTPUT_FIELDS = {
    "id",
    "username",
    "name",
    "email",
    "emailVerified",
    "bio",
    "avatarUrl",
    "timeZone",
    "weekStart",
    "appTheme",
    "theme",
    "defaultScheduleId",
    "locale",
    "timeFormat",
    "hideBranding",
    "brandColor",
    "darkBrandColor",
    "allowDynamicBooking",
    "createdDate",
    "verified",
    "invitedTo",
    "metadata",
    "profile",
}


async def _user(db: Database, user_id: int) -> User | None:
    async with db.read() as session:
        return await session.get(User, user_id)


async def _users_count(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(User)) or 0


async def _membership_id(db: Database, org_id: int, user_id: int) -> int:
    async with db.read() as session:
        found = await session.scalar(
            select(Membership.id).where(Membership.team_id == org_id, Membership.user_id == user_id)
        )
    assert found is not None
    return found


def _users_url(world: OrgWorld) -> str:
    return f"/v2/organizations/{world.org.id}/users"


async def test_list_users_of_this_organization(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    listed = data(await client.get(_users_url(world), headers=org.admin.headers))
    people = [org.owner, org.admin, org.member, world.team_admin, world.team_member, world.bystander]
    assert [u["id"] for u in listed] == [p.id for p in people]
    member = await _user(db, org.member.id)
    assert member is not None
    assert listed[2] == {
        "id": member.id,
        "username": member.username,
        "name": None,
        "email": member.email,
        "emailVerified": None,
        "bio": None,
        "avatarUrl": None,
        "timeZone": "Europe/London",
        "weekStart": "Sunday",
        "appTheme": None,
        "theme": None,
        "defaultScheduleId": member.default_schedule_id,
        "locale": None,
        "timeFormat": 12,
        "hideBranding": False,
        "brandColor": None,
        "darkBrandColor": None,
        "allowDynamicBooking": True,
        "createdDate": iso_utc(member.created_at),
        "verified": None,
        "invitedTo": None,
        "metadata": {},
        "profile": {
            "id": await _membership_id(db, org.id, member.id),
            "organizationId": org.id,
            "userId": member.id,
            "username": member.username,
        },
    }
    page = data(await client.get(_users_url(world), params={"skip": 1, "take": 2}, headers=org.admin.headers))
    assert page == listed[1:3]
    assert len(data(await client.get(_users_url(world), params={"take": 1000}, headers=org.admin.headers))) == 6
    error(await client.get(_users_url(world), params={"take": 1001}, headers=org.admin.headers), 400)


async def test_list_users_filters(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = _users_url(world)
    headers = org.admin.headers

    async def ids(**params: Any) -> list[int]:
        return [u["id"] for u in data(await client.get(url, params=params, headers=headers))]

    assert await ids(emails=f"{org.member.email.upper()},{world.other.member.email}") == [org.member.id]
    assert await ids(teamIds=str(world.team_id)) == [world.team_admin.id, world.team_member.id, world.bystander.id]
    # Another organization's team does not reveal its members.
    assert await ids(teamIds=str(world.other_team_id)) == []

    async with db.write() as session:
        attribute = Attribute(id=new_cuid(), team_id=org.id, name="skills", slug="skills", type="MULTI_SELECT")
        session.add(attribute)
        await session.flush()
        options = [AttributeOption(id=new_cuid(), attribute_id=attribute.id, value=v, slug=v) for v in ("js", "ts")]
        session.add_all(options)
        await session.flush()
        holdings = {org.member.id: options, world.bystander.id: options[:1]}
        for user_id, held in holdings.items():
            membership_id = await session.scalar(
                select(Membership.id).where(Membership.team_id == org.id, Membership.user_id == user_id)
            )
            assert membership_id is not None
            for option in held:
                session.add(
                    AttributeAssignment(id=new_cuid(), membership_id=membership_id, attribute_option_id=option.id)
                )
    both = f"{options[0].id},{options[1].id}"
    assert await ids(assignedOptionIds=both) == [org.member.id]
    assert await ids(assignedOptionIds=both, attributeQueryOperator="AND") == [org.member.id]
    assert await ids(assignedOptionIds=both, attributeQueryOperator="OR") == [org.member.id, world.bystander.id]
    assert await ids(assignedOptionIds=options[0].id, attributeQueryOperator="NONE") == [
        org.owner.id,
        org.admin.id,
        world.team_admin.id,
        world.team_member.id,
    ]
    error(await client.get(url, params={"attributeQueryOperator": "XOR"}, headers=headers), 400)


async def test_create_user_makes_an_organization_user(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    body = {
        "email": "New.Person@Example.com",
        "bio": "I am a bio",
        "metadata": {"foo": "bar"},
        "timeZone": "Europe/Rome",
        "weekday": "Monday",
        "brandColor": "#FFFFFF",
        "theme": "dark",
        "timeFormat": 24,
        "organizationRole": "ADMIN",
        "autoAccept": False,
    }
    created = data(await client.post(_users_url(world), json=body, headers=org.admin.headers), 201)
    assert set(created) == OUTPUT_FIELDS
    user = await _user(db, created["id"])
    assert user is not None
    membership_id = await _membership_id(db, org.id, user.id)
    expected = {
        "email": "new.person@example.com",
        "username": "new-person-example",
        "bio": "I am a bio",
        "metadata": {"foo": "bar"},
        "timeZone": "Europe/Rome",
        "weekStart": "Monday",
        "brandColor": "#FFFFFF",
        "theme": "dark",
        "timeFormat": 24,
        "locale": "en",
        "defaultScheduleId": user.default_schedule_id,
        "profile": {
            "id": membership_id,
            "organizationId": org.id,
            "userId": user.id,
            "username": "new-person-example",
        },
    }
    assert {key: created[key] for key in expected} == expected
    assert user.organization_id == org.id
    async with db.read() as session:
        membership = await session.get(Membership, membership_id)
        schedule = await session.get(Schedule, user.default_schedule_id)
    assert membership is not None and (membership.role, membership.accepted) == ("ADMIN", False)
    assert schedule is not None and schedule.user_id == user.id
    assert created in data(await client.get(_users_url(world), headers=org.admin.headers))


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"email": "not-an-email"}, 400, "email"),
        ({}, 400, "email"),
        ({"email": "x@example.com", "brandColor": "white"}, 400, "brandColor"),
        ({"email": "x@example.com", "timeZone": "Mars/Base"}, 400, "timeZone"),
        ({"email": "x@example.com", "theme": "neon"}, 400, "theme"),
        ({"email": "x@example.com", "organizationRole": "KING"}, 400, "organizationRole"),
        ({"email": "x@example.com", "defaultScheduleId": 1}, 400, "defaultScheduleId"),
        ({"email": "beta-member@example.com"}, 409, "A user already exists with that email"),
        ({"email": "x@example.com", "username": "acme-member"}, 409, "Username is already taken"),
    ],
)
async def test_create_user_rejects_bad_input_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], status: int, message: str
) -> None:
    world = await create_org_world(db)
    before = await _users_count(db)
    failure = error(await client.post(_users_url(world), json=body, headers=world.org.admin.headers), status)
    assert message in failure["message"]
    assert "Existing user ID" not in failure["message"]
    assert await _users_count(db) == before


async def test_update_user(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"{_users_url(world)}/{world.bystander.id}"
    body = {"theme": "light", "bio": "new bio", "username": "By-Stander", "email": "BY@example.com", "locale": "de"}
    updated = data(await client.patch(url, json=body, headers=org.admin.headers))
    assert (updated["theme"], updated["bio"], updated["username"], updated["email"], updated["locale"]) == (
        "light",
        "new bio",
        "by-stander",
        "by@example.com",
        "de",
    )
    assert updated["profile"]["username"] == "by-stander"
    assert data(await client.patch(url, json={"theme": None}, headers=org.admin.headers))["theme"] is None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"username": "acme-member"}, 409),
        ({"email": "beta-owner@example.com"}, 409),
        ({"timeFormat": 13}, 400),
        ({"defaultScheduleId": 999999}, 400),
        ({"metadata": {"k": "v" * 501}}, 400),
    ],
)
async def test_update_user_rejects_bad_input_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], status: int
) -> None:
    world = await create_org_world(db)
    before = await _user(db, world.bystander.id)
    url = f"{_users_url(world)}/{world.bystander.id}"
    error(await client.patch(url, json=body, headers=world.org.admin.headers), status)
    after = await _user(db, world.bystander.id)
    assert before is not None and after is not None
    assert (after.username, after.email, after.time_format, after.default_schedule_id, after.metadata_) == (
        before.username,
        before.email,
        before.time_format,
        before.default_schedule_id,
        before.metadata_,
    )


async def test_update_user_can_set_their_own_default_schedule(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    async with db.write() as session:
        schedule = Schedule(user_id=world.bystander.id, name="Second")
        session.add(schedule)
        await session.flush()
        schedule_id = schedule.id
    url = f"{_users_url(world)}/{world.bystander.id}"
    updated = data(await client.patch(url, json={"defaultScheduleId": schedule_id}, headers=world.org.admin.headers))
    assert updated["defaultScheduleId"] == schedule_id


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
async def test_a_user_of_another_organization_is_not_found(
    client: httpx.AsyncClient, db: Database, method: str
) -> None:
    world = await create_org_world(db)
    url = f"{_users_url(world)}/{world.other.member.id}"
    failure = error(await client.request(method, url, json={"bio": "hacked"}, headers=world.org.owner.headers), 404)
    assert failure["message"] == (
        f"User with id={world.other.member.id} is not part of the organization with id={world.org.id}"
    )
    user = await _user(db, world.other.member.id)
    assert user is not None and user.bio is None


async def test_delete_user_deletes_the_account(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    url = f"{_users_url(world)}/{world.bystander.id}"
    listed = data(await client.get(_users_url(world), headers=world.org.admin.headers))
    assert data(await client.delete(url, headers=world.org.admin.headers)) == listed[-1]
    assert await _user(db, world.bystander.id) is None
    async with db.read() as session:
        left = await session.scalar(
            select(func.count()).select_from(Membership).where(Membership.user_id == world.bystander.id)
        )
    assert left == 0
    error(await client.delete(url, headers=world.org.admin.headers), 404)
