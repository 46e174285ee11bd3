"""`/v2/organizations/{orgId}/memberships` (BEHAVIOR.md §6.5)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core.db import Database
from opencal.core.security import new_cuid
from opencal.models import Attribute, AttributeAssignment, AttributeOption, Membership, User
from support import OrgWorld, TestUser, add_membership, create_org_world, create_user, data, error


def _output(membership_id: int, org_id: int, user: TestUser, role: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": membership_id,
        "userId": user.id,
        "teamId": org_id,
        "accepted": True,
        "role": role,
        "disableImpersonation": False,
        "user": {
            "avatarUrl": None,
            "username": user.username,
            "name": None,
            "email": user.email,
            "bio": None,
            "metadata": {},
        },
        "attributes": [],
        **changes,
    }


async def _memberships(db: Database, team_id: int) -> dict[int, tuple[int, str, bool]]:
    async with db.read() as session:
        rows = await session.execute(
            select(Membership.user_id, Membership.id, Membership.role, Membership.accepted).where(
                Membership.team_id == team_id
            )
        )
        return {user_id: (membership_id, role, accepted) for user_id, membership_id, role, accepted in rows.all()}


async def _give_attributes(db: Database, org_id: int, membership_id: int) -> dict[str, str]:
    """A text, a number and a multi-select attribute held by the membership; their ids by name."""
    ids: dict[str, str] = {}
    async with db.write() as session:
        for name, kind, values in (
            ("team", "TEXT", ["coders"]),
            ("age", "NUMBER", ["18"]),
            ("skills", "MULTI_SELECT", ["js", "ts"]),
        ):
            attribute = Attribute(id=new_cuid(), team_id=org_id, name=name, slug=name, type=kind)
            session.add(attribute)
            await session.flush()
            ids[name] = attribute.id
            for value in values:
                option = AttributeOption(id=new_cuid(), attribute_id=attribute.id, value=value, slug=value)
                session.add(option)
                await session.flush()
                ids[value] = option.id
                session.add(
                    AttributeAssignment(id=new_cuid(), membership_id=membership_id, attribute_option_id=option.id)
                )
                await session.flush()
    return ids


async def test_list_memberships_of_this_organization_with_attributes(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    rows = await _memberships(db, org.id)
    ids = await _give_attributes(db, org.id, rows[org.member.id][0])
    url = f"/v2/organizations/{org.id}/memberships"
    listed = data(await client.get(url, headers=org.admin.headers))
    people = [org.owner, org.admin, org.member, world.team_admin, world.team_member, world.bystander]
    roles = ["OWNER", "ADMIN", "MEMBER", "MEMBER", "MEMBER", "MEMBER"]
    attributes = [
        {"id": ids["team"], "name": "team", "type": "text", "optionId": ids["coders"], "option": "coders"},
        {"id": ids["age"], "name": "age", "type": "number", "optionId": ids["18"], "option": 18},
        {
            "id": ids["skills"],
            "name": "skills",
            "type": "multiSelect",
            "options": [{"optionId": ids["js"], "option": "js"}, {"optionId": ids["ts"], "option": "ts"}],
        },
    ]
    assert listed == [
        _output(rows[user.id][0], org.id, user, role, attributes=attributes if user is org.member else [])
        for user, role in zip(people, roles, strict=True)
    ]
    assert data(await client.get(url, params={"skip": 2, "take": 2}, headers=org.admin.headers)) == listed[2:4]


async def test_get_membership(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/memberships/{world.bystander_org_membership_id}"
    expected = _output(world.bystander_org_membership_id, org.id, world.bystander, "MEMBER")
    assert data(await client.get(url, headers=org.owner.headers)) == expected


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_a_membership_of_another_organization_is_not_found(
    client: httpx.AsyncClient, db: Database, method: str
) -> None:
    world = await create_org_world(db)
    org = world.org
    foreign = (await _memberships(db, world.other.id))[world.other.member.id][0]
    url = f"/v2/organizations/{org.id}/memberships/{foreign}"
    failure = error(await client.request(method, url, json={"role": "ADMIN"}, headers=org.owner.headers), 404)
    assert failure["message"] == f"IsMembershipInOrg - Membership ({foreign}) not found."
    assert (await _memberships(db, world.other.id))[world.other.member.id] == (foreign, "MEMBER", True)


async def test_create_membership_then_create_again_updates_it(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    newcomer = await create_user(db, email="newcomer@example.com")
    url = f"/v2/organizations/{org.id}/memberships"
    created = data(
        await client.post(url, json={"userId": newcomer.id, "role": "MEMBER"}, headers=org.admin.headers), 201
    )
    assert created == _output(created["id"], org.id, newcomer, "MEMBER", accepted=False)
    body = {"userId": newcomer.id, "role": "ADMIN", "accepted": True, "disableImpersonation": True}
    again = data(await client.post(url, json=body, headers=org.admin.headers), 201)
    assert again == {**created, "role": "ADMIN", "accepted": True, "disableImpersonation": True}
    assert (await _memberships(db, org.id))[newcomer.id] == (created["id"], "ADMIN", True)


async def test_create_membership_rejects_unknown_and_foreign_users(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/memberships"
    before = await _memberships(db, org.id)
    for user_id in (999999, world.other.member.id):
        failure = error(await client.post(url, json={"userId": user_id}, headers=org.admin.headers), 404)
        assert failure["message"] == f"User with id={user_id} not found"
        assert world.other.member.email not in str(failure)
    error(await client.post(url, json={"userId": world.bystander.id, "role": "KING"}, headers=org.admin.headers), 400)
    error(await client.post(url, json={"role": "MEMBER"}, headers=org.admin.headers), 400)
    assert await _memberships(db, org.id) == before


async def test_update_membership(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/memberships/{world.bystander_org_membership_id}"
    updated = data(await client.patch(url, json={"role": "ADMIN", "accepted": False}, headers=org.admin.headers))
    assert updated == _output(world.bystander_org_membership_id, org.id, world.bystander, "ADMIN", accepted=False)
    error(await client.patch(url, json={"role": "KING"}, headers=org.admin.headers), 400)
    assert (await _memberships(db, org.id))[world.bystander.id] == (world.bystander_org_membership_id, "ADMIN", False)


async def test_delete_membership_removes_the_member_from_the_organization_and_its_teams(
    client: httpx.AsyncClient, db: Database
) -> None:
    world: OrgWorld = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/memberships/{world.bystander_org_membership_id}"
    expected = _output(world.bystander_org_membership_id, org.id, world.bystander, "MEMBER")
    assert data(await client.delete(url, headers=org.admin.headers)) == expected
    assert world.bystander.id not in await _memberships(db, org.id)
    assert world.bystander.id not in await _memberships(db, world.team_id)
    async with db.read() as session:
        user = await session.get(User, world.bystander.id)
        assert user is not None and user.organization_id is None
    error(await client.get(url, headers=org.admin.headers), 404)


async def test_a_detached_users_taken_username_gets_their_id(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    async with db.write() as session:
        user = await session.get(User, world.bystander.id)
        assert user is not None
        user.username = "taken"
    await create_user(db, email="taken@example.com", username="taken")
    data(
        await client.delete(
            f"/v2/organizations/{org.id}/memberships/{world.bystander_org_membership_id}", headers=org.admin.headers
        )
    )
    async with db.read() as session:
        user = await session.get(User, world.bystander.id)
        assert user is not None and (user.username, user.organization_id) == (f"taken-{user.id}", None)


async def test_a_member_of_another_organization_only_is_not_addressable(
    client: httpx.AsyncClient, db: Database
) -> None:
    world = await create_org_world(db)
    org = world.org
    drifter = await create_user(db, email="drifter@example.com")
    url = f"/v2/organizations/{org.id}/memberships"
    # A membership of `beta` makes the user one of beta's, although `beta` is not their organization.
    await add_membership(db, world.other.id, drifter.id, "MEMBER")
    error(await client.post(url, json={"userId": drifter.id}, headers=org.admin.headers), 404)
    assert drifter.id not in await _memberships(db, org.id)
    # Once also in this organization, the user is one of ours as well.
    await add_membership(db, org.id, drifter.id, "MEMBER", accepted=False)
    updated = data(
        await client.post(url, json={"userId": drifter.id, "accepted": True}, headers=org.admin.headers), 201
    )
    assert (updated["userId"], updated["accepted"]) == (drifter.id, True)
