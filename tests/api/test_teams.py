"""`/v2/teams`: teams of the caller, their memberships and invitation links."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.core.security import sha256_hex
from opencal.models import Membership, Team, TeamInvite
from support import TestUser, add_membership, create_org_team, create_org_with_members, create_user, data, error

TEAM_FIELDS = {
    "id",
    "parentId",
    "name",
    "slug",
    "logoUrl",
    "calVideoLogo",
    "appLogo",
    "appIconLogo",
    "bio",
    "hideBranding",
    "isOrganization",
    "isPrivate",
    "hideBookATeamMember",
    "metadata",
    "theme",
    "brandColor",
    "darkBrandColor",
    "bannerUrl",
    "timeFormat",
    "timeZone",
    "weekStart",
}


async def _create(client: httpx.AsyncClient, user: TestUser, **body: Any) -> dict[str, Any]:
    created: dict[str, Any] = data(await client.post("/v2/teams", json=body, headers=user.headers), 201)
    return created


async def _counts(db: Database) -> tuple[int, int]:
    async with db.read() as session:
        teams = await session.scalar(select(func.count()).select_from(Team))
        memberships = await session.scalar(select(func.count()).select_from(Membership))
    return teams or 0, memberships or 0


async def _membership(db: Database, team_id: int, user_id: int) -> Membership | None:
    async with db.read() as session:
        found: Membership | None = await session.scalar(
            select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
        )
        return found


# -- teams --------------------------------------------------------------------------------------


async def test_create_team_returns_every_field_and_makes_the_creator_owner(
    client: httpx.AsyncClient, db: Database
) -> None:
    alice = await create_user(db)
    team = await _create(
        client,
        alice,
        name="Teams Dog",
        metadata={"teamKey": "teamValue", "n": 2},
        bio="Dogs",
        brandColor="#112233",
        timeZone="America/New_York",
        weekStart="Monday",
        timeFormat=24,
        logoUrl="https://example.com/logo.png",
    )
    assert set(team) == TEAM_FIELDS
    assert team == {
        "id": team["id"],
        "parentId": None,
        "name": "Teams Dog",
        "slug": "teams-dog",
        "logoUrl": "https://example.com/logo.png",
        "calVideoLogo": None,
        "appLogo": None,
        "appIconLogo": None,
        "bio": "Dogs",
        "hideBranding": False,
        "isOrganization": False,
        "isPrivate": False,
        "hideBookATeamMember": False,
        "metadata": {"teamKey": "teamValue", "n": 2},
        "theme": None,
        "brandColor": "#112233",
        "darkBrandColor": None,
        "bannerUrl": None,
        "timeFormat": 24,
        "timeZone": "America/New_York",
        "weekStart": "Monday",
    }
    membership = await _membership(db, team["id"], alice.id)
    assert membership is not None and (membership.role, membership.accepted) == ("OWNER", True)


async def test_create_team_without_auto_accept_leaves_the_creator_pending(
    client: httpx.AsyncClient, db: Database
) -> None:
    alice = await create_user(db)
    team = await _create(client, alice, name="Pending", slug="Pending Crew", autoAcceptCreator=False)
    assert team["slug"] == "pending-crew"
    membership = await _membership(db, team["id"], alice.id)
    assert membership is not None and (membership.role, membership.accepted) == ("OWNER", False)
    # A pending membership grants nothing yet, but the team is listed among the caller's teams.
    error(await client.get(f"/v2/teams/{team['id']}", headers=alice.headers), 403)
    assert [t["id"] for t in data(await client.get("/v2/teams", headers=alice.headers))] == [team["id"]]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"name": "x", "metadata": '{"teamKey": "teamValue"}'}, "metadata"),
        ({"name": ""}, "name"),
        ({}, "name"),
        ({"name": "x", "timeZone": "Mars/Olympus"}, "timeZone"),
        ({"name": "x", "weekStart": "Funday"}, "weekStart"),
        ({"name": "x", "timeFormat": 13}, "timeFormat"),
        ({"name": "x", "logoUrl": "ftp://example.com/logo.png"}, "logoUrl"),
        ({"name": "x", "metadata": {f"k{i}": "v" for i in range(51)}}, "metadata"),
        ({"name": "x", "slug": "---"}, "slug"),
    ],
)
async def test_create_team_rejects_bad_input_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], fragment: str
) -> None:
    alice = await create_user(db)
    before = await _counts(db)
    failure = error(await client.post("/v2/teams", json=body, headers=alice.headers), 400)
    assert fragment in failure["message"]
    assert await _counts(db) == before


async def test_create_team_with_a_taken_slug_is_a_conflict(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    await _create(client, alice, name="Crew")
    before = await _counts(db)
    failure = error(await client.post("/v2/teams", json={"name": "Other", "slug": "crew"}, headers=alice.headers), 409)
    assert failure["message"] == "Team with slug crew already exists"
    assert await _counts(db) == before


async def test_get_teams_lists_only_the_callers_teams(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    first = await _create(client, alice, name="First")
    second = await _create(client, alice, name="Second")
    await _create(client, bob, name="Bobs")
    listed = data(await client.get("/v2/teams", headers=alice.headers))
    assert listed == [first, second]


async def test_get_team_needs_a_membership(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    team = await _create(client, alice, name="Crew")
    assert data(await client.get(f"/v2/teams/{team['id']}", headers=alice.headers)) == team
    failure = error(await client.get(f"/v2/teams/{team['id']}", headers=bob.headers), 403)
    assert failure["message"] == f"RolesGuard - User is not a member of the team with id={team['id']}."
    await add_membership(db, team["id"], bob.id, "MEMBER")
    assert data(await client.get(f"/v2/teams/{team['id']}", headers=bob.headers)) == team
    error(await client.get("/v2/teams/999999", headers=alice.headers), 404)
    error(await client.get("/v2/teams/abc", headers=alice.headers), 400)


async def test_update_team_needs_the_owner(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    team = await _create(client, alice, name="Crew")
    await add_membership(db, team["id"], bob.id, "ADMIN")
    failure = error(await client.patch(f"/v2/teams/{team['id']}", json={"name": "Hijack"}, headers=bob.headers), 403)
    assert failure["message"] == (
        f"RolesGuard - user with id={bob.id} does not have the minimum required role=TEAM_OWNER within team with "
        f"id={team['id']}."
    )
    body = {
        "name": "Crew Shepherds",
        "slug": "shepherds",
        "metadata": {"teamKey": "changed"},
        "bio": None,
        "hideBookATeamMember": True,
        "bookingLimits": '{"PER_DAY": 2, "PER_WEEK": 5}',
        "includeManagedEventsInLimits": True,
    }
    updated = data(await client.patch(f"/v2/teams/{team['id']}", json=body, headers=alice.headers))
    assert updated == {
        **team,
        "name": "Crew Shepherds",
        "slug": "shepherds",
        "metadata": {"teamKey": "changed"},
        "hideBookATeamMember": True,
    }
    async with db.read() as session:
        row = await session.get(Team, team["id"])
        assert row is not None
        assert (row.booking_limits, row.include_managed_events_in_limits) == ({"PER_DAY": 2, "PER_WEEK": 5}, True)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"bookingLimits": "daily"}, "bookingLimits"),
        ({"bookingLimits": '{"PER_HOUR": 1}'}, "bookingLimits"),
        ({"bookingLimits": '{"PER_DAY": 0}'}, "bookingLimits"),
        ({"timeZone": "Nowhere/Land"}, "timeZone"),
        ({"name": ""}, "name"),
    ],
)
async def test_update_team_rejects_bad_input_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], fragment: str
) -> None:
    alice = await create_user(db)
    team = await _create(client, alice, name="Crew")
    failure = error(await client.patch(f"/v2/teams/{team['id']}", json=body, headers=alice.headers), 400)
    assert fragment in failure["message"]
    assert data(await client.get(f"/v2/teams/{team['id']}", headers=alice.headers)) == team


async def test_update_team_to_a_taken_slug_is_a_conflict(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    await _create(client, alice, name="Crew")
    other = await _create(client, alice, name="Other")
    error(await client.patch(f"/v2/teams/{other['id']}", json={"slug": "crew"}, headers=alice.headers), 409)
    assert data(await client.get(f"/v2/teams/{other['id']}", headers=alice.headers))["slug"] == "other"


async def test_delete_team_needs_the_owner_and_takes_the_memberships(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    team = await _create(client, alice, name="Crew")
    await add_membership(db, team["id"], bob.id, "MEMBER")
    error(await client.delete(f"/v2/teams/{team['id']}", headers=bob.headers), 403)
    assert data(await client.delete(f"/v2/teams/{team['id']}", headers=alice.headers)) == team
    assert await _counts(db) == (0, 0)
    error(await client.get(f"/v2/teams/{team['id']}", headers=alice.headers), 404)


async def test_an_org_admin_acts_on_the_org_teams_through_the_team_routes(
    client: httpx.AsyncClient, db: Database
) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "crew", {org.member.id: "MEMBER"})
    # The admin is not in the team: the organization role is enough ("org > team").
    assert data(await client.get(f"/v2/teams/{team_id}", headers=org.admin.headers))["parentId"] == org.id
    renamed = data(await client.patch(f"/v2/teams/{team_id}", json={"name": "Renamed"}, headers=org.admin.headers))
    assert renamed["name"] == "Renamed"
    error(await client.patch(f"/v2/teams/{team_id}", json={"name": "No"}, headers=org.member.headers), 403)
    # An organization row is not a team.
    error(await client.get(f"/v2/teams/{org.id}", headers=org.owner.headers), 404)


# -- memberships --------------------------------------------------------------------------------


def _membership_output(membership_id: int, team_id: int, user: TestUser, role: str, accepted: bool) -> dict[str, Any]:
    return {
        "id": membership_id,
        "userId": user.id,
        "teamId": team_id,
        "accepted": accepted,
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
    }


async def test_membership_lifecycle(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    team = await _create(client, alice, name="Crew")
    url = f"/v2/teams/{team['id']}/memberships"
    created = data(await client.post(url, json={"userId": bob.id}, headers=alice.headers), 201)
    assert created == _membership_output(created["id"], team["id"], bob, "MEMBER", False)

    owner_membership = await _membership(db, team["id"], alice.id)
    assert owner_membership is not None
    listed = data(await client.get(url, headers=alice.headers))
    assert listed == [
        _membership_output(owner_membership.id, team["id"], alice, "OWNER", True),
        created,
    ]
    assert data(await client.get(f"{url}/{created['id']}", headers=alice.headers)) == created

    body = {"role": "ADMIN", "accepted": True, "disableImpersonation": True}
    updated = data(await client.patch(f"{url}/{created['id']}", json=body, headers=alice.headers))
    assert updated == {**created, "role": "ADMIN", "accepted": True, "disableImpersonation": True}
    # Bob, now an accepted admin, manages memberships too.
    assert data(await client.get(f"{url}/{created['id']}", headers=bob.headers)) == updated

    assert data(await client.delete(f"{url}/{created['id']}", headers=alice.headers)) == updated
    assert await _membership(db, team["id"], bob.id) is None
    error(await client.get(f"{url}/{created['id']}", headers=alice.headers), 404)


async def test_membership_writes_reject_bad_input_and_change_nothing(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    team = await _create(client, alice, name="Crew")
    url = f"/v2/teams/{team['id']}/memberships"
    before = await _counts(db)
    error(await client.post(url, json={"userId": bob.id, "role": "KING"}, headers=alice.headers), 400)
    error(await client.post(url, json={}, headers=alice.headers), 400)
    failure = error(await client.post(url, json={"userId": 999999}, headers=alice.headers), 404)
    assert failure["message"] == "User with id=999999 not found"
    failure = error(await client.post(url, json={"userId": alice.id}, headers=alice.headers), 409)
    assert failure["message"] == f"User with id={alice.id} is already a member of team with id={team['id']}"
    assert await _counts(db) == before
    owner = await _membership(db, team["id"], alice.id)
    assert owner is not None
    error(await client.patch(f"{url}/{owner.id}", json={"role": "KING"}, headers=alice.headers), 400)
    assert (await _membership(db, team["id"], alice.id)).role == "OWNER"  # type: ignore[union-attr]


async def test_memberships_of_another_team_are_not_found(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    mine = await _create(client, alice, name="Mine")
    theirs = await _create(client, alice, name="Theirs")
    other = await _membership(db, theirs["id"], alice.id)
    assert other is not None
    url = f"/v2/teams/{mine['id']}/memberships/{other.id}"
    failure = error(await client.get(url, headers=alice.headers), 404)
    assert failure["message"] == f"Membership with id {other.id} not found in team {mine['id']}"
    error(await client.patch(url, json={"role": "MEMBER"}, headers=alice.headers), 404)
    error(await client.delete(url, headers=alice.headers), 404)
    assert (await _membership(db, theirs["id"], alice.id)) is not None


async def test_memberships_need_a_team_admin(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    carol = await create_user(db, email="carol@example.com")
    team = await _create(client, alice, name="Crew")
    await add_membership(db, team["id"], bob.id, "MEMBER")
    url = f"/v2/teams/{team['id']}/memberships"
    failure = error(await client.get(url, headers=bob.headers), 403)
    assert "minimum required role=TEAM_ADMIN" in failure["message"]
    error(await client.post(url, json={"userId": carol.id}, headers=bob.headers), 403)
    assert await _membership(db, team["id"], carol.id) is None


async def test_memberships_page_and_filter_by_email(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    team = await _create(client, alice, name="Crew")
    users = [await create_user(db, email=f"user{i}@example.com") for i in range(3)]
    for user in users:
        await add_membership(db, team["id"], user.id)
    url = f"/v2/teams/{team['id']}/memberships"
    every = data(await client.get(url, headers=alice.headers))
    assert [m["userId"] for m in every] == [alice.id, *(u.id for u in users)]
    page = data(await client.get(url, params={"skip": 1, "take": 2}, headers=alice.headers))
    assert page == every[1:3]
    filtered = data(
        await client.get(url, params={"emails": "USER2@example.com,user0@example.com"}, headers=alice.headers)
    )
    assert [m["userId"] for m in filtered] == [users[0].id, users[2].id]
    for params in ({"take": 0}, {"take": 251}, {"skip": -1}, {"take": "x"}):
        error(await client.get(url, params=params, headers=alice.headers), 400)
    too_many = ",".join(f"u{i}@example.com" for i in range(21))
    error(await client.get(url, params={"emails": too_many}, headers=alice.headers), 400)


async def test_a_team_of_an_organization_only_takes_its_members(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "crew")
    stranger = await create_user(db, email="stranger@example.com")
    url = f"/v2/teams/{team_id}/memberships"
    failure = error(await client.post(url, json={"userId": stranger.id}, headers=org.admin.headers), 422)
    assert failure["message"] == "User is not part of the Organization"
    created = data(await client.post(url, json={"userId": org.member.id}, headers=org.admin.headers), 201)
    assert (created["teamId"], created["userId"]) == (team_id, org.member.id)


# -- invite -------------------------------------------------------------------------------------


async def test_invite_makes_a_new_stored_token_each_time(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    team = await _create(client, alice, name="Crew")
    await add_membership(db, team["id"], bob.id, "MEMBER")
    url = f"/v2/teams/{team['id']}/invite"
    first = data(await client.post(url, headers=alice.headers))
    second = data(await client.post(url, headers=alice.headers))
    for invite in (first, second):
        assert set(invite) == {"token", "inviteLink"}
        assert re.fullmatch(r"[0-9a-f]{64}", invite["token"])
        assert invite["inviteLink"] == (
            f"http://127.0.0.1:8000/signup?token={invite['token']}&callbackUrl=/getting-started"
        )
    assert first["token"] != second["token"]
    async with db.read() as session:
        hashes = set((await session.scalars(select(TeamInvite.token_hash))).all())
    assert hashes == {sha256_hex(first["token"]), sha256_hex(second["token"])}
    error(await client.post(url, headers=bob.headers), 403)


async def test_users_of_an_organization_the_caller_is_not_in_cannot_be_added(
    client: httpx.AsyncClient, db: Database
) -> None:
    acme = await create_org_with_members(db)
    beta = await create_org_with_members(db, "beta")
    loner = await create_user(db, email="loner@example.com")
    team = await _create(client, acme.member, name="Side Project")
    url = f"/v2/teams/{team['id']}/memberships"
    before = await _counts(db)
    for user in (beta.member, beta.owner):
        failure = error(await client.post(url, json={"userId": user.id}, headers=acme.member.headers), 404)
        assert failure["message"] == f"User with id={user.id} not found"
        assert user.email not in str(failure)
    assert await _counts(db) == before
    # A colleague of the caller's organization and a user of no organization may be added.
    for user in (acme.admin, loner):
        created = data(await client.post(url, json={"userId": user.id}, headers=acme.member.headers), 201)
        assert created["user"]["email"] == user.email
