"""The two ways to reach the tools: stdio (`opencal mcp`) and streamable HTTP at `/mcp`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server import ServerRequestContext
from mcp.server.stdio import stdio_server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from opencal.agents.calapi import bearer
from opencal.config import Settings
from opencal.mcp_server.server import Credentials, OpencalMcp

API_KEY_VARIABLES = ("CAL_API_KEY", "OPENCAL_API_KEY")
MCP_PATH = "/mcp"
STDIO_REFUSAL = "No credentials: start `opencal mcp` with CAL_API_KEY (or OPENCAL_API_KEY) set to an opencal API key."
HTTP_REFUSAL = "No credentials: send your opencal API key as `Authorization: Bearer <key>` with the MCP request."
# Credential headers passed on to the operation, as the API reads them.
_CREDENTIAL_HEADERS = ("authorization", "x-cal-client-id", "x-cal-secret-key")


def api_key_from_environment() -> str | None:
    for variable in API_KEY_VARIABLES:
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    return None


async def serve_stdio(app: FastAPI, settings: Settings, api_key: str | None) -> None:
    """Serve the tools on stdin/stdout until the client closes them, with the app running."""
    credentials = bearer(api_key) if api_key else None
    server = OpencalMcp(
        app, base_url=settings.base_url, credentials=lambda _ctx: credentials, refusal=STDIO_REFUSAL
    ).server()
    async with app.router.lifespan_context(app), stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def http_credentials(ctx: ServerRequestContext[Any, Any]) -> Credentials | None:
    request = ctx.request
    if not isinstance(request, Request):
        return None
    headers = {name: request.headers[name] for name in _CREDENTIAL_HEADERS if request.headers.get(name)}
    has_key = "authorization" in headers
    has_client = "x-cal-client-id" in headers and "x-cal-secret-key" in headers
    return headers if has_key or has_client else None


class McpHttpEndpoint:
    """The `/mcp` endpoint (ASGI), answering while the app's lifespan runs.

    Stateless: every request stands alone, so any server process behind a load balancer can
    answer any request. Each tool call uses the credentials of the HTTP request that carries it.
    """

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self._app = app
        self._settings = settings
        self._sessions: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        server = OpencalMcp(
            self._app, base_url=self._settings.base_url, credentials=http_credentials, refusal=HTTP_REFUSAL
        ).server()
        # A session manager runs once; a new one is made for every lifespan of the app.
        sessions = StreamableHTTPSessionManager(app=server, stateless=True, json_response=True)
        async with sessions.run():
            self._sessions = sessions
            try:
                yield
            finally:
                self._sessions = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._sessions is None:
            response = JSONResponse({"error": "The MCP endpoint is not running"}, status_code=503)
            await response(scope, receive, send)
            return
        await self._sessions.handle_request(scope, receive, send)


def mount_mcp(app: FastAPI, settings: Settings) -> McpHttpEndpoint:
    """Serve the tools at `/mcp`; enter `endpoint.running()` in the app's lifespan."""
    endpoint = McpHttpEndpoint(app, settings)
    app.router.routes.append(Route(MCP_PATH, endpoint=endpoint, include_in_schema=False))
    return endpoint
