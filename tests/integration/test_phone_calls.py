"""`create-phone-call` of a team event type, through a Retell AI stand-in on 127.0.0.1.

Both routes (`/v2/teams/{teamId}/...` and `/v2/organizations/{orgId}/teams/{teamId}/...`) run
against `tests/retell_server.py`, which checks the bearer key, answers with Retell's documented shapes
and records every request, so the tests see exactly what opencal sent to the provider.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from opencal.app import create_app
from opencal.config import Settings
from opencal.core.db import Database
from opencal.models import AIPhoneCallConfiguration, User
from opencal.phone_calls.service import CHECK_IN_APPOINTMENT_PROMPT, END_CALL_DESCRIPTION
from retell_server import RetellServer
from support import (
    OrgWorld,
    TestUser,
    add_membership,
    create_custom_role,
    create_org_world,
    create_team,
    create_user,
    data,
    error,
    free_port,
    give_custom_role,
    insert_team_event_type,
)

RETELL_KEY = "key_3f2a9c0d5e6b7a8c9d0e1f2a"
CAL_KEY = "cal_live_5c8d1e2f3a4b5c6d7e8f9a0b1c2d3e4f"
OUR_NUMBER = "+14155550100"
GUEST_NUMBER = "+442071838750"
CALL_ROUTES = [
    "GET /get-phone-number/{id}",
    "POST /create-retell-llm",
    "POST /create-agent",
    "POST /v2/create-phone-call",
]


@dataclass(frozen=True)
class World:
    org: OrgWorld
    event_type_id: int
    foreign_event_type_id: int

    @property
    def team_url(self) -> str:
        return f"/v2/teams/{self.org.team_id}/event-types/{self.event_type_id}/create-phone-call"

    @property
    def org_url(self) -> str:
        return (
            f"/v2/organizations/{self.org.org.id}/teams/{self.org.team_id}"
            f"/event-types/{self.event_type_id}/create-phone-call"
        )


def call_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "yourPhoneNumber": OUR_NUMBER,
        "numberToCall": GUEST_NUMBER,
        "calApiKey": CAL_KEY,
        "enabled": True,
        "templateType": "CUSTOM_TEMPLATE",
        "schedulerName": "Crew",
        "guestName": "Gus Guest",
        "guestEmail": "gus@example.com",
        "guestCompany": "Gus & Co",
        "beginMessage": "Hello, this is the Crew scheduling line.",
        "generalPrompt": "Find a time for a follow-up with {{name}} and book it.",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


@pytest.fixture
async def retell() -> AsyncIterator[RetellServer]:
    async with RetellServer(api_key=RETELL_KEY, phone_numbers=[OUR_NUMBER]) as server:
        yield server


@pytest.fixture
async def world(db: Database) -> World:
    org = await create_org_world(db)
    event_type_id = await insert_team_event_type(
        db, org.team_id, "intro-call", [{"user_id": org.team_admin.id, "is_fixed": True}]
    )
    foreign = await insert_team_event_type(
        db, org.other_team_id, "beta-call", [{"user_id": org.other.member.id, "is_fixed": True}]
    )
    async with db.write() as session:
        await session.execute(update(User).where(User.id == org.team_admin.id).values(time_zone="America/New_York"))
    return World(org, event_type_id, foreign)


@asynccontextmanager
async def api(settings: Settings, db: Database, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update=overrides), database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


@asynccontextmanager
async def retell_api(settings: Settings, db: Database, retell: RetellServer) -> AsyncIterator[httpx.AsyncClient]:
    async with api(settings, db, retell_api_key=RETELL_KEY, retell_api_url=retell.url) as http:
        yield http


async def stored(db: Database) -> list[AIPhoneCallConfiguration]:
    async with db.read() as session:
        return list((await session.scalars(select(AIPhoneCallConfiguration))).all())


async def post(http: httpx.AsyncClient, url: str, user: TestUser | None, body: Any) -> httpx.Response:
    return await http.post(url, json=body, headers=user.headers if user else {})


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert CAL_KEY not in text


# -- success -------------------------------------------------------------------------------------


async def test_team_route_places_the_call_through_retell(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    async with retell_api(settings, db, retell) as http:
        response = await post(http, world.team_url, world.org.team_admin, call_body())
    result = data(response, 201)
    assert_no_key(response.text)

    [call] = retell.calls.values()
    [agent] = retell.agents.values()
    [llm] = retell.llms.values()
    assert result == {"callId": call["call_id"], "agentId": agent["agent_id"]}
    assert retell.routes == CALL_ROUTES
    assert all(r.headers["authorization"] == f"Bearer {RETELL_KEY}" for r in retell.requests)
    number, create_llm, create_agent, create_call = retell.requests
    assert number.path == f"/get-phone-number/{OUR_NUMBER}"
    tools = {
        "cal_api_key": CAL_KEY,
        "event_type_id": world.event_type_id,
        "timezone": "America/New_York",  # the caller's time zone
    }
    assert create_llm.json() == {
        "general_prompt": "Find a time for a follow-up with {{name}} and book it.",
        "begin_message": "Hello, this is the Crew scheduling line.",
        "general_tools": [
            {"type": "end_call", "name": "end_call", "description": END_CALL_DESCRIPTION},
            {"type": "check_availability_cal", "name": "check_availability", **tools},
            {"type": "book_appointment_cal", "name": "book_appointment", **tools},
        ],
    }
    assert create_agent.json() == {
        "response_engine": {"type": "retell-llm", "llm_id": llm["llm_id"]},
        "agent_name": f"Intro Call (event type {world.event_type_id})",
        "voice_id": "11labs-Adrian",
    }
    assert create_call.json() == {
        "from_number": OUR_NUMBER,
        "to_number": GUEST_NUMBER,
        "override_agent_id": agent["agent_id"],
        "retell_llm_dynamic_variables": {
            "name": "Gus Guest",
            "email": "gus@example.com",
            "company": "Gus & Co",
            "scheduler_name": "Crew",
        },
    }

    [row] = await stored(db)
    assert (row.event_type_id, row.enabled, row.template_type) == (world.event_type_id, True, "CUSTOM_TEMPLATE")
    assert (row.your_phone_number, row.number_to_call) == (OUR_NUMBER, GUEST_NUMBER)
    assert (row.guest_name, row.guest_email, row.guest_company) == ("Gus Guest", "gus@example.com", "Gus & Co")
    assert (row.scheduler_name, row.begin_message) == ("Crew", "Hello, this is the Crew scheduling line.")
    assert row.general_prompt == "Find a time for a follow-up with {{name}} and book it."
    assert (row.llm_id, row.agent_id) == (llm["llm_id"], agent["agent_id"])
    # The Cal.com API key lives only in the provider's LLM tools.
    assert_no_key(*(str(getattr(row, column.key)) for column in AIPhoneCallConfiguration.__table__.columns))


async def test_org_route_reuses_and_updates_the_event_types_llm_and_agent(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    async with retell_api(settings, db, retell) as http:
        first = data(await post(http, world.org_url, world.org.org.admin, call_body()), 201)
        retell.requests.clear()
        # Same prompt, opening line and tools: nothing to update, the agent is reused.
        second = data(await post(http, world.org_url, world.org.org.admin, call_body(guestName="Gwen")), 201)
        assert retell.routes == [
            "GET /get-phone-number/{id}",
            "GET /get-retell-llm/{id}",
            "GET /get-agent/{id}",
            "POST /v2/create-phone-call",
        ]
        retell.requests.clear()
        response = await post(
            http, world.org_url, world.org.org.admin, call_body(generalPrompt="New prompt", calApiKey="cal_other")
        )
        third = data(response, 201)

    assert first["agentId"] == second["agentId"] == third["agentId"]
    assert len({first["callId"], second["callId"], third["callId"]}) == 3
    assert len(retell.llms) == 1 and len(retell.agents) == 1 and len(retell.calls) == 3
    assert retell.routes == [
        "GET /get-phone-number/{id}",
        "GET /get-retell-llm/{id}",
        "PATCH /update-retell-llm/{id}",
        "GET /get-agent/{id}",
        "POST /v2/create-phone-call",
    ]
    patch = retell.requests[2].json()
    assert patch["general_prompt"] == "New prompt" and "begin_message" not in patch
    assert [tool.get("cal_api_key") for tool in patch["general_tools"]] == [None, "cal_other", "cal_other"]
    [llm] = retell.llms.values()
    assert llm["general_prompt"] == "New prompt"
    [row] = await stored(db)
    assert (row.general_prompt, row.guest_name, row.agent_id) == ("New prompt", "Gus Guest", first["agentId"])


async def test_check_in_template_and_defaults(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    async with retell_api(settings, db, retell) as http:
        body = call_body(templateType="CHECK_IN_APPOINTMENT", generalPrompt="ignored for this template")
        data(await post(http, world.team_url, world.org.org.owner, body), 201)
        [llm] = retell.llms.values()
        assert llm["general_prompt"] == CHECK_IN_APPOINTMENT_PROMPT
        assert "{{scheduler_name}}" in CHECK_IN_APPOINTMENT_PROMPT
        [row] = await stored(db)
        assert (row.template_type, row.general_prompt) == ("CHECK_IN_APPOINTMENT", CHECK_IN_APPOINTMENT_PROMPT)

        # `enabled` and `templateType` default to true and CUSTOM_TEMPLATE; empty guest fields are left out.
        minimal = {"yourPhoneNumber": OUR_NUMBER, "numberToCall": GUEST_NUMBER, "calApiKey": CAL_KEY, "guestName": ""}
        retell.requests.clear()
        data(await post(http, world.team_url, world.org.org.owner, minimal), 201)
    update_llm = next(r for r in retell.requests if r.route == "PATCH /update-retell-llm/{id}")
    assert update_llm.json()["general_prompt"] == ""
    assert retell.requests[-1].json()["retell_llm_dynamic_variables"] == {}
    [row] = await stored(db)
    assert (row.template_type, row.general_prompt, row.enabled) == ("CUSTOM_TEMPLATE", "", True)
    assert row.guest_name == "Gus Guest"  # left out: the stored value stays, as in Cal.com


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"yourPhoneNumber": "4155550100"}, "yourPhoneNumber", "Invalid phone number format"),
        ({"numberToCall": "+44 20 7183 8750"}, "numberToCall", "Invalid phone number format"),
        ({"numberToCall": "+0123"}, "numberToCall", "Invalid phone number format"),
        ({"templateType": "REMINDER"}, "templateType", "CHECK_IN_APPOINTMENT"),
        ({"enabled": "yes"}, "enabled", "boolean"),
        ({"calApiKey": 42}, "calApiKey", "string"),
        ({"guestEmail": 7}, "guestEmail", "string"),
        ({"numberToCall": None}, "numberToCall", "Field required"),
        ({"calApiKey": None}, "calApiKey", "Field required"),
    ],
)
async def test_invalid_input_is_400_naming_the_field(
    settings: Settings,
    db: Database,
    retell: RetellServer,
    world: World,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    async with retell_api(settings, db, retell) as http:
        response = await post(http, world.org_url, world.org.team_admin, call_body(**changes))
    problem = error(response, 400)
    assert problem["code"] == "BadRequestException"
    assert problem["message"].startswith(f"{field}: ") and message in problem["message"], problem
    assert_no_key(response.text)
    assert retell.requests == [] and await stored(db) == []


async def test_unknown_or_foreign_event_type_is_404(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    team_id = world.org.team_id
    async with retell_api(settings, db, retell) as http:
        for event_type_id in (999999, world.foreign_event_type_id):
            for url in (
                f"/v2/teams/{team_id}/event-types/{event_type_id}/create-phone-call",
                f"/v2/organizations/{world.org.org.id}/teams/{team_id}/event-types/{event_type_id}/create-phone-call",
            ):
                problem = error(await post(http, url, world.org.team_admin, call_body()), 404)
                assert problem["message"] == f"Event type with id {event_type_id} not found"
        # A team of another organization, on the organization route.
        url = (
            f"/v2/organizations/{world.org.org.id}/teams/{world.org.other_team_id}"
            f"/event-types/{world.foreign_event_type_id}/create-phone-call"
        )
        problem = error(await post(http, url, world.org.org.owner, call_body()), 404)
        assert problem["message"] == f"IsTeamInOrg - Team ({world.org.other_team_id}) not found."
    assert retell.requests == [] and await stored(db) == []


async def test_team_admins_may_call_members_may_not(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    org = world.org
    async with retell_api(settings, db, retell) as http:
        for url in (world.team_url, world.org_url):
            assert (await post(http, url, None, call_body())).status_code == 401
            for refused in (org.team_member, org.org.member, org.other.owner):
                problem = error(await post(http, url, refused, call_body()), 403)
                assert problem["message"].startswith(("RolesGuard", "IsOrgGuard")), problem
            # The guard answers before the body is read.
            assert (await post(http, url, org.team_member, {"numberToCall": "bad"})).status_code == 403
        assert retell.requests == [] and await stored(db) == []

        # A custom role granting eventType.update lets a member through the organization route only
        # (Cal.com's PBAC guard guards that route; the team route checks the role alone).
        role_id = await create_custom_role(db, org.team_id, "Crew Editors", ["eventType.update"])
        await give_custom_role(db, org.team_id, org.team_member.id, role_id)
        error(await post(http, world.team_url, org.team_member, call_body()), 403)
        data(await post(http, world.org_url, org.team_member, call_body()), 201)
        for allowed in (org.team_admin, org.org.admin, org.org.owner):
            data(await post(http, world.team_url, allowed, call_body()), 201)
    assert len(retell.calls) == 4


async def test_team_outside_an_organization_is_refused_like_cal_com(
    settings: Settings, db: Database, retell: RetellServer
) -> None:
    admin = await create_user(db, email="solo-admin@example.com")
    team_id = await create_team(db, "solo", {admin.id: "ADMIN"})
    event_type_id = await insert_team_event_type(db, team_id, "solo-call", [{"user_id": admin.id, "is_fixed": True}])
    async with retell_api(settings, db, retell) as http:
        url = f"/v2/teams/{team_id}/event-types/{event_type_id}/create-phone-call"
        problem = error(await post(http, url, admin, call_body()), 401)
    assert problem == {**problem, "code": "TRPCError", "message": "You are not authorized to access this resource"}
    assert retell.requests == [] and await stored(db) == []


# -- the provider ----------------------------------------------------------------------------------


async def test_unconfigured_provider_is_400_and_stores_nothing(settings: Settings, db: Database, world: World) -> None:
    async with api(settings, db, retell_api_key=None) as http:
        response = await post(http, world.team_url, world.org.team_admin, call_body())
    problem = error(response, 400)
    assert "OPENCAL_RETELL_API_KEY" in problem["message"]
    assert await stored(db) == []


async def test_provider_failure_is_a_clean_error_and_undoes_what_it_created(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    async with retell_api(settings, db, retell) as http:
        retell.fail("POST", "/v2/create-phone-call", 503)
        response = await post(http, world.team_url, world.org.team_admin, call_body())
        problem = error(response, 502)
        assert problem["code"] == "BadGatewayException"
        assert problem["message"] == "Unable to create phone call: the telephony provider failed (status 503)"
        # The LLM and the agent made for this call are deleted again; nothing is stored.
        assert retell.routes == [*CALL_ROUTES, "DELETE /delete-agent/{id}", "DELETE /delete-retell-llm/{id}"]
        assert retell.llms == {} and retell.agents == {} and retell.calls == {}
        assert await stored(db) == []

        # Retell refusing what the caller sent is the caller's 400; Retell's message never carries the key.
        retell.requests.clear()
        retell.fail("POST", "/create-retell-llm", 422, message=f"tool: {CAL_KEY} rejected")
        response = await post(http, world.team_url, world.org.team_admin, call_body())
        problem = error(response, 400)
        assert problem["message"] == (
            "Unable to create Retell LLM: Retell refused the request (422: tool: [redacted] rejected)"
        )
        assert_no_key(response.text)
        assert retell.routes == ["GET /get-phone-number/{id}", "POST /create-retell-llm"]

        # A number that is not the account's.
        retell.requests.clear()
        response = await post(http, world.team_url, world.org.team_admin, call_body(yourPhoneNumber="+14155550199"))
        problem = error(response, 400)
        assert problem["message"].startswith("yourPhoneNumber: +14155550199 is not a phone number of the Retell")
        assert retell.routes == ["GET /get-phone-number/{id}"]
        assert await stored(db) == []

        # Once Retell works again the call goes through and is stored once.
        data(await post(http, world.team_url, world.org.team_admin, call_body()), 201)
    assert len(await stored(db)) == 1 and len(retell.llms) == 1 and len(retell.agents) == 1


async def test_a_failure_after_reuse_keeps_the_stored_configuration(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    async with retell_api(settings, db, retell) as http:
        data(await post(http, world.team_url, world.org.team_admin, call_body()), 201)
        [before] = await stored(db)
        retell.fail("POST", "/v2/create-phone-call", 500)
        error(await post(http, world.team_url, world.org.team_admin, call_body(guestName="Other")), 502)
    # Objects that already existed are not deleted; the stored row is the one of the last placed call.
    assert len(retell.llms) == 1 and len(retell.agents) == 1
    [after] = await stored(db)
    assert (after.guest_name, after.llm_id, after.agent_id) == ("Gus Guest", before.llm_id, before.agent_id)


async def test_wrong_server_key_and_unreachable_provider_are_502(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    async with api(settings, db, retell_api_key="key_wrong", retell_api_url=retell.url) as http:
        problem = error(await post(http, world.team_url, world.org.team_admin, call_body()), 502)
    assert problem["message"] == "Unable to get phone number: Retell refused OPENCAL_RETELL_API_KEY (401)"
    async with api(settings, db, retell_api_key=RETELL_KEY, retell_api_url=f"http://127.0.0.1:{free_port()}") as http:
        problem = error(await post(http, world.team_url, world.org.team_admin, call_body()), 502)
    assert problem["message"].startswith("Unable to get phone number: the telephony provider failed (Retell could")
    assert await stored(db) == [] and retell.llms == {}


async def test_deleted_provider_objects_are_made_again(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    async with retell_api(settings, db, retell) as http:
        first = data(await post(http, world.org_url, world.org.org.admin, call_body()), 201)
        retell.llms.clear()
        retell.agents.clear()
        second = data(await post(http, world.org_url, world.org.org.admin, call_body()), 201)
    assert second["agentId"] != first["agentId"]
    [row] = await stored(db)
    [llm] = retell.llms.values()
    assert (row.llm_id, row.agent_id) == (llm["llm_id"], second["agentId"])


async def test_org_member_added_as_team_admin_only_needs_the_team_role(
    settings: Settings, db: Database, retell: RetellServer, world: World
) -> None:
    # The organization's plain member becomes an admin of the team: that is enough on both routes.
    await add_membership(db, world.org.team_id, world.org.org.member.id, "ADMIN")
    async with retell_api(settings, db, retell) as http:
        data(await post(http, world.team_url, world.org.org.member, call_body()), 201)
        data(await post(http, world.org_url, world.org.org.member, call_body()), 201)
