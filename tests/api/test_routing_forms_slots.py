"""Routing form answers routed to slots: "Create routing form response and get available slots"
(organization and team variants) and "Calculate slots based on routing form response"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from opencal.core.db import Database
from opencal.models import RoutingForm
from support import (
    TestOrg,
    create_org_team,
    create_org_with_members,
    create_user,
    data,
    error,
    insert_team_event_type,
    row_counts,
)

WINDOW = "start=2050-09-05&end=2050-09-06"
SLOTS_VERSION = {"cal-api-version": "2024-09-04"}
FIELDS: list[dict[str, Any]] = [
    {
        "id": "size",
        "type": "select",
        "label": "Size",
        "options": [{"id": "small", "label": "Small"}, {"id": "large", "label": "Large"}],
    },
    {"id": "company", "type": "text", "label": "Company", "identifier": "company"},
    {"id": "email", "type": "email", "label": "Email", "required": True},
]


def rule(field: str, operator: str, value: list[Any]) -> dict[str, Any]:
    group = {"conjunction": "AND"}
    return {
        "type": "group",
        "children1": {"rule": {"type": "rule", "properties": {"field": field, "operator": operator, "value": value}}},
        "properties": group,
    }


ROUTES: list[dict[str, Any]] = [
    {
        "id": "big",
        "queryValue": rule("size", "select_equals", ["large"]),
        "action": {"type": "eventTypeRedirectUrl", "value": "team/sales/demo"},
    },
    {
        "id": "acme",
        "queryValue": rule("company", "like", ["acme"]),
        "action": {"type": "externalRedirectUrl", "value": "https://example.com/acme"},
    },
    {
        "id": "fallback",
        "queryValue": {"type": "group"},
        "action": {"type": "customPageMessage", "value": "Thanks, we will be in touch"},
        "isFallback": True,
    },
]


@dataclass(frozen=True)
class World:
    org: TestOrg
    team_id: int
    event_type_id: int
    form_id: str


async def add_form(db: Database, team_id: int, owner_id: int, routes: list[dict[str, Any]] = ROUTES) -> str:
    form_id = str(uuid.uuid4())
    async with db.write() as session:
        session.add(
            RoutingForm(
                id=form_id, name="Inbound", user_id=owner_id, team_id=team_id, fields=FIELDS, routes=routes, settings={}
            )
        )
    return form_id


async def create_world(db: Database) -> World:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "sales", {org.member.id: "MEMBER"})
    event_type_id = await insert_team_event_type(db, team_id, "demo", [{"user_id": org.member.id, "is_fixed": True}])
    return World(org, team_id, event_type_id, await add_form(db, team_id, org.owner.id))


def org_url(world: World, query: str = WINDOW) -> str:
    return f"/v2/organizations/{world.org.id}/routing-forms/{world.form_id}/responses?{query}"


def team_url(world: World, query: str = WINDOW) -> str:
    return f"/v2/organizations/{world.org.id}/teams/{world.team_id}/routing-forms/{world.form_id}/responses?{query}"


async def official_slots(client: httpx.AsyncClient, event_type_id: int, query: str) -> Any:
    response = await client.get(f"/v2/slots?eventTypeId={event_type_id}&{query}", headers=SLOTS_VERSION)
    return data(response)


async def counts(db: Database) -> dict[str, int]:
    return await row_counts(db, "routing_form_responses")


async def test_answers_routed_to_an_event_type_are_stored_and_answer_its_slots(
    client: httpx.AsyncClient, db: Database
) -> None:
    world = await create_world(db)
    query = f"{WINDOW}&timeZone=Europe/Rome&format=range"
    answers = {"Size": "Large", "company": "Globex", "Email": "bea@example.com"}
    response = await client.post(org_url(world, query), json=answers, headers=world.org.admin.headers)
    created = data(response, 201)
    slots = await official_slots(client, world.event_type_id, query)
    assert slots != {}
    assert created == {
        "routing": {"responseId": created["routing"]["responseId"], "teamMemberIds": [], "skipContactOwner": False},
        "eventTypeId": world.event_type_id,
        "slots": slots,
    }
    listed = data(
        await client.get(
            f"/v2/organizations/{world.org.id}/routing-forms/{world.form_id}/responses",
            headers=world.org.admin.headers,
        )
    )
    assert [(r["id"], r["formId"], r["response"]) for r in listed] == [
        (
            created["routing"]["responseId"],
            world.form_id,
            {
                "size": {"label": "Size", "value": "Large"},
                "company": {"label": "Company", "identifier": "company", "value": "Globex"},
                "email": {"label": "Email", "value": "bea@example.com"},
            },
        )
    ]


async def test_other_routes_answer_a_redirect_url_or_a_message(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_world(db)
    headers = world.org.admin.headers
    external = await client.post(org_url(world), json={"company": "ACME Ltd", "email": "a@b.c"}, headers=headers)
    assert data(external, 201) == {"routingExternalRedirectUrl": "https://example.com/acme"}
    fallback = await client.post(org_url(world), json={"size": "small", "email": "a@b.c"}, headers=headers)
    assert data(fallback, 201) == {"routingCustomMessage": "Thanks, we will be in touch"}
    assert await counts(db) == {"routing_form_responses": 2}


async def test_team_variant(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_world(db)
    response = await client.post(
        team_url(world), json={"size": "large", "email": "a@b.c"}, headers=world.org.member.headers
    )
    created = data(response, 201)
    assert created["eventTypeId"] == world.event_type_id
    assert created["slots"] == await official_slots(client, world.event_type_id, WINDOW)
    other_team = await create_org_team(db, world.org.id, "support", {world.org.member.id: "MEMBER"})
    elsewhere = f"/v2/organizations/{world.org.id}/teams/{other_team}/routing-forms/{world.form_id}/responses?{WINDOW}"
    refused = await client.post(elsewhere, json={"size": "large"}, headers=world.org.member.headers)
    assert error(refused, 404)["message"] == (
        f"Routing form with id={world.form_id} not found in team with id={other_team}"
    )
    assert await counts(db) == {"routing_form_responses": 1}


async def test_calculate_slots_stores_nothing(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_world(db)
    outsider = await create_user(db, email="outsider@example.com")
    url = f"/v2/routing-forms/{world.form_id}/calculate-slots?{WINDOW}&duration=60"
    response = await client.post(url, json={"size": "large", "email": "a@b.c"}, headers=outsider.headers)
    assert data(response) == {
        "eventTypeId": world.event_type_id,
        "slots": await official_slots(client, world.event_type_id, WINDOW),
    }
    message = await client.post(url, json={"size": "small", "email": "a@b.c"}, headers=outsider.headers)
    assert error(message, 404)["message"] == "Routed to a non cal.com event type URL."
    anonymous = await client.post(url, json={"size": "large", "email": "a@b.c"})
    assert anonymous.status_code == 401
    missing = await client.post(f"/v2/routing-forms/nope/calculate-slots?{WINDOW}", json={}, headers=outsider.headers)
    assert error(missing, 404)["message"] == "Routing form with id=nope not found"
    assert await counts(db) == {"routing_form_responses": 0}


async def test_bad_submissions_are_refused_and_store_nothing(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_world(db)
    headers = world.org.admin.headers
    answers = {"size": "large", "email": "a@b.c"}
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        (org_url(world), {"size": "large"}, 400, "response.Email: this field is required"),
        (
            org_url(world),
            {**answers, "colour": "red"},
            400,
            f"response.colour: routing form with id={world.form_id} has no such field",
        ),
        (
            org_url(world, "start=2050-09-05"),
            answers,
            400,
            "end: Field required",
        ),
        (
            org_url(world, f"{WINDOW}&eventTypeId=1"),
            answers,
            400,
            "eventTypeId property is wrong, it is not an accepted query parameter",
        ),
        (
            org_url(world, f"{WINDOW}&queueResponse=maybe"),
            answers,
            400,
            "queueResponse: Input should be a valid boolean, unable to interpret input",
        ),
        (
            org_url(world, f"{WINDOW}&duration=45"),
            answers,
            400,
            "You passed 'duration' but this event type is not a variable length event type.",
        ),
        (
            f"/v2/organizations/{world.org.id}/routing-forms/missing/responses?{WINDOW}",
            answers,
            404,
            f"Routing form with id=missing not found in organization with id={world.org.id}",
        ),
    ]
    for url, body, status, message in cases:
        assert error(await client.post(url, json=body, headers=headers), status)["message"] == message, url
    assert await counts(db) == {"routing_form_responses": 0}


async def test_a_route_that_cannot_be_evaluated_is_a_400_naming_it(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_world(db)
    broken = [{**ROUTES[0], "queryValue": rule("size", "select_fuzzy", ["large"])}, ROUTES[2]]
    form_id = await add_form(db, world.team_id, world.org.owner.id, broken)
    url = f"/v2/organizations/{world.org.id}/routing-forms/{form_id}/responses?{WINDOW}"
    response = await client.post(url, json={"size": "small", "email": "a@b.c"}, headers=world.org.admin.headers)
    assert error(response, 400)["message"] == "routes[0].queryValue: unsupported routing rule operator 'select_fuzzy'"
    assert await counts(db) == {"routing_form_responses": 0}


async def test_a_routed_event_type_that_does_not_exist_is_a_404(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_world(db)
    gone = [{**ROUTES[0], "action": {"type": "eventTypeRedirectUrl", "value": "team/sales/gone"}}]
    form_id = await add_form(db, world.team_id, world.org.owner.id, gone)
    url = f"/v2/organizations/{world.org.id}/routing-forms/{form_id}/responses?{WINDOW}"
    response = await client.post(url, json={"size": "large", "email": "a@b.c"}, headers=world.org.admin.headers)
    assert error(response, 404)["message"] == (
        f"Event type with slug 'gone' routed to by routing form with id={form_id} not found"
    )
    nothing = await client.post(url, json={"size": "small", "email": "a@b.c"}, headers=world.org.admin.headers)
    assert error(nothing, 404)["message"] == "Route to which the form response should be redirected not found."
    assert await counts(db) == {"routing_form_responses": 0}


async def test_org_members_without_admin_role_may_not_create(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_world(db)
    response = await client.post(
        org_url(world), json={"size": "large", "email": "a@b.c"}, headers=world.org.member.headers
    )
    assert response.status_code == 403
    assert await counts(db) == {"routing_form_responses": 0}
