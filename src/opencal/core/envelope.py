"""Cal.com's response envelopes and the three pagination styles (BEHAVIOR.md §1.1, §1.2, §1.4)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field


class CalModel(BaseModel):
    """Base of every request and response model: camelCase names as Cal.com sends them."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class SuccessEnvelope(CalModel):
    status: Literal["success", "error"] = Field(default="success", examples=["success"])


def success(data: Any = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "success"}
    if data is not None:
        body["data"] = data
    body.update(extra)
    return body


def iso_utc(value: datetime | None) -> str | None:
    """Instants as Cal.com serialises them: UTC with milliseconds and a Z (2030-01-08T13:00:00.000Z)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def error_body(*, path: str, code: str, message: str, details: Any) -> dict[str, Any]:
    return {
        "status": "error",
        "timestamp": iso_utc(datetime.now(UTC)),
        "path": path,
        "error": {"code": code, "message": message, "details": details},
    }


# -- pagination ---------------------------------------------------------------------------------


class PaginationMetaDto(CalModel):
    totalItems: int
    remainingItems: int
    returnedItems: int
    itemsPerPage: int
    currentPage: int
    totalPages: int
    hasNextPage: bool
    hasPreviousPage: bool


def pagination_summary(total_items: int, skip: int, take: int) -> dict[str, Any]:
    """The bookings-list `pagination` object, skip clamped into [0, total] as Cal.com does."""
    skip = min(max(skip, 0), total_items)
    total_pages = math.ceil(total_items / take) if take else 0
    current_page = 0 if total_pages == 0 else min(max(skip // take + 1, 1), total_pages)
    return {
        "totalItems": total_items,
        "remainingItems": min(max(total_items - (skip + take), 0), total_items),
        "returnedItems": min(max(total_items - skip, 0), take),
        "itemsPerPage": take,
        "currentPage": current_page,
        "totalPages": total_pages,
        "hasNextPage": skip + take < total_items,
        "hasPreviousPage": skip > 0,
    }


class SkipTake(CalModel):
    skip: int
    take: int


def skip_take_params(default_take: int) -> Any:
    """A dependency for `take` (1..250) and `skip` (>= 0); default_take is 100 or 250 by family."""

    def dependency(
        take: Annotated[int, Query(ge=1, le=250, description="Maximum number of items to return")] = default_take,
        skip: Annotated[int, Query(ge=0, description="Number of items to skip")] = 0,
    ) -> SkipTake:
        return SkipTake(skip=skip, take=take)

    return dependency


class LimitOffset(CalModel):
    limit: int | None
    offset: int | None


def limit_offset_params(
    limit: Annotated[int | None, Query(ge=1, le=250, description="The number of items to return")] = None,
    offset: Annotated[int | None, Query(ge=0, le=250, description="The number of items to skip")] = None,
) -> LimitOffset:
    """Legacy platform paging; Cal.com caps `offset` at 250 by validation, so do we."""
    return LimitOffset(limit=limit, offset=offset)
