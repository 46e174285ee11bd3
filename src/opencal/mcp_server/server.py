"""The MCP server over the app: its tool catalogue and how a tool call runs.

The catalogue is built once, on first use, from `app.openapi()`: one tool per operation (plus the
aliases agents know), and the task tools whose operations are all served. A call runs the real
operation in-process with the caller's credentials; what the API answers is what the tool answers,
an API error becoming a tool error that carries Cal.com's error body.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import mcp_types as types
from fastapi import FastAPI
from mcp.server import Server, ServerRequestContext
from mcp.shared.exceptions import MCPError

from opencal import __version__
from opencal.agents.calapi import CalApi, CalApiError, in_process_client, response_body
from opencal.agents.scheduling import TASKS, Task, TaskInputError
from opencal.mcp_server.operations import ApiOperation, ArgumentError, read_operations

Credentials = dict[str, str]
# The caller's credential headers for one MCP request, or None when it brought none.
CredentialSource = Callable[[ServerRequestContext[Any, Any]], Credentials | None]
ToolRunner = Callable[[httpx.AsyncClient, Mapping[str, Any], Credentials], Awaitable[types.CallToolResult]]

INSTRUCTIONS = (
    "opencal speaks the Cal.com API v2. Every API operation is a tool named cal_ + the snake_case of its "
    "operationId (for example cal_me_controller_get_me). For conversations, find_open_times, book_meeting, "
    "reschedule_meeting, cancel_meeting and list_upcoming_meetings do the common scheduling steps with local times."
)


@dataclass(frozen=True)
class _Tool:
    definition: types.Tool
    run: ToolRunner


def result(body: Any, *, is_error: bool = False) -> types.CallToolResult:
    """A tool result whose text is the JSON body (or the message) and, for objects, structured too."""
    text = body if isinstance(body, str) else json.dumps(body)
    structured = body if isinstance(body, dict) else None
    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content=structured, is_error=is_error
    )


def _operation_runner(operation: ApiOperation) -> ToolRunner:
    async def run(
        http: httpx.AsyncClient, arguments: Mapping[str, Any], credentials: Credentials
    ) -> types.CallToolResult:
        try:
            response = await operation.invoke(http, arguments, credentials)
        except ArgumentError as exc:
            return result(str(exc), is_error=True)
        body = response_body(response)
        if body is None:  # an empty answer: say so rather than invent a body
            body = f"HTTP {response.status_code}, no content"
        return result(body, is_error=response.status_code >= 400)

    return run


def _task_runner(task: Task) -> ToolRunner:
    async def run(
        http: httpx.AsyncClient, arguments: Mapping[str, Any], credentials: Credentials
    ) -> types.CallToolResult:
        try:
            return result(await task.run(CalApi(http, credentials), arguments))
        except TaskInputError as exc:
            return result(str(exc), is_error=True)
        except CalApiError as exc:
            return result(exc.body if exc.body is not None else exc.message, is_error=True)

    return run


def _operation_tool(operation: ApiOperation, name: str, canonical: str | None = None) -> types.Tool:
    description = operation.tool_description()
    if canonical:
        description = f"Same as {canonical}. {description}"
    method = operation.method
    return types.Tool(
        name=name,
        description=description,
        input_schema=operation.input_schema,
        annotations=types.ToolAnnotations(
            title=operation.summary or None,
            read_only_hint=method == "get",
            destructive_hint=method == "delete",
            idempotent_hint=method in ("get", "put", "delete"),
        ),
    )


class Catalogue:
    """The tools of one app, keyed by every name they answer to."""

    def __init__(self, openapi: Mapping[str, Any]) -> None:
        self.tools: dict[str, _Tool] = {}
        operations = read_operations(openapi)
        for operation in operations:
            run = _operation_runner(operation)
            self.tools[operation.name] = _Tool(_operation_tool(operation, operation.name), run)
            for alias in operation.aliases:
                self.tools.setdefault(alias, _Tool(_operation_tool(operation, alias, operation.name), run))
        served = {operation.operation_id for operation in operations}
        for task in TASKS.values():
            if set(task.operation_ids) <= served:
                definition = types.Tool(name=task.name, description=task.description, input_schema=task.input_schema)
                self.tools[task.name] = _Tool(definition, _task_runner(task))

    def listing(self) -> list[types.Tool]:
        return [tool.definition for tool in self.tools.values()]

    def input_schema(self, name: str) -> dict[str, Any] | None:
        tool = self.tools.get(name)
        return tool.definition.input_schema if tool else None


class OpencalMcp:
    def __init__(self, app: FastAPI, *, base_url: str, credentials: CredentialSource, refusal: str) -> None:
        self._app = app
        self._base_url = base_url
        self._credentials = credentials
        self._refusal = refusal
        self._catalogue: Catalogue | None = None

    @property
    def catalogue(self) -> Catalogue:
        # Built on first use, when every router has been registered.
        if self._catalogue is None:
            self._catalogue = Catalogue(self._app.openapi())
        return self._catalogue

    def server(self) -> Server[Any]:
        return Server(
            "opencal",
            version=__version__,
            instructions=INSTRUCTIONS,
            get_tool_input_schema=lambda name: self.catalogue.input_schema(name),
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )

    async def _list_tools(
        self, ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self.catalogue.listing())

    async def _call_tool(
        self, ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        tool = self.catalogue.tools.get(params.name)
        if tool is None:
            raise MCPError(code=types.INVALID_PARAMS, message=f"Unknown tool: {params.name}")
        credentials = self._credentials(ctx)
        if not credentials:
            return result(self._refusal, is_error=True)
        async with in_process_client(self._app, self._base_url) as http:
            return await tool.run(http, params.arguments or {}, credentials)
