"""Errors and envelopes of the agent-account API: `{success, message, data}` and
`{success: false, message, code}` (a 401 carries no code), as the agent platforms expect."""

from __future__ import annotations

from typing import Any, ClassVar


class AgentApiError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str | None] = "INTERNAL_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(AgentApiError):
    status_code = 400
    code = "INVALID_REQUEST"


class Unauthenticated(AgentApiError):
    status_code = 401
    code = None


class NotFound(AgentApiError):
    status_code = 404
    code = "NOT_FOUND"


class Conflict(AgentApiError):
    status_code = 409
    code = "CONFLICT"


class InternalError(AgentApiError):
    status_code = 500
    code = "INTERNAL_ERROR"


class UpstreamError(AgentApiError):
    """The Cal.com server of an account failed or could not be reached."""

    status_code = 502
    code = "UPSTREAM_ERROR"


def success(message: str, data: Any) -> dict[str, Any]:
    return {"success": True, "message": message, "data": data}


def failure(message: str, code: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"success": False, "message": message}
    if code:
        body["code"] = code
    return body
