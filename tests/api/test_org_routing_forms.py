"""Routing forms of an organization's teams and their responses (`Orgs / Routing forms`,
`Orgs / Teams / Routing forms`, `Orgs / Teams / Routing forms / Responses`).

Forms are made with `opencal routing-forms create`, as an operator would.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import func, select

from opencal.cli import build_parser
from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.errors import ApiError
from opencal.models import RoutingForm, RoutingFormResponse
from opencal.routing_forms.service import save_response
from support import (
    TestOrg,
    add_membership,
    create_custom_role,
    create_org_team,
    create_org_with_members,
    create_user,
    data,
    error,
    give_custom_role,
)

FIELDS: list[dict[str, Any]] = [
    {"id": "q1", "type": "text", "label": "Company", "identifier": "company", "required": True},
    {"id": "q2", "type": "select", "label": "Size", "options": [{"id": "s", "label": "Small"}]},
]
ROUTES: list[dict[str, Any]] = [
    {
        "id": "r1",
        "queryValue": {"id": "r1", "type": "group"},
        "action": {"type": "customPageMessage", "value": "Thanks"},
        "isFallback": True,
    }
]


async def create_form(settings: Settings, tmp_path: Path, org_id: int, definition: dict[str, Any]) -> dict[str, Any]:
    """`opencal routing-forms create`, parsed and run in-process (its own database connection)."""
    path = tmp_path / f"form-{uuid.uuid4().hex}.json"
    await asyncio.to_thread(path.write_text, json.dumps(definition))
    args = build_parser().parse_args(["routing-forms", "create", "--org-id", str(org_id), "--file", str(path)])
    created: dict[str, Any] = await asyncio.to_thread(args.handler, args, settings)
    return created


async def _counts(db: Database) -> tuple[int, int]:
    async with db.read() as session:
        forms = await session.scalar(select(func.count()).select_from(RoutingForm))
        responses = await session.scalar(select(func.count()).select_from(RoutingFormResponse))
    return forms or 0, responses or 0


async def _respond(
    db: Database,
    form_id: str,
    answers: dict[str, Any],
    booking_uid: str | None = None,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    async with db.write() as session:
        form = await session.get(RoutingForm, form_id)
        assert form is not None
        response = await save_response(session, form, answers, routed_to_booking_uid=booking_uid)
        if created_at is not None:
            response.created_at = response.updated_at = created_at
        await session.flush()
        return {"id": response.id, "formFillerId": response.form_filler_id}


async def _world(settings: Settings, tmp_path: Path, db: Database) -> tuple[TestOrg, int, dict[str, Any]]:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "sales")
    form = await create_form(
        settings, tmp_path, org.id, {"name": "Intake", "teamId": team_id, "fields": FIELDS, "routes": ROUTES}
    )
    return org, team_id, form


# -- creating forms -----------------------------------------------------------------------------


async def test_cli_creates_a_form_of_a_team(
    client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    org, team_id, form = await _world(settings, tmp_path, db)
    assert len(form["id"]) == 36
    assert form == {
        "name": "Intake",
        "description": None,
        "position": 0,
        "createdAt": form["createdAt"],
        "updatedAt": form["updatedAt"],
        "userId": org.owner.id,
        "teamId": team_id,
        "disabled": False,
        "id": form["id"],
        "routes": ROUTES,
        "fields": [{**FIELDS[0]}, {**FIELDS[1], "required": False}],
        "settings": None,
    }
    assert data(await client.get(f"/v2/organizations/{org.id}/routing-forms", headers=org.admin.headers)) == [form]
    team_forms = f"/v2/organizations/{org.id}/teams/{team_id}/routing-forms"
    assert data(await client.get(team_forms, headers=org.admin.headers)) == [form]


async def test_cli_gives_fields_an_id_and_takes_an_owner(db: Database, settings: Settings, tmp_path: Path) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "sales", {org.member.id: "MEMBER"})
    definition = {
        "name": "Owned",
        "description": "by a member",
        "teamId": team_id,
        "userId": org.member.id,
        "disabled": True,
        "position": 3,
        "fields": [{"type": "email", "label": "Email"}],
        "settings": {"emailOwnerOnSubmission": False},
    }
    form = await create_form(settings, tmp_path, org.id, definition)
    (field,) = form["fields"]
    assert len(field["id"]) == 36
    assert field == {"id": field["id"], "type": "email", "label": "Email", "required": False}
    assert (form["userId"], form["disabled"], form["position"], form["description"], form["settings"]) == (
        org.member.id,
        True,
        3,
        "by a member",
        {"emailOwnerOnSubmission": False},
    )


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({"teamId": "TEAM"}, "--file: name: Field required"),
        ({"name": "X"}, "--file: teamId: Field required"),
        ({"name": "X", "teamId": "TEAM", "color": "red"}, "--file: color: Extra inputs are not permitted"),
        ({"name": "X", "teamId": "TEAM", "fields": [{"id": "a", "type": "t", "label": "A"}] * 2}, "--file: fields:"),
        ({"name": "X", "teamId": "OTHER_TEAM"}, "Team with id="),
        ({"name": "X", "teamId": "TEAM", "userId": "OUTSIDER"}, "userId: user with id="),
    ],
)
async def test_cli_refuses_bad_definitions(
    db: Database, settings: Settings, tmp_path: Path, definition: dict[str, Any], message: str
) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "other")
    outsider = await create_user(db, email="outsider@example.com")
    ids = {
        "TEAM": await create_org_team(db, org.id, "sales"),
        "OTHER_TEAM": await create_org_team(db, other.id, "theirs"),
        "OUTSIDER": outsider.id,
    }
    definition = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in definition.items()}
    with pytest.raises(ApiError) as caught:
        await create_form(settings, tmp_path, org.id, definition)
    assert caught.value.message.startswith(message), caught.value.message
    assert await _counts(db) == (0, 0)


async def test_cli_process_prints_one_object_or_fails_cleanly(database_url: str, db: Database, tmp_path: Path) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "sales")
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps({"name": "Intake", "teamId": team_id, "fields": FIELDS}))
    bad.write_text("{not json")
    env = {**os.environ, "OPENCAL_DATABASE_URL": database_url}

    def run(path: Path, org_id: int) -> subprocess.CompletedProcess[str]:
        argv = ["routing-forms", "create", "--org-id", str(org_id), "--file", str(path)]
        return subprocess.run(
            [sys.executable, "-m", "opencal.cli", *argv], capture_output=True, text=True, env=env, timeout=120
        )

    result = await asyncio.to_thread(run, good, org.id)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    assert json.loads(line)["name"] == "Intake"
    for path, org_id in ((bad, org.id), (good, 999999), (tmp_path / "missing.json", org.id)):
        result = await asyncio.to_thread(run, path, org_id)
        assert (result.returncode, result.stdout) == (2, "")
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert await _counts(db) == (1, 0)


# -- listing forms ------------------------------------------------------------------------------


async def test_org_forms_filters(client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path) -> None:
    org, sales_id, sales_form = await _world(settings, tmp_path, db)
    ops_id = await create_org_team(db, org.id, "ops")
    ops_form = await create_form(settings, tmp_path, org.id, {"name": "Ops", "teamId": ops_id})
    other = await create_org_with_members(db, "other")
    await create_form(
        settings, tmp_path, other.id, {"name": "Theirs", "teamId": await create_org_team(db, other.id, "x")}
    )
    await _respond(db, ops_form["id"], {}, booking_uid="booking-1")
    base = f"/v2/organizations/{org.id}/routing-forms"
    headers = org.admin.headers

    async def ids(query: str = "") -> list[str]:
        return [f["id"] for f in data(await client.get(f"{base}{query}", headers=headers))]

    assert await ids() == sorted([sales_form["id"], ops_form["id"]])
    assert await ids("?sortCreatedAt=desc") == [ops_form["id"], sales_form["id"]]
    assert await ids("?sortCreatedAt=asc&take=1&skip=1") == [ops_form["id"]]
    assert await ids(f"?teamIds={ops_id}") == [ops_form["id"]]
    assert await ids(f"?teamIds={sales_id},{ops_id}&sortCreatedAt=asc") == [sales_form["id"], ops_form["id"]]
    assert await ids("?routedToBookingUid=booking-1") == [ops_form["id"]]
    later = quote((datetime.now(UTC) + timedelta(days=1)).isoformat())
    assert await ids(f"?afterCreatedAt={later}") == []
    assert await ids(f"?beforeUpdatedAt={later}&sortCreatedAt=asc") == [sales_form["id"], ops_form["id"]]
    error(await client.get(f"{base}?afterCreatedAt=yesterday", headers=headers), 400)
    error(await client.get(f"{base}?sortCreatedAt=up", headers=headers), 400)


# -- responses ----------------------------------------------------------------------------------


async def test_responses_listing(client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path) -> None:
    org, team_id, form = await _world(settings, tmp_path, db)
    old = datetime(2025, 1, 1, tzinfo=UTC)
    first = await _respond(db, form["id"], {"company": "Acme"}, booking_uid="uid-1", created_at=old)
    second = await _respond(db, form["id"], {"q1": {"value": "Initech"}, "q2": ["s"]})
    path = f"/v2/organizations/{org.id}/routing-forms/{form['id']}/responses"
    listed = data(await client.get(path, headers=org.admin.headers))
    assert listed == [
        {
            "id": first["id"],
            "formId": form["id"],
            "formFillerId": first["formFillerId"],
            "routedToBookingUid": "uid-1",
            "response": {"q1": {"label": "Company", "identifier": "company", "value": "Acme"}},
            "createdAt": "2025-01-01T00:00:00.000Z",
        },
        {
            "id": second["id"],
            "formId": form["id"],
            "formFillerId": second["formFillerId"],
            "routedToBookingUid": None,
            "response": {
                "q1": {"label": "Company", "identifier": "company", "value": "Initech"},
                "q2": {"label": "Size", "value": ["s"]},
            },
            "createdAt": listed[1]["createdAt"],
        },
    ]
    headers = org.admin.headers
    assert data(await client.get(f"{path}?routedToBookingUid=uid-1", headers=headers)) == listed[:1]
    assert data(await client.get(f"{path}?sortCreatedAt=desc", headers=headers)) == listed[::-1]
    assert data(await client.get(f"{path}?afterCreatedAt=2025-06-01T00:00:00Z", headers=headers)) == listed[1:]
    assert data(await client.get(f"{path}?beforeCreatedAt=2025-06-01T00:00:00Z", headers=headers)) == listed[:1]
    assert data(await client.get(f"{path}?take=1&skip=1", headers=headers)) == listed[1:]
    team_path = f"/v2/organizations/{org.id}/teams/{team_id}/routing-forms/{form['id']}/responses"
    assert data(await client.get(team_path, headers=headers)) == listed


async def test_update_response(client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path) -> None:
    org, team_id, form = await _world(settings, tmp_path, db)
    saved = await _respond(db, form["id"], {"company": "Acme"}, booking_uid="uid-1")
    path = f"/v2/organizations/{org.id}/routing-forms/{form['id']}/responses/{saved['id']}"
    body = {"response": {"company": {"label": "ignored", "value": "Globex"}, "q2": ["s"]}}
    updated = data(await client.patch(path, json=body, headers=org.admin.headers))
    assert updated == {
        "id": saved["id"],
        "formId": form["id"],
        "formFillerId": saved["formFillerId"],
        "routedToBookingUid": "uid-1",
        "response": {
            "q1": {"label": "Company", "identifier": "company", "value": "Globex"},
            "q2": {"label": "Size", "value": ["s"]},
        },
        "createdAt": updated["createdAt"],
    }
    team_path = f"/v2/organizations/{org.id}/teams/{team_id}/routing-forms/{form['id']}/responses/{saved['id']}"
    again = data(await client.patch(team_path, json={"response": {"q1": 42}}, headers=org.admin.headers))
    assert again["response"] == {"q1": {"label": "Company", "identifier": "company", "value": 42}}
    assert data(await client.patch(team_path, json={}, headers=org.admin.headers)) == again


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"response": {"nope": "x"}}, 400, "response.nope: routing form with id="),
        ({"response": {"q1": {"label": "no value"}}}, 400, "response.q1: an answer is"),
        ({"response": {"q1": True}}, 400, "response.q1: an answer is"),
        ({"response": {"q1": [1, 2]}}, 400, "response.q1: an answer is"),
        ({"response": "text"}, 400, "response:"),
    ],
)
async def test_bad_response_update_changes_nothing(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    body: dict[str, Any],
    status: int,
    message: str,
) -> None:
    org, _team_id, form = await _world(settings, tmp_path, db)
    saved = await _respond(db, form["id"], {"company": "Acme"})
    path = f"/v2/organizations/{org.id}/routing-forms/{form['id']}/responses"
    before = data(await client.get(path, headers=org.admin.headers))
    err = error(await client.patch(f"{path}/{saved['id']}", json=body, headers=org.admin.headers), status)
    assert err["message"].startswith(message), err
    assert data(await client.get(path, headers=org.admin.headers)) == before


async def test_response_of_another_form_is_404(
    client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    org, team_id, form = await _world(settings, tmp_path, db)
    other_form = await create_form(settings, tmp_path, org.id, {"name": "Other", "teamId": team_id, "fields": FIELDS})
    saved = await _respond(db, other_form["id"], {"q1": "Acme"})
    path = f"/v2/organizations/{org.id}/routing-forms/{form['id']}/responses/{saved['id']}"
    err = error(await client.patch(path, json={"response": {"q1": "x"}}, headers=org.admin.headers), 404)
    assert (
        err["message"] == f"Routing form response with id={saved['id']} not found in routing form with id={form['id']}"
    )
    error(await client.patch(f"{path[: path.rindex('/')]}/999999", json={}, headers=org.admin.headers), 404)
    error(
        await client.get(f"/v2/organizations/{org.id}/routing-forms/missing/responses", headers=org.admin.headers), 404
    )


# -- who may call -------------------------------------------------------------------------------


async def test_org_routes_need_an_org_admin(
    client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    org, _team_id, form = await _world(settings, tmp_path, db)
    base = f"/v2/organizations/{org.id}/routing-forms"
    error(await client.get(base), 401)
    error(await client.get("/v2/organizations/999999/routing-forms", headers=org.admin.headers), 403)
    error(await client.get(base, headers=org.member.headers), 403)
    error(await client.get(f"{base}/{form['id']}/responses", headers=org.member.headers), 403)
    saved = await _respond(db, form["id"], {"q1": "Acme"})
    patch = f"{base}/{form['id']}/responses/{saved['id']}"
    error(await client.patch(patch, json={"response": {"q1": "Mine"}}, headers=org.member.headers), 403)
    assert (
        data(await client.get(f"{base}/{form['id']}/responses", headers=org.owner.headers))[0]["response"]["q1"][
            "value"
        ]
        == "Acme"
    )


async def test_team_routes(client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path) -> None:
    org = await create_org_with_members(db)
    team_admin = await create_user(db, email="lead@example.com")
    await add_membership(db, org.id, team_admin.id, "MEMBER")
    team_id = await create_org_team(db, org.id, "sales", {team_admin.id: "ADMIN", org.member.id: "MEMBER"})
    other_team = await create_org_team(db, org.id, "ops", {team_admin.id: "MEMBER"})
    form = await create_form(settings, tmp_path, org.id, {"name": "Intake", "teamId": team_id, "fields": FIELDS})
    ops_form = await create_form(settings, tmp_path, org.id, {"name": "Ops", "teamId": other_team})
    saved = await _respond(db, form["id"], {"q1": "Acme"})
    base = f"/v2/organizations/{org.id}/teams/{team_id}/routing-forms"
    # The team's admin may, its plain member may not; the organization's admin may on every team.
    assert [f["id"] for f in data(await client.get(base, headers=team_admin.headers))] == [form["id"]]
    assert len(data(await client.get(f"{base}/{form['id']}/responses", headers=team_admin.headers))) == 1
    data(
        await client.patch(
            f"{base}/{form['id']}/responses/{saved['id']}", json={"response": {"q1": "B"}}, headers=team_admin.headers
        )
    )
    error(await client.get(base, headers=org.member.headers), 403)
    error(await client.get(f"{base}/{form['id']}/responses", headers=org.member.headers), 403)
    error(
        await client.get(f"/v2/organizations/{org.id}/teams/{other_team}/routing-forms", headers=team_admin.headers),
        403,
    )
    assert [
        f["id"]
        for f in data(
            await client.get(f"/v2/organizations/{org.id}/teams/{other_team}/routing-forms", headers=org.admin.headers)
        )
    ] == [ops_form["id"]]
    # A form of another team, and a team of another organization.
    err = error(await client.get(f"{base}/{ops_form['id']}/responses", headers=org.admin.headers), 404)
    assert err["message"] == f"Routing form with id={ops_form['id']} not found in team with id={team_id}"
    other = await create_org_with_members(db, "other")
    foreign_team = await create_org_team(db, other.id, "theirs")
    error(
        await client.get(f"/v2/organizations/{org.id}/teams/{foreign_team}/routing-forms", headers=org.admin.headers),
        404,
    )


async def test_team_custom_role_and_access_before_the_body(
    client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "sales", {org.member.id: "MEMBER"})
    form = await create_form(settings, tmp_path, org.id, {"name": "Intake", "teamId": team_id, "fields": FIELDS})
    saved = await _respond(db, form["id"], {"q1": "Acme"})
    base = f"/v2/organizations/{org.id}/teams/{team_id}/routing-forms"
    patch = f"{base}/{form['id']}/responses/{saved['id']}"
    # A plain team member is refused before the body is looked at.
    err = error(await client.patch(patch, json={"response": "not an object"}, headers=org.member.headers), 403)
    assert err["message"].startswith("RolesGuard")
    role_id = await create_custom_role(db, team_id, "Form reader", ["routingForm.read"])
    await give_custom_role(db, team_id, org.member.id, role_id)
    assert [f["id"] for f in data(await client.get(base, headers=org.member.headers))] == [form["id"]]
    assert [r["id"] for r in data(await client.get(f"{base}/{form['id']}/responses", headers=org.member.headers))] == [
        saved["id"]
    ]
    error(await client.patch(patch, json={"response": {"q1": "Mine"}}, headers=org.member.headers), 403)
    # The team's role does not reach the organization's routes.
    error(await client.get(f"/v2/organizations/{org.id}/routing-forms", headers=org.member.headers), 403)
    listed = data(await client.get(f"{base}/{form['id']}/responses", headers=org.admin.headers))
    assert listed[0]["response"]["q1"]["value"] == "Acme"


async def test_other_organization_is_isolated(
    client: httpx.AsyncClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    org_a, _a_team, _a_form = await _world(settings, tmp_path, db)
    org_b = await create_org_with_members(db, "beta")
    b_team = await create_org_team(db, org_b.id, "b-sales")
    b_form = await create_form(settings, tmp_path, org_b.id, {"name": "B", "teamId": b_team, "fields": FIELDS})
    saved = await _respond(db, b_form["id"], {"q1": "Secret"})
    headers = org_a.admin.headers
    a_base = f"/v2/organizations/{org_a.id}"
    assert [f["name"] for f in data(await client.get(f"{a_base}/routing-forms", headers=headers))] == ["Intake"]
    assert data(await client.get(f"{a_base}/routing-forms?teamIds={b_team}", headers=headers)) == []
    error(await client.get(f"{a_base}/routing-forms/{b_form['id']}/responses", headers=headers), 404)
    error(
        await client.patch(
            f"{a_base}/routing-forms/{b_form['id']}/responses/{saved['id']}",
            json={"response": {"q1": "x"}},
            headers=headers,
        ),
        404,
    )
    error(await client.get(f"{a_base}/teams/{b_team}/routing-forms", headers=headers), 404)
    error(await client.get(f"/v2/organizations/{org_b.id}/routing-forms", headers=headers), 403)
    listed = data(
        await client.get(
            f"/v2/organizations/{org_b.id}/routing-forms/{b_form['id']}/responses", headers=org_b.admin.headers
        )
    )
    assert listed[0]["response"]["q1"]["value"] == "Secret"
