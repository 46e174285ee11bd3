"""The MCP server over the whole app, with the SDK's own client connected in-process: one tool per
served operation, real calls with the caller's credentials, API errors as tool errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from mcp import Client, MCPError
from sqlalchemy import select

from opencal.agents.calapi import bearer
from opencal.agents.scheduling import TASKS
from opencal.core.db import Database
from opencal.mcp_server.naming import alias_names, tool_name
from opencal.mcp_server.operations import read_operations
from opencal.mcp_server.server import OpencalMcp
from opencal.models import User
from support import create_user

REFUSAL = "No credentials in this test"


def mcp_client(app: FastAPI, api_key: str | None) -> Client:
    credentials = bearer(api_key) if api_key else None
    server = OpencalMcp(
        app, base_url="http://testserver", credentials=lambda _ctx: credentials, refusal=REFUSAL
    ).server()
    return Client(server)


def served_operation_ids(app: FastAPI) -> set[str]:
    return {op["operationId"] for item in app.openapi()["paths"].values() for op in item.values()}


async def test_every_served_operation_is_a_tool(app: FastAPI, db: Database) -> None:
    user = await create_user(db)
    async with mcp_client(app, user.api_key) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    served = served_operation_ids(app)
    expected = {tool_name(operation_id) for operation_id in served}
    expected |= {alias for operation_id in served for alias in alias_names(operation_id)}
    expected |= {task.name for task in TASKS.values() if set(task.operation_ids) <= served}
    assert set(tools) == expected
    for operation in read_operations(app.openapi()):
        tool = tools[operation.name]
        assert tool.description is not None and tool.description.startswith(operation.summary)
        assert tool.input_schema["type"] == "object"
        assert not {"cal-api-version", "Authorization", "x-cal-client-id"} & set(tool.input_schema["properties"])


async def test_input_schema_of_update_me_is_the_body_fields(app: FastAPI, db: Database) -> None:
    user = await create_user(db)
    async with mcp_client(app, user.api_key) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    schema = tools["cal_me_controller_update_me"].input_schema
    assert {"email", "name", "timeFormat", "timeZone", "weekStart", "metadata"} <= set(schema["properties"])
    assert "required" not in schema
    week_start = schema["properties"]["weekStart"]
    assert "Monday" in str(week_start) and "$ref" not in str(week_start)
    assert tools["cal_me_controller_get_me"].input_schema == {"type": "object", "properties": {}}
    annotations = tools["cal_me_controller_get_me"].annotations
    assert annotations is not None and annotations.read_only_hint is True


async def test_get_me_answers_what_the_api_answers(app: FastAPI, db: Database, client: httpx.AsyncClient) -> None:
    user = await create_user(db, "mcp@example.com", "mcp")
    async with mcp_client(app, user.api_key) as mcp:
        result = await mcp.call_tool("cal_me_controller_get_me", {})
    assert result.is_error is False
    expected = (await client.get("/v2/me", headers=user.headers)).json()
    assert result.structured_content == expected
    assert result.structured_content["data"]["email"] == "mcp@example.com"
    assert result.content[0].text.startswith('{"status": "success"')  # type: ignore[union-attr]


async def test_api_error_is_a_tool_error_carrying_the_cal_com_body(app: FastAPI, db: Database) -> None:
    user = await create_user(db)
    async with mcp_client(app, user.api_key) as client:
        result = await client.call_tool("cal_me_controller_update_me", {"timeFormat": 13, "name": "Changed"})
    assert result.is_error is True
    body: dict[str, Any] = result.structured_content or {}
    assert body["status"] == "error" and body["path"] == "/v2/me"
    assert body["error"]["code"] == "BadRequestException"
    assert body["error"]["message"] == "timeFormat: Input should be 12 or 24"
    async with db.read() as session:
        stored = await session.scalar(select(User).where(User.id == user.id))
    assert stored is not None and stored.name is None and stored.time_format == 12


async def test_a_bad_key_is_the_api_s_401_as_a_tool_error(app: FastAPI) -> None:
    async with mcp_client(app, "cal_00000000000000000000000000000000") as client:
        result = await client.call_tool("cal_me_controller_get_me", {})
    assert result.is_error is True
    assert result.structured_content is not None
    assert result.structured_content["error"]["code"] == "UnauthorizedException"


async def test_a_call_without_credentials_is_refused(app: FastAPI, db: Database) -> None:
    await create_user(db)
    async with mcp_client(app, None) as client:
        assert (await client.list_tools()).tools  # the catalogue is public, as /openapi.json is
        result = await client.call_tool("cal_me_controller_get_me", {})
    assert result.is_error is True
    assert result.content[0].text == REFUSAL  # type: ignore[union-attr]


async def test_missing_path_arguments_and_unknown_tools(app: FastAPI, db: Database) -> None:
    user = await create_user(db)
    with_path = next(op for op in read_operations(app.openapi()) if op.path_params)
    async with mcp_client(app, user.api_key) as client:
        result = await client.call_tool(with_path.name, {})
        assert result.is_error is True
        assert result.content[0].text == (  # type: ignore[union-attr]
            f"Missing required argument(s): {', '.join(with_path.path_params)}."
        )
        with pytest.raises(MCPError, match="Unknown tool: cal_no_such_controller"):
            await client.call_tool("cal_no_such_controller", {})
