"""Routing form answers, and which routing form operations the server documents."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from opencal.core.errors import BadRequest
from opencal.models import RoutingForm
from opencal.routing_forms.service import normalized_answers

FORM = RoutingForm(
    id="form-1",
    fields=[
        {"id": "f1", "type": "text", "label": "Company", "identifier": "company"},
        {"id": "f2", "type": "multiselect", "label": "Products"},
        {"id": "f3", "type": "number", "label": ""},
        {"id": "f4", "type": "text", "label": "Notes"},
        "not a field",
    ],
)


def test_answers_are_keyed_by_field_id_with_label_and_identifier() -> None:
    answers = {"company": "Acme", "f2": {"label": "whatever", "value": ["a", "b"]}, "f3": 12.5, "Notes": "hi"}
    assert normalized_answers(FORM, answers) == {
        "f1": {"label": "Company", "identifier": "company", "value": "Acme"},
        "f2": {"label": "Products", "value": ["a", "b"]},
        "f3": {"label": "f3", "value": 12.5},
        "f4": {"label": "Notes", "value": "hi"},
    }
    assert normalized_answers(FORM, {}) == {}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"Company": "Acme"}, "response.Company: routing form with id=form-1 has no such field"),
        ({"f1": None}, "response.f1: an answer is a text, a number or a list of texts"),
        ({"f1": False}, "response.f1: an answer is a text, a number or a list of texts"),
        ({"f2": ["a", 1]}, "response.f2: an answer is a text, a number or a list of texts"),
        ({"f2": {"value": {"nested": 1}}}, "response.f2: an answer is a text, a number or a list of texts"),
    ],
)
def test_bad_answers_name_the_key(answers: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequest) as caught:
        normalized_answers(FORM, answers)
    assert caught.value.message == message


async def test_documented_operations(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    operations = {
        (method.upper(), path): (operation["operationId"], operation["tags"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "routing-forms" in path
    }
    org = "/v2/organizations/{orgId}"
    team = org + "/teams/{teamId}"
    assert operations == {
        ("GET", f"{org}/routing-forms"): (
            "OrganizationsRoutingFormsController_getOrganizationRoutingForms",
            ["Orgs / Routing forms"],
        ),
        ("GET", f"{org}/routing-forms/{{routingFormId}}/responses"): (
            "OrganizationsRoutingFormsResponsesController_getRoutingFormResponses",
            ["Orgs / Routing forms"],
        ),
        ("POST", f"{org}/routing-forms/{{routingFormId}}/responses"): (
            "OrganizationsRoutingFormsResponsesController_createRoutingFormResponse",
            ["Orgs / Routing forms"],
        ),
        ("POST", f"{team}/routing-forms/{{routingFormId}}/responses"): (
            "OrganizationsTeamsRoutingFormsResponsesController_createRoutingFormResponse",
            ["Orgs / Teams / Routing forms / Responses"],
        ),
        ("POST", "/v2/routing-forms/{routingFormId}/calculate-slots"): (
            "RoutingFormsController_calculateSlotsBasedOnRoutingFormResponse",
            ["Routing forms"],
        ),
        ("PATCH", f"{org}/routing-forms/{{routingFormId}}/responses/{{responseId}}"): (
            "OrganizationsRoutingFormsResponsesController_updateRoutingFormResponse",
            ["Orgs / Routing forms"],
        ),
        ("GET", f"{team}/routing-forms"): (
            "OrganizationsTeamsRoutingFormsController_getTeamRoutingForms",
            ["Orgs / Teams / Routing forms"],
        ),
        ("GET", f"{team}/routing-forms/{{routingFormId}}/responses"): (
            "OrganizationsTeamsRoutingFormsResponsesController_getRoutingFormResponses",
            ["Orgs / Teams / Routing forms / Responses"],
        ),
        ("PATCH", f"{team}/routing-forms/{{routingFormId}}/responses/{{responseId}}"): (
            "OrganizationsTeamsRoutingFormsResponsesController_updateRoutingFormResponse",
            ["Orgs / Teams / Routing forms / Responses"],
        ),
    }
