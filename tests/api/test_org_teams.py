"""`/v2/organizations/{orgId}/teams`: the organization's teams, their memberships and invite links."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import Membership, Team
from support import (
    OrgWorld,
    TestOrg,
    add_membership,
    create_org_team,
    create_org_with_members,
    create_org_world,
    create_user,
    data,
    error,
)


def _team(team_id: int, org_id: int, name: str, slug: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": team_id,
        "parentId": org_id,
        "name": name,
        "slug": slug,
        "logoUrl": None,
        "calVideoLogo": None,
        "appLogo": None,
        "appIconLogo": None,
        "bio": None,
        "hideBranding": False,
        "isOrganization": False,
        "isPrivate": False,
        "hideBookATeamMember": False,
        "metadata": {},
        "theme": None,
        "brandColor": None,
        "darkBrandColor": None,
        "bannerUrl": None,
        "timeFormat": None,
        "timeZone": "Europe/London",
        "weekStart": "Sunday",
        **changes,
    }


async def _teams_count(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(Team)) or 0


async def _membership(db: Database, team_id: int, user_id: int) -> Membership | None:
    async with db.read() as session:
        found: Membership | None = await session.scalar(
            select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
        )
        return found


# -- guards -------------------------------------------------------------------------------------


async def test_organization_guards_in_cal_com_order(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/teams"
    error(await client.get(url), 401)
    failure = error(await client.get("/v2/organizations/999999/teams", headers=org.owner.headers), 403)
    assert failure["message"] == (
        "IsOrgGuard - provided organization id=999999 does not represent any existing organization."
    )
    failure = error(await client.get(f"/v2/organizations/{world.team_id}/teams", headers=org.owner.headers), 403)
    assert failure["message"].startswith("IsOrgGuard - provided organization id=")
    failure = error(await client.get(url, headers=world.other.owner.headers), 403)
    assert failure["message"] == f"RolesGuard - User is not a member of the organization with id={org.id}."
    failure = error(await client.get(url, headers=org.member.headers), 403)
    assert failure["message"] == (
        f"RolesGuard - user with id={org.member.id} does not have the minimum required role=ORG_ADMIN within "
        f"organization with id={org.id}."
    )
    error(await client.get("/v2/organizations/abc/teams", headers=org.owner.headers), 400)


async def test_a_pending_membership_grants_nothing(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    pending = await create_user(db, email="pending@example.com")
    await add_membership(db, org.id, pending.id, "ADMIN", accepted=False)
    failure = error(await client.get(f"/v2/organizations/{org.id}/teams", headers=pending.headers), 403)
    assert failure["message"] == f"RolesGuard - User is not a member of the organization with id={org.id}."


# -- teams --------------------------------------------------------------------------------------


async def test_list_teams_pages_through_this_organization_only(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    second = await create_org_team(db, org.id, "second")
    url = f"/v2/organizations/{org.id}/teams"
    listed = data(await client.get(url, headers=org.admin.headers))
    assert listed == [_team(world.team_id, org.id, "Crew", "crew"), _team(second, org.id, "Second", "second")]
    assert data(await client.get(url, params={"skip": 1, "take": 1}, headers=org.admin.headers)) == listed[1:]
    assert data(await client.get(url, params={"skip": 2}, headers=org.admin.headers)) == []
    error(await client.get(url, params={"take": 251}, headers=org.admin.headers), 400)


async def test_create_team_makes_the_creator_owner(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    url = f"/v2/organizations/{org.id}/teams"
    body = {"name": "Organizations Teams Automatic Slug", "bio": "This is our test team created via API"}
    created = data(await client.post(url, json=body, headers=org.admin.headers), 201)
    assert created == _team(created["id"], org.id, body["name"], "organizations-teams-automatic-slug", bio=body["bio"])
    membership = await _membership(db, created["id"], org.admin.id)
    assert membership is not None and (membership.role, membership.accepted) == ("OWNER", True)

    pending = data(
        await client.post(url, json={"name": "Later", "autoAcceptCreator": False}, headers=org.admin.headers), 201
    )
    membership = await _membership(db, pending["id"], org.admin.id)
    assert membership is not None and (membership.role, membership.accepted) == ("OWNER", False)


async def test_team_slugs_are_unique_within_an_organization(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "beta")
    await create_org_team(db, org.id, "crew")
    before = await _teams_count(db)
    failure = error(
        await client.post(f"/v2/organizations/{org.id}/teams", json={"name": "Crew"}, headers=org.admin.headers),
        409,
    )
    assert failure["message"] == "Team with slug crew already exists"
    assert await _teams_count(db) == before
    created = data(
        await client.post(f"/v2/organizations/{other.id}/teams", json={"name": "Crew"}, headers=other.admin.headers),
        201,
    )
    assert (created["slug"], created["parentId"]) == ("crew", other.id)


async def test_create_team_rejects_bad_input(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    before = await _teams_count(db)
    for body in ({}, {"name": ""}, {"name": "x", "weekStart": "Someday"}, {"name": "x", "metadata": "{}"}):
        error(await client.post(f"/v2/organizations/{org.id}/teams", json=body, headers=org.admin.headers), 400)
    assert await _teams_count(db) == before


async def test_my_teams(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    lonely = await create_org_team(db, org.id, "lonely")
    url = f"/v2/organizations/{org.id}/teams/me"
    crew = _team(world.team_id, org.id, "Crew", "crew")
    assert data(await client.get(url, headers=world.team_member.headers)) == [crew]
    assert data(await client.get(url, headers=org.member.headers)) == []
    # Admins and owners see every team of the organization.
    every = data(await client.get(url, headers=org.admin.headers))
    assert every == [crew, _team(lonely, org.id, "Lonely", "lonely")]
    assert data(await client.get(url, params={"take": 1, "skip": 1}, headers=org.owner.headers)) == every[1:]
    error(await client.get(url, headers=world.other.owner.headers), 403)


async def test_get_team_needs_a_team_admin_or_an_org_admin(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/teams/{world.team_id}"
    crew = _team(world.team_id, org.id, "Crew", "crew")
    assert data(await client.get(url, headers=org.admin.headers)) == crew
    assert data(await client.get(url, headers=world.team_admin.headers)) == crew
    failure = error(await client.get(url, headers=world.team_member.headers), 403)
    assert failure["message"] == (
        f"RolesGuard - user with id={world.team_member.id} does not have the minimum required role=TEAM_ADMIN "
        f"within organization with id={org.id} team with id={world.team_id}."
    )
    failure = error(await client.get(url, headers=org.member.headers), 403)
    assert failure["message"] == (
        f"RolesGuard - User is not part of the team with id={world.team_id} and/or, is not an admin nor an owner "
        f"of the organization with id={org.id}."
    )


async def test_a_team_of_another_organization_is_not_found(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    for team_id in (world.other_team_id, 999999, world.managed_org_id):
        url = f"/v2/organizations/{org.id}/teams/{team_id}"
        failure = error(await client.get(url, headers=org.owner.headers), 404)
        assert failure["message"] == f"IsTeamInOrg - Team ({team_id}) not found."
        error(await client.patch(url, json={"name": "Stolen"}, headers=org.owner.headers), 404)
        error(await client.delete(url, headers=org.owner.headers), 404)
        error(await client.get(f"{url}/memberships", headers=org.owner.headers), 404)
    async with db.read() as session:
        other_team = await session.get(Team, world.other_team_id)
        assert other_team is not None and other_team.name == "Beta-Crew"
    error(await client.get(f"/v2/organizations/{org.id}/teams/abc", headers=org.owner.headers), 404)


async def test_update_and_delete_team_need_an_org_admin(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/teams/{world.team_id}"
    error(await client.patch(url, json={"name": "Mine"}, headers=world.team_admin.headers), 403)
    error(await client.delete(url, headers=world.team_admin.headers), 403)
    body = {"name": "Crew Two", "weekStart": "Monday", "bannerUrl": "https://i.example.com/banner.png"}
    updated = data(await client.patch(url, json=body, headers=org.admin.headers))
    assert updated == _team(
        world.team_id, org.id, "Crew Two", "crew", weekStart="Monday", bannerUrl="https://i.example.com/banner.png"
    )
    await create_org_team(db, org.id, "taken")
    error(await client.patch(url, json={"slug": "taken"}, headers=org.admin.headers), 409)
    assert data(await client.delete(url, headers=org.admin.headers)) == updated
    error(await client.get(url, headers=org.admin.headers), 404)
    assert await _membership(db, world.team_id, world.team_admin.id) is None


# -- memberships --------------------------------------------------------------------------------


async def test_team_memberships_lifecycle(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/teams/{world.team_id}/memberships"
    listed = data(await client.get(url, headers=world.team_admin.headers))
    assert [(m["userId"], m["role"]) for m in listed] == [
        (world.team_admin.id, "ADMIN"),
        (world.team_member.id, "MEMBER"),
        (world.bystander.id, "MEMBER"),
    ]
    assert data(await client.get(url, params={"skip": 1, "take": 1}, headers=org.owner.headers)) == listed[1:2]

    body = {"userId": org.member.id, "role": "ADMIN", "accepted": True}
    created = data(await client.post(url, json=body, headers=world.team_admin.headers), 201)
    assert created == {
        "id": created["id"],
        "userId": org.member.id,
        "teamId": world.team_id,
        "accepted": True,
        "role": "ADMIN",
        "disableImpersonation": False,
        "user": {
            "avatarUrl": None,
            "username": org.member.username,
            "name": None,
            "email": org.member.email,
            "bio": None,
            "metadata": {},
        },
    }
    assert data(await client.get(f"{url}/{created['id']}", headers=org.admin.headers)) == created
    updated = data(await client.patch(f"{url}/{created['id']}", json={"role": "MEMBER"}, headers=org.admin.headers))
    assert updated == {**created, "role": "MEMBER"}
    assert data(await client.delete(f"{url}/{created['id']}", headers=world.team_admin.headers)) == updated
    assert await _membership(db, world.team_id, org.member.id) is None


async def test_team_membership_errors(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    org = world.org
    url = f"/v2/organizations/{org.id}/teams/{world.team_id}/memberships"
    loner = await create_user(db, email="loner@example.com")
    failure = error(await client.post(url, json={"userId": loner.id}, headers=org.admin.headers), 422)
    assert failure["message"] == "User is not part of the Organization"
    # A user of another organization is not even known here.
    failure = error(await client.post(url, json={"userId": world.other.member.id}, headers=org.admin.headers), 404)
    assert failure["message"] == f"User with id={world.other.member.id} not found"
    error(await client.post(url, json={"userId": world.team_member.id}, headers=org.admin.headers), 409)
    error(await client.post(url, json={"role": "ADMIN"}, headers=org.admin.headers), 400)
    error(await client.get(url, headers=world.team_member.headers), 403)
    # A membership of another team of the same organization is not one of this team.
    second = await create_org_team(db, org.id, "second", {org.member.id: "MEMBER"})
    foreign = await _membership(db, second, org.member.id)
    assert foreign is not None
    error(await client.get(f"{url}/{foreign.id}", headers=org.admin.headers), 404)
    error(await client.delete(f"{url}/{foreign.id}", headers=org.admin.headers), 404)
    error(await client.patch(f"{url}/{world.bystander_org_membership_id}", json={}, headers=org.admin.headers), 404)
    assert await _membership(db, second, org.member.id) is not None


async def test_team_invite(client: httpx.AsyncClient, db: Database) -> None:
    world: OrgWorld = await create_org_world(db)
    org: TestOrg = world.org
    url = f"/v2/organizations/{org.id}/teams/{world.team_id}/invite"
    invite = data(await client.post(url, headers=world.team_admin.headers))
    assert invite["inviteLink"].endswith(f"/signup?token={invite['token']}&callbackUrl=/getting-started")
    assert data(await client.post(url, headers=org.admin.headers))["token"] != invite["token"]
    error(await client.post(url, headers=world.team_member.headers), 403)
    error(
        await client.post(f"/v2/organizations/{org.id}/teams/{world.other_team_id}/invite", headers=org.admin.headers),
        404,
    )
