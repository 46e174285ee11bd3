"""An organization's routing forms and their responses, once the route has let the caller in.

The form named in a path must be a form of the organization (of the team, on team routes), else 404.
"""

from __future__ import annotations

from typing import Any

from opencal.core.db import Database
from opencal.routing_forms import service as forms
from opencal.routing_forms import submissions
from opencal.routing_forms.schemas import UpdateRoutingFormResponseInput
from opencal.routing_forms.service import ListFilters
from opencal.slots.query import SlotsRequest


async def org_forms(
    db: Database, org_id: int, filters: ListFilters, team_ids: list[int] | None
) -> list[dict[str, Any]]:
    async with db.read() as session:
        return await forms.forms_of_teams(session, org_id=org_id, team_ids=team_ids, filters=filters)


async def org_form_responses(db: Database, org_id: int, form_id: str, filters: ListFilters) -> list[dict[str, Any]]:
    async with db.read() as session:
        form = await forms.org_form(session, org_id, form_id)
        return await forms.responses_of(session, form, filters)


async def update_org_form_response(
    db: Database, org_id: int, form_id: str, response_id: int, body: UpdateRoutingFormResponseInput
) -> dict[str, Any]:
    async with db.write() as session:
        form = await forms.org_form(session, org_id, form_id)
        return await forms.update_response(session, form, response_id, body.response)


async def team_forms(db: Database, team_id: int, filters: ListFilters) -> list[dict[str, Any]]:
    async with db.read() as session:
        return await forms.forms_of_teams(session, team_ids=[team_id], filters=filters)


async def team_form_responses(db: Database, team_id: int, form_id: str, filters: ListFilters) -> list[dict[str, Any]]:
    async with db.read() as session:
        form = await forms.team_form(session, team_id, form_id)
        return await forms.responses_of(session, form, filters)


async def update_team_form_response(
    db: Database, team_id: int, form_id: str, response_id: int, body: UpdateRoutingFormResponseInput
) -> dict[str, Any]:
    async with db.write() as session:
        form = await forms.team_form(session, team_id, form_id)
        return await forms.update_response(session, form, response_id, body.response)


async def create_org_form_response(
    db: Database, org_id: int, form_id: str, answers: dict[str, Any], request: SlotsRequest
) -> dict[str, Any]:
    async with db.write() as session:
        form = await forms.org_form(session, org_id, form_id)
        routed = await submissions.route_submission(session, form, answers, request, record=True)
    return await submissions.created_response_output(db, routed, request)


async def create_team_form_response(
    db: Database, team_id: int, form_id: str, answers: dict[str, Any], request: SlotsRequest
) -> dict[str, Any]:
    async with db.write() as session:
        form = await forms.team_form(session, team_id, form_id)
        routed = await submissions.route_submission(session, form, answers, request, record=True)
    return await submissions.created_response_output(db, routed, request)
