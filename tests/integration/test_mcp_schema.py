"""How OpenAPI operations become MCP tools: names, self-contained input schemas, and the request a
tool call makes (checked on small apps built here and on the official Cal.com document)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from fastapi import APIRouter, Body, FastAPI, Request
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from mcp import Client
from pydantic import BaseModel

from opencal.core.versioning import VersionedRoute, versions
from opencal.mcp_server.naming import alias_names, snake, tool_name
from opencal.mcp_server.operations import read_operations
from opencal.mcp_server.schema import SchemaResolver
from opencal.mcp_server.server import OpencalMcp

OFFICIAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "calcom-api-v2.openapi.json"


@pytest.mark.parametrize(
    ("operation_id", "name"),
    [
        ("MeController_getMe", "cal_me_controller_get_me"),
        (
            "OrganizationsUsersOOOController_createOrganizationUserOOO",
            "cal_organizations_users_ooocontroller_create_organization_user_ooo",
        ),
        ("BookingsController_2024_08_13_createBooking", "cal_bookings_controller_2024_08_13_create_booking"),
        ("OAuthClientsController_getOAuthClientById", "cal_oauth_clients_controller_get_oauth_client_by_id"),
    ],
)
def test_tool_names_follow_the_snake_case_rule(operation_id: str, name: str) -> None:
    assert tool_name(operation_id) == name
    assert snake(operation_id) == name.removeprefix("cal_")


def test_managed_organizations_controller_has_its_published_alias() -> None:
    assert alias_names("OrganizationsOrganizationsController_getOrganizations") == [
        "cal_organizations_controller_get_organizations"
    ]
    assert alias_names("OrganizationsUsersController_getOrganizationsUsers") == []


def test_refs_are_inlined_and_cycles_go_to_defs() -> None:
    components = {
        "Node": {
            "type": "object",
            "properties": {
                "label": {"$ref": "#/components/schemas/Label"},
                "child": {"$ref": "#/components/schemas/Node"},
            },
            "discriminator": {"propertyName": "label"},
        },
        "Label": {"type": "string", "nullable": True, "example": "root"},
    }
    resolver = SchemaResolver(components)
    schema = resolver.resolve({"$ref": "#/components/schemas/Node", "description": "A tree"})
    label = {"type": ["string", "null"], "examples": ["root"]}
    assert schema == {
        "type": "object",
        "properties": {"label": label, "child": {"$ref": "#/$defs/Node"}},
        "description": "A tree",
    }
    assert resolver.defs == {
        "Node": {"type": "object", "properties": {"label": label, "child": {"$ref": "#/$defs/Node"}}}
    }
    document = {**schema, "$defs": resolver.defs}
    Draft202012Validator.check_schema(document)
    validator = Draft202012Validator(document)
    assert validator.is_valid({"label": None, "child": {"child": {"label": "leaf"}}})
    assert not validator.is_valid({"child": {"child": {"label": 5}}})


class Thing(BaseModel):
    name: str
    size: int | None = None


class Circle(BaseModel):
    kind: Literal["circle"]
    radius: float


class Square(BaseModel):
    kind: Literal["square"]
    side: float


def _echo(request: Request, **values: Any) -> dict[str, Any]:
    return {
        "status": "success",
        "data": {
            **values,
            "version": request.headers.get("cal-api-version"),
            "authorization": request.headers.get("authorization"),
        },
    }


def small_app() -> FastAPI:
    app = FastAPI()
    router = APIRouter(route_class=VersionedRoute)

    @router.post(
        "/v2/things/{thingId}",
        operation_id="ThingsController_2024_08_13_createThing",
        summary="Create a thing",
        description="Makes a thing of a size.",
        openapi_extra=versions("2024-08-13"),
    )
    async def create_thing(request: Request, thingId: int, body: Thing, color: str | None = None) -> Any:
        return _echo(request, thingId=thingId, color=color, body=body.model_dump())

    @router.post("/v2/shapes", operation_id="ShapesController_createShape", summary="Create a shape")
    async def create_shape(request: Request, body: Annotated[Circle | Square, Body()]) -> Any:
        return _echo(request, body=body.model_dump())

    @router.patch("/v2/labels", operation_id="LabelsController_updateLabel", summary="Update a label")
    async def update_label(request: Request, body: Thing, name: str | None = None) -> Any:
        return _echo(request, name=name, body=body.model_dump())

    app.include_router(router)
    return app


def _client(app: FastAPI) -> Client:
    server = OpencalMcp(
        app,
        base_url="http://testserver",
        credentials=lambda _ctx: {"Authorization": "Bearer cal_test"},
        refusal="no credentials",
    ).server()
    return Client(server)


async def test_input_schema_takes_path_query_and_body_fields_but_no_headers() -> None:
    async with _client(small_app()) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {
        "cal_things_controller_2024_08_13_create_thing",
        "cal_shapes_controller_create_shape",
        "cal_labels_controller_update_label",
    }
    thing = tools["cal_things_controller_2024_08_13_create_thing"]
    assert thing.description == "Create a thing\n\nMakes a thing of a size.\n\nPOST /v2/things/{thingId}"
    assert set(thing.input_schema["properties"]) == {"thingId", "color", "name", "size"}
    assert thing.input_schema["required"] == ["thingId", "name"]
    assert thing.annotations is not None and thing.annotations.read_only_hint is False
    # A body that is one of several shapes stays whole, as `body`.
    shape = tools["cal_shapes_controller_create_shape"].input_schema
    assert set(shape["properties"]) == {"body"} and shape["required"] == ["body"]
    assert "#/components" not in json.dumps(shape)
    # A body field named like a parameter cannot stand beside it: the body stays whole.
    assert set(tools["cal_labels_controller_update_label"].input_schema["properties"]) == {"name", "body"}


async def test_a_call_sends_path_query_body_credentials_and_the_declared_version() -> None:
    async with _client(small_app()) as client:
        result = await client.call_tool(
            "cal_things_controller_2024_08_13_create_thing", {"thingId": 7, "color": "red", "name": "box"}
        )
        assert result.is_error is False
        assert result.structured_content == {
            "status": "success",
            "data": {
                "thingId": 7,
                "color": "red",
                "body": {"name": "box", "size": None},
                "version": "2024-08-13",
                "authorization": "Bearer cal_test",
            },
        }
        shape = await client.call_tool("cal_shapes_controller_create_shape", {"body": {"kind": "square", "side": 2}})
        assert shape.structured_content is not None
        assert shape.structured_content["data"]["body"] == {"kind": "square", "side": 2.0}
        assert shape.structured_content["data"]["version"] is None


async def test_bad_arguments_are_tool_errors_that_say_what_to_change() -> None:
    async with _client(small_app()) as client:
        unknown = await client.call_tool("cal_things_controller_2024_08_13_create_thing", {"thingId": 1, "colour": "x"})
        missing = await client.call_tool("cal_things_controller_2024_08_13_create_thing", {"name": "box"})
    assert unknown.is_error is True
    assert unknown.content[0].text == (  # type: ignore[union-attr]
        "Unknown argument(s): colour. This tool accepts: thingId, color, name, size."
    )
    assert missing.is_error is True
    assert missing.content[0].text == "Missing required argument(s): thingId."  # type: ignore[union-attr]


@pytest.mark.skipif(not OFFICIAL.exists(), reason="the official Cal.com OpenAPI document is not beside the project")
def test_every_official_operation_makes_a_valid_self_contained_tool() -> None:
    official = json.loads(OFFICIAL.read_text())
    operations = read_operations(official)
    assert len(operations) == 266
    assert len({operation.name for operation in operations}) == 266
    for operation in operations:
        Draft202012Validator.check_schema(operation.input_schema)
        text = json.dumps(operation.input_schema)
        assert "#/components/" not in text, operation.operation_id
        assert "cal-api-version" not in operation.input_schema["properties"], operation.operation_id
        assert "Authorization" not in operation.input_schema["properties"], operation.operation_id
    versions_declared = {op.operation_id: op.api_version for op in operations}
    assert versions_declared["BookingsController_2024_08_13_createBooking"] == "2024-08-13"
    assert versions_declared["SlotsController_2024_09_04_getAvailableSlots"] == "2024-09-04"
    assert versions_declared["MeController_getMe"] is None
