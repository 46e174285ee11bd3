"""Organization team event types, their private links, and the webhooks of team event types."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import Webhook
from support import OrgWorld, add_webhook, create_org_team, create_org_world, data, error, row_counts

BOOKING_FIELDS_PHONE_ONLY = [
    {"type": "email", "required": False, "label": "Email", "placeholder": "", "hidden": True},
    {"type": "phone", "slug": "attendeePhoneNumber", "required": True, "label": "Phone number", "hidden": False},
]
HOOK = "https://hooks.example.com/team-event-type"


def org_url(world: OrgWorld, team_id: int | None = None) -> str:
    return f"/v2/organizations/{world.org.id}/teams/{team_id or world.team_id}/event-types"


def body(slug: str = "demo", **fields: Any) -> dict[str, Any]:
    return {"title": slug.title(), "slug": slug, "lengthInMinutes": 30, "schedulingType": "collective", **fields}


async def test_org_admin_creates_in_a_team_they_are_not_in(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    hosts = [{"userId": world.team_member.id}]
    created = data(
        await client.post(
            org_url(world),
            json=body(
                hosts=hosts,
                bookingFields=BOOKING_FIELDS_PHONE_ONLY,
                emailSettings={"disableEmailsToAttendees": True},
            ),
            headers=world.org.admin.headers,
        ),
        201,
    )
    assert (created["teamId"], created["team"]["slug"]) == (world.team_id, "crew")
    assert created["emailSettings"] == {"disableEmailsToAttendees": True, "disableEmailsToHosts": False}
    # Organization teams may take phone-only bookings.
    assert [(f["slug"], f["required"], f.get("hidden")) for f in created["bookingFields"][:2]] == [
        ("name", True, None),
        ("email", False, True),
    ]
    one = f"{org_url(world)}/{created['id']}"
    # Team members read; the team admin and organization admins write.
    assert data(await client.get(one, headers=world.team_member.headers)) == created
    assert [e["id"] for e in data(await client.get(org_url(world), headers=world.team_member.headers))] == [
        created["id"]
    ]
    updated = data(await client.patch(one, json={"hidden": True}, headers=world.team_admin.headers))
    assert updated["hidden"] is True
    assert data(await client.delete(one, headers=world.org.owner.headers)) == {"id": created["id"], "title": "Demo"}


async def test_teams_of_other_organizations_are_not_found(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    before = await row_counts(db, "event_types", "hosts")
    response = await client.post(org_url(world, world.other_team_id), json=body(), headers=world.org.admin.headers)
    assert error(response, 404)["message"] == f"IsTeamInOrg - Team ({world.other_team_id}) not found."
    response = await client.get(org_url(world, world.other_team_id), headers=world.org.admin.headers)
    assert error(response, 404)["message"] == f"IsTeamInOrg - Team ({world.other_team_id}) not found."
    assert await row_counts(db, "event_types", "hosts") == before


async def test_all_team_event_types_of_the_organization(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    second_team = await create_org_team(db, world.org.id, "second", {world.team_admin.id: "ADMIN"})
    ids = []
    for team_id, slug in ((world.team_id, "one"), (second_team, "two"), (world.team_id, "three")):
        created = data(
            await client.post(org_url(world, team_id), json=body(slug), headers=world.org.admin.headers), 201
        )
        ids.append(created["id"])
    # Another organization's team event types stay out.
    data(
        await client.post(
            f"/v2/organizations/{world.other.id}/teams/{world.other_team_id}/event-types",
            json=body("elsewhere"),
            headers=world.other.owner.headers,
        ),
        201,
    )
    url = f"/v2/organizations/{world.org.id}/teams/event-types"
    assert [e["id"] for e in data(await client.get(url, headers=world.org.admin.headers))] == ids
    page = data(await client.get(url, params={"skip": 1, "take": 1}, headers=world.org.admin.headers))
    assert [e["id"] for e in page] == ids[1:2]
    newest = data(await client.get(url, params={"sortCreatedAt": "desc"}, headers=world.org.admin.headers))
    assert [e["id"] for e in newest] == ids[::-1]
    assert [e["team"]["slug"] for e in newest] == ["crew", "second", "crew"]
    err = error(await client.get(url, headers=world.org.member.headers), 403)
    assert err["message"] == (
        f"RolesGuard - user with id={world.org.member.id} does not have the minimum required role=ORG_ADMIN within "
        f"organization with id={world.org.id}."
    )


async def test_private_links_of_a_team_event_type(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    created = data(await client.post(org_url(world), json=body(), headers=world.team_admin.headers), 201)
    links = f"{org_url(world)}/{created['id']}/private-links"
    link = data(await client.post(links, json={"maxUsageCount": 2}, headers=world.team_admin.headers), 201)
    assert link == {
        "linkId": link["linkId"],
        "eventTypeId": created["id"],
        "isExpired": False,
        "bookingUrl": f"http://127.0.0.1:8000/d/{link['linkId']}/demo",
        "maxUsageCount": 2,
        "usageCount": 0,
    }
    assert data(await client.get(links, headers=world.org.admin.headers)) == [link]
    updated = data(
        await client.patch(f"{links}/{link['linkId']}", json={"maxUsageCount": 5}, headers=world.team_admin.headers)
    )
    assert updated == {**link, "maxUsageCount": 5}
    assert data(await client.delete(f"{links}/{link['linkId']}", headers=world.team_admin.headers)) == {
        "linkId": link["linkId"],
        "message": "Private link deleted successfully",
    }
    assert data(await client.get(links, headers=world.team_admin.headers)) == []
    # Members may not manage links; an event type of another team is not found.
    assert error(await client.get(links, headers=world.team_member.headers), 403)["code"] == "ForbiddenException"
    second_team = await create_org_team(db, world.org.id, "second", {world.team_admin.id: "ADMIN"})
    elsewhere = f"{org_url(world, second_team)}/{created['id']}/private-links"
    err = error(await client.post(elsewhere, json={}, headers=world.team_admin.headers), 404)
    assert err["message"] == f"Event type with id {created['id']} not found"


async def test_team_event_type_webhooks(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    created = data(await client.post(org_url(world), json=body(), headers=world.team_admin.headers), 201)
    base = f"/v2/teams/{world.team_id}/event-types/{created['id']}/webhooks"
    payload = {"subscriberUrl": HOOK, "triggers": ["BOOKING_CREATED"], "active": True}
    webhook = data(await client.post(base, json=payload, headers=world.team_admin.headers), 201)
    assert webhook == {
        "payloadTemplate": None,
        "eventTypeId": created["id"],
        "id": webhook["id"],
        "triggers": ["BOOKING_CREATED"],
        "subscriberUrl": HOOK,
        "active": True,
        "secret": None,
    }
    one = f"{base}/{webhook['id']}"
    assert data(await client.get(base, headers=world.team_member.headers)) == [webhook]
    assert data(await client.get(one, headers=world.team_member.headers)) == webhook
    assert error(await client.post(base, json=payload, headers=world.team_member.headers), 403)["code"] == (
        "ForbiddenException"
    )
    patched = data(await client.patch(one, json={"active": False}, headers=world.team_admin.headers))
    assert patched == {**webhook, "active": False}
    assert data(await client.delete(one, headers=world.team_admin.headers)) == patched
    data(await client.post(base, json=payload, headers=world.team_admin.headers), 201)
    assert data(await client.delete(base, headers=world.team_admin.headers)) == "1 webhooks deleted"

    # A webhook of something else is refused with the guard's messages; nothing changes.
    user_hook = await add_webhook(db, HOOK, ["BOOKING_CREATED"], user_id=world.team_admin.id)
    err = error(await client.get(f"{base}/{user_hook}", headers=world.team_admin.headers), 400)
    assert err["message"] == f"IsTeamEventTypeWebhookGuard - Webhook ({user_hook}) no event type"
    other = data(await client.post(org_url(world), json=body("other"), headers=world.team_admin.headers), 201)
    other_hook = await add_webhook(db, HOOK, ["BOOKING_CREATED"], event_type_id=other["id"])
    err = error(await client.delete(f"{base}/{other_hook}", headers=world.team_admin.headers), 403)
    assert err["message"] == "IsTeamEventTypeWebhookGuard - Webhook mismatch with event type"
    second_team = await create_org_team(db, world.org.id, "second", {world.team_admin.id: "ADMIN"})
    elsewhere = f"/v2/teams/{second_team}/event-types/{created['id']}/webhooks"
    err = error(await client.post(elsewhere, json=payload, headers=world.team_admin.headers), 404)
    assert err["message"] == (
        f"IsTeamEventTypeWebhookGuard - Event type ({created['id']}) not found for team ({second_team})"
    )
    async with db.read() as session:
        remaining = sorted((await session.scalars(select(Webhook.id))).all())
    assert remaining == sorted([user_hook, other_hook])
