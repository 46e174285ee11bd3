"""The agent-account API as a sub-application mounted at `/api/v1/calcom`.

It is not part of the Cal.com API: it has its own envelopes and error codes, so it is a separate
application with its own error handling (the Cal.com error handlers never render its errors), and
it stays out of our Cal.com OpenAPI document.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opencal.agents.errors import AgentApiError, failure
from opencal.agents.router import router
from opencal.agents.service import Connector
from opencal.core.context import AppContext

PREFIX = "/api/v1/calcom"
log = logging.getLogger("opencal.agents")


def _error(status: int, message: str, code: str | None) -> JSONResponse:
    return JSONResponse(failure(message, code), status_code=status)


async def _agent_api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AgentApiError)
    return _error(exc.status_code, exc.message, exc.code)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        problems.append(f"{'.'.join(location) or 'body'}: {message}")
    return _error(400, "; ".join(problems) or "Invalid request", "INVALID_REQUEST")


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code in (404, 405):
        return _error(404, f"Cannot {request.method} {unquote(request.url.path)}", "NOT_FOUND")
    message = exc.detail if isinstance(exc.detail, str) else "Invalid request"
    return _error(exc.status_code, message, "INVALID_REQUEST" if exc.status_code < 500 else "INTERNAL_ERROR")


class _InternalErrorGuard:
    """Any unexpected failure answers 500 INTERNAL_ERROR in this API's envelope, and is logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error in the agent-account API")
            if started or scope["type"] != "http":
                raise
            await _error(500, "Internal server error", "INTERNAL_ERROR")(scope, receive, send)


def create_agent_api(context: AppContext, connector: Connector) -> FastAPI:
    api = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    api.state.context = context
    api.state.connector = connector
    api.include_router(router)
    api.add_exception_handler(AgentApiError, _agent_api_error)
    api.add_exception_handler(RequestValidationError, _validation_error)
    api.add_exception_handler(StarletteHTTPException, _http_error)
    # Inside the framework's own server-error layer, which would answer in plain text and re-raise.
    api.add_middleware(_InternalErrorGuard)
    return api


def mount_agent_api(app: FastAPI) -> None:
    context: AppContext = app.state.context
    connector = Connector(app=app, base_url=context.settings.base_url)
    app.mount(PREFIX, create_agent_api(context, connector))
