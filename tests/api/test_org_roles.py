"""Custom roles of organizations and teams, their permissions, and what they grant their holders."""

from __future__ import annotations

import argparse
import asyncio
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.models import Membership, Role, RolePermission
from opencal.organizations.roles.cli import cmd_assign
from support import OrgWorld, create_custom_role, create_org_world, data, error, give_custom_role

INVALID = (
    "Permission '{}' must be a valid permission string in format 'resource.action' "
    "(e.g., 'eventType.read', 'booking.create')"
)


def _roles(world: OrgWorld) -> str:
    return f"/v2/organizations/{world.org.id}/roles"


def _team_roles(world: OrgWorld) -> str:
    return f"/v2/organizations/{world.org.id}/teams/{world.team_id}/roles"


async def _role_rows(db: Database) -> list[tuple[str, str, int, list[str]]]:
    async with db.read() as session:
        roles = (await session.scalars(select(Role).order_by(Role.created_at, Role.id))).all()
        return [(r.id, r.name, r.team_id, [f"{p.resource}.{p.action}" for p in r.permissions]) for r in roles]


async def _permissions_count(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(RolePermission)) or 0


# -- organization roles -------------------------------------------------------------------------


async def test_create_org_role(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    body = {
        "name": "Booking Manager",
        "color": "#ff0000",
        "description": "Reads bookings",
        "permissions": ["booking.read", "eventType.create"],
    }
    created = data(await client.post(_roles(world), json=body, headers=world.org.admin.headers), 201)
    async with db.read() as session:
        role = await session.get(Role, created["id"])
    assert role is not None
    assert re.fullmatch(r"c[a-z0-9]{24}", created["id"])
    assert created == {
        "id": role.id,
        "name": "Booking Manager",
        "color": "#ff0000",
        "description": "Reads bookings",
        "organizationId": world.org.id,
        "type": "CUSTOM",
        "permissions": ["booking.read", "eventType.create"],
        "createdAt": iso_utc(role.created_at),
        "updatedAt": iso_utc(role.updated_at),
    }
    assert data(await client.get(f"{_roles(world)}/{role.id}", headers=world.org.admin.headers)) == created


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "Acme Viewer"}, 'Role with name "Acme Viewer" already exists'),
        ({"name": "x", "permissions": ["invalid"]}, INVALID.format("invalid")),
        (
            {"name": "x", "permissions": ["booking.read", "booking.readTeamBookings"]},
            INVALID.format("booking.readTeamBookings"),
        ),
        ({"name": ""}, "name"),
        ({}, "name"),
    ],
)
async def test_create_org_role_rejects_bad_input(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    world = await create_org_world(db)
    before = await _role_rows(db)
    failure = error(await client.post(_roles(world), json=body, headers=world.org.admin.headers), 400)
    assert message in failure["message"]
    assert await _role_rows(db) == before


async def test_list_org_roles_of_this_organization_only(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    await create_custom_role(db, world.other.id, "Beta Role", ["booking.read"])
    second = data(await client.post(_roles(world), json={"name": "Second"}, headers=world.org.admin.headers), 201)
    listed = data(await client.get(_roles(world), headers=world.org.admin.headers))
    assert [(r["id"], r["organizationId"]) for r in listed] == [
        (world.org_role_id, world.org.id),
        (second["id"], world.org.id),
    ]
    assert data(await client.get(_roles(world), params={"skip": 1, "take": 1}, headers=world.org.admin.headers)) == [
        second
    ]


async def test_roles_of_another_organization_or_team_are_not_found(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    foreign = await create_custom_role(db, world.other.id, "Beta Role", ["booking.read"])
    before = await _role_rows(db)
    for role_id in (foreign, world.team_role_id, "nope"):
        url = f"{_roles(world)}/{role_id}"
        message = f"Role with id {role_id} within team id {world.org.id} not found"
        assert error(await client.get(url, headers=world.org.admin.headers), 404)["message"] == message
        error(await client.patch(url, json={"name": "Mine"}, headers=world.org.admin.headers), 404)
        error(await client.delete(url, headers=world.org.admin.headers), 404)
        error(await client.get(f"{url}/permissions", headers=world.org.admin.headers), 404)
        error(
            await client.post(
                f"{url}/permissions", json={"permissions": ["booking.read"]}, headers=world.org.admin.headers
            ),
            404,
        )
        error(await client.delete(f"{url}/permissions/booking.read", headers=world.org.admin.headers), 404)
    assert await _role_rows(db) == before


async def test_update_org_role(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    url = f"{_roles(world)}/{world.org_role_id}"
    body = {"name": "Renamed", "color": "#00ff00", "permissions": ["eventType.read", "booking.read"]}
    updated = data(await client.patch(url, json=body, headers=world.org.admin.headers))
    assert (updated["name"], updated["color"], updated["permissions"]) == (
        "Renamed",
        "#00ff00",
        ["eventType.read", "booking.read"],
    )
    only_name = data(await client.patch(url, json={"description": "Kept permissions"}, headers=world.org.admin.headers))
    assert (only_name["description"], only_name["permissions"]) == (
        "Kept permissions",
        ["eventType.read", "booking.read"],
    )
    second = data(await client.post(_roles(world), json={"name": "Second"}, headers=world.org.admin.headers), 201)
    before = await _role_rows(db)
    failure = error(await client.patch(url, json={"name": "Second"}, headers=world.org.admin.headers), 400)
    assert failure["message"] == 'Role with name "Second" already exists'
    failure = error(await client.patch(url, json={"permissions": ["invalid"]}, headers=world.org.admin.headers), 400)
    assert failure["message"] == INVALID.format("invalid")
    assert await _role_rows(db) == before
    assert second["name"] == "Second"


async def test_delete_org_role_takes_it_from_its_holders(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    await give_custom_role(db, world.org.id, world.org.member.id, world.org_role_id)
    role = data(await client.get(f"{_roles(world)}/{world.org_role_id}", headers=world.org.admin.headers))
    assert data(await client.delete(f"{_roles(world)}/{world.org_role_id}", headers=world.org.admin.headers)) == role
    async with db.read() as session:
        held = await session.scalar(
            select(Membership.custom_role_id).where(
                Membership.team_id == world.org.id, Membership.user_id == world.org.member.id
            )
        )
    assert held is None
    assert await _permissions_count(db) == 1  # only the team role's permission is left


# -- organization role permissions --------------------------------------------------------------


async def test_org_role_permissions(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    url = f"{_roles(world)}/{world.org_role_id}/permissions"
    headers = world.org.admin.headers
    assert data(await client.get(url, headers=headers)) == ["booking.read"]
    added = data(
        await client.post(
            url, json={"permissions": ["eventType.create", "booking.read", "eventType.read"]}, headers=headers
        )
    )
    assert added == ["booking.read", "eventType.create", "eventType.read"]
    replaced = data(
        await client.put(url, json={"permissions": ["booking.read", "eventType.update", "*.*"]}, headers=headers)
    )
    assert replaced == ["booking.read", "eventType.update", "*.*"]

    response = await client.delete(url, params={"permissions": "eventType.update,*.*"}, headers=headers)
    assert (response.status_code, response.content) == (204, b"")
    assert data(await client.get(url, headers=headers)) == ["booking.read"]
    response = await client.delete(f"{url}/booking.read", headers=headers)
    assert (response.status_code, response.content) == (204, b"")
    assert data(await client.get(url, headers=headers)) == []
    # Removing nothing, or what the role does not hold, is fine.
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.delete(f"{url}/team.read", headers=headers)).status_code == 204


async def test_org_role_permissions_reject_invalid_ones(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    url = f"{_roles(world)}/{world.org_role_id}/permissions"
    headers = world.org.admin.headers
    for response in (
        await client.post(url, json={"permissions": ["invalid"]}, headers=headers),
        await client.put(url, json={"permissions": ["booking.read", "invalid"]}, headers=headers),
        await client.delete(f"{url}/invalid", headers=headers),
        await client.delete(url, params={"permissions": "booking.read,invalid"}, headers=headers),
    ):
        assert error(response, 400)["message"] == INVALID.format("invalid")
    error(await client.post(url, json={}, headers=headers), 400)
    assert data(await client.get(url, headers=headers)) == ["booking.read"]


# -- team roles ---------------------------------------------------------------------------------


async def test_team_roles(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    headers = world.org.admin.headers
    body = {"name": "Crew Lead", "permissions": ["team.listMembers", "booking.readTeamBookings"]}
    created = data(await client.post(_team_roles(world), json=body, headers=headers), 201)
    assert set(created) == {
        "id",
        "name",
        "color",
        "description",
        "teamId",
        "type",
        "permissions",
        "createdAt",
        "updatedAt",
    }
    assert (created["teamId"], created["type"], created["permissions"]) == (
        world.team_id,
        "CUSTOM",
        body["permissions"],
    )
    listed = data(await client.get(_team_roles(world), headers=headers))
    assert [r["id"] for r in listed] == [world.team_role_id, created["id"]]
    url = f"{_team_roles(world)}/{created['id']}"
    assert data(await client.get(url, headers=headers)) == created
    assert data(await client.put(f"{url}/permissions", json={"permissions": ["team.read"]}, headers=headers)) == [
        "team.read"
    ]
    updated = data(await client.patch(url, json={"name": "Crew Boss"}, headers=headers))
    assert (updated["name"], updated["permissions"]) == ("Crew Boss", ["team.read"])
    assert data(await client.delete(url, headers=headers)) == updated
    # Organization-wide permissions are not team permissions; an organization role is not a team role.
    for permission in ("*.*", "organization.read"):
        failure = error(
            await client.post(_team_roles(world), json={"name": "x", "permissions": [permission]}, headers=headers), 400
        )
        assert failure["message"] == INVALID.format(permission)
    error(await client.get(f"{_team_roles(world)}/{world.org_role_id}", headers=headers), 404)
    other_team = f"/v2/organizations/{world.org.id}/teams/{world.other_team_id}/roles"
    error(await client.get(other_team, headers=headers), 404)
    error(await client.post(other_team, json={"name": "x"}, headers=headers), 404)
    # Team roles are managed by organization admins, not by team admins.
    error(await client.get(_team_roles(world), headers=world.team_admin.headers), 403)


# -- what custom roles grant --------------------------------------------------------------------


async def test_an_org_custom_role_grants_exactly_its_permissions(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    member = world.org.member
    role_id = await create_custom_role(db, world.org.id, "Role Reader", ["role.read", "team.read"])
    error(await client.get(_roles(world), headers=member.headers), 403)
    await give_custom_role(db, world.org.id, member.id, role_id)
    assert [r["name"] for r in data(await client.get(_roles(world), headers=member.headers))] == [
        "Acme Viewer",
        "Role Reader",
    ]
    assert data(await client.get(f"/v2/organizations/{world.org.id}/teams", headers=member.headers))
    failure = error(await client.post(_roles(world), json={"name": "Mine"}, headers=member.headers), 403)
    assert failure["message"] == (
        f"RolesGuard - user with id={member.id} does not have the minimum required role=ORG_ADMIN within "
        f"organization with id={world.org.id}."
    )
    error(await client.get(f"/v2/organizations/{world.org.id}/memberships", headers=member.headers), 403)
    # The role's grants end with the role.
    await give_custom_role(db, world.org.id, member.id, None)
    error(await client.get(_roles(world), headers=member.headers), 403)


async def test_a_wildcard_role_grants_every_org_admin_route(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    member = world.org.member
    await give_custom_role(db, world.org.id, member.id, await create_custom_role(db, world.org.id, "All", ["*.*"]))
    assert data(await client.get(f"/v2/organizations/{world.org.id}/memberships", headers=member.headers))
    created = data(await client.post(_roles(world), json={"name": "Made by member"}, headers=member.headers), 201)
    assert created["organizationId"] == world.org.id
    # It grants nothing in another organization.
    error(await client.get(f"/v2/organizations/{world.other.id}/roles", headers=member.headers), 403)


async def test_team_and_org_custom_roles_on_team_routes(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    memberships = f"/v2/organizations/{world.org.id}/teams/{world.team_id}/memberships"
    team_member = world.team_member
    error(await client.get(memberships, headers=team_member.headers), 403)
    # A team role grants its permissions on its team...
    team_role = await create_custom_role(db, world.team_id, "Lister", ["team.listMembers", "role.read"])
    await give_custom_role(db, world.team_id, team_member.id, team_role)
    assert len(data(await client.get(memberships, headers=team_member.headers))) == 3
    assert data(await client.get(_team_roles(world), headers=team_member.headers))
    error(await client.post(memberships, json={"userId": world.org.member.id}, headers=team_member.headers), 403)
    # ...and nothing at the organization level.
    error(await client.get(_roles(world), headers=team_member.headers), 403)
    # An organization role grants team permissions on every team of the organization.
    org_role = await create_custom_role(db, world.org.id, "Org Lister", ["team.listMembers"])
    await give_custom_role(db, world.org.id, world.org.member.id, org_role)
    assert len(data(await client.get(memberships, headers=world.org.member.headers))) == 3


async def test_assign_a_custom_role_from_the_cli(db: Database, settings: Settings) -> None:
    world = await create_org_world(db)
    async with db.read() as session:
        membership_id = await session.scalar(
            select(Membership.id).where(Membership.team_id == world.org.id, Membership.user_id == world.org.member.id)
        )
    assert membership_id is not None

    def assign(role_id: str | None) -> dict[str, Any]:
        args = argparse.Namespace(membership_id=membership_id, role_id=role_id, none=role_id is None)
        return cmd_assign(args, settings)

    assert await asyncio.to_thread(assign, world.org_role_id) == {
        "membershipId": membership_id,
        "teamId": world.org.id,
        "userId": world.org.member.id,
        "customRoleId": world.org_role_id,
    }
    # A role of another team cannot be given.
    with pytest.raises(Exception, match="not found"):
        await asyncio.to_thread(assign, world.team_role_id)
    assert (await asyncio.to_thread(assign, None))["customRoleId"] is None
