"""Errors raised by services, each mapped to Cal.com's HTTP status and `error.code`.

Cal.com's code is the name of the framework exception class (`BadRequestException`, ...); the
`details` object mirrors that exception's response body (`message`, `error`, `statusCode`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar


class ApiError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "InternalServerErrorException"

    def __init__(
        self,
        message: str,
        *,
        details: Any = None,
        code: str | None = None,
        top_level_message: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self._details = details
        self._code = code
        # Domain errors in Cal.com also carry `message` beside `error` (clients read body.message).
        self.top_level_message = top_level_message

    @property
    def error_code(self) -> str:
        return self._code or self.code

    @property
    def details(self) -> Any:
        if self._details is not None:
            return self._details
        return {"message": self.message, "error": reason_phrase(self.status_code), "statusCode": self.status_code}


class BadRequest(ApiError):
    status_code = 400
    code = "BadRequestException"


class Unauthorized(ApiError):
    status_code = 401
    code = "UnauthorizedException"


class Forbidden(ApiError):
    status_code = 403
    code = "ForbiddenException"


class NotFound(ApiError):
    status_code = 404
    code = "NotFoundException"


class Conflict(ApiError):
    status_code = 409
    code = "ConflictException"


class Unprocessable(ApiError):
    status_code = 422
    code = "UnprocessableEntityException"


class BadGateway(ApiError):
    """An upstream provider failed or answered something unusable (never a 500: the fault is upstream)."""

    status_code = 502
    code = "BadGatewayException"


class TooManyRequests(ApiError):
    status_code = 429
    code = "ThrottlerException"


class TokenExpired(ApiError):
    """Cal.com answers an expired managed-user access token with the non-standard status 498."""

    status_code = 498
    code = "TokenExpiredException"

    def __init__(self) -> None:
        super().__init__("ACCESS_TOKEN_IS_EXPIRED")


def reason_phrase(status: int) -> str:
    if status == 498:
        return "Token Expired"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def exception_name(status: int) -> str:
    """NestJS exception class name for a status: 404 -> NotFoundException."""
    names = {
        400: "BadRequestException",
        401: "UnauthorizedException",
        403: "ForbiddenException",
        404: "NotFoundException",
        405: "MethodNotAllowedException",
        409: "ConflictException",
        413: "PayloadTooLargeException",
        415: "UnsupportedMediaTypeException",
        422: "UnprocessableEntityException",
        429: "ThrottlerException",
        498: "TokenExpiredException",
    }
    return names.get(status, "HttpException" if status < 500 else "InternalServerErrorException")
