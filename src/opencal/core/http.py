"""Transport details shared by every route: request ids, error envelopes, query normalisation."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opencal.core.envelope import error_body
from opencal.core.errors import ApiError, exception_name

log = logging.getLogger("opencal.http")
REQUEST_ID_HEADER = "x-request-id"
_BRACKETS = re.compile(rb"(^|&)([^=&]+?)(%5B%5D|\[\])(?==|&|$)", re.IGNORECASE)


def request_path(scope: Scope) -> str:
    """The request URL as Cal.com reports it in errors: path plus query string."""
    path: str = scope.get("path", "")
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def error_response(scope: Scope, status: int, code: str, message: str, details: Any, /, **top: Any) -> JSONResponse:
    body = error_body(path=request_path(scope), code=code, message=message, details=details)
    body.update(top)
    return JSONResponse(body, status_code=status)


class RequestContextMiddleware:
    """Outermost layer: request id in and out, bracketed array names folded, and no unhandled
    exception ever leaves without Cal.com's error envelope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        if b"[" in scope.get("query_string", b"") or b"%5B" in scope.get("query_string", b"").upper():
            scope["query_string"] = _BRACKETS.sub(rb"\1\2", scope["query_string"])
        started = False
        id_header = (REQUEST_ID_HEADER.encode(), request_id.encode("latin-1", "replace"))

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), id_header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error, request id %s", request_id)
            if started:
                raise
            response = error_response(
                scope,
                500,
                "InternalServerErrorException",
                "Internal server error",
                {"message": "Internal server error", "statusCode": 500},
            )
            await response(scope, receive, send_with_id)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


def _validation_entries(errors: Sequence[Any]) -> list[dict[str, Any]]:
    entries = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        where = loc[0] if loc else "body"
        field = ".".join(loc[1:]) or where
        entries.append(
            {
                "property": field,
                "in": where,
                "value": err.get("input") if where != "body" or len(loc) > 1 else None,
                "constraints": {err.get("type", "invalid"): err.get("msg", "invalid value")},
            }
        )
    return entries


def _validation_message(entries: list[dict[str, Any]]) -> str:
    parts = []
    for entry in entries:
        (message,) = entry["constraints"].values()
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        parts.append(f"{entry['property']}: {message}")
    return "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        top = {"message": exc.message} if exc.top_level_message else {}
        return error_response(request.scope, exc.status_code, exc.error_code, exc.message, exc.details, **top)

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        entries = _validation_entries(exc.errors())
        message = _validation_message(entries) if entries else "Bad Request Exception"
        return error_response(request.scope, 400, "BadRequestException", message, {"errors": _jsonable(entries)})

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        if status in (404, 405):
            # Cal.com answers both an unknown path and an unknown method with 404 "Cannot METHOD path".
            message = f"Cannot {request.method} {unquote(request.url.path)}"
            return error_response(
                request.scope,
                404,
                "NotFoundException",
                message,
                {"message": message, "error": "Not Found", "statusCode": 404},
            )
        message = exc.detail if isinstance(exc.detail, str) else "Bad Request Exception"
        if status == 400 and message == "There was an error parsing the body":
            message = "Malformed JSON in request body"
        return error_response(
            request.scope, status, exception_name(status), message, {"message": message, "statusCode": status}
        )

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
