"""DTOs of the `Orgs / Users / OOO` tag, named as Cal.com's classes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from opencal.core.envelope import CalModel, SuccessEnvelope

OutOfOfficeReason = Literal["unspecified", "vacation", "travel", "sick", "public_holiday"]
SortOrder = Literal["asc", "desc"]

_START = "The start date and time of the out of office period in ISO 8601 format in UTC timezone."
_END = "The end date and time of the out of office period in ISO 8601 format in UTC timezone."


class CreateOutOfOfficeEntryDto(CalModel):
    # Kept as strings: the service checks Cal.com's exact format and widens them to whole UTC days.
    start: str = Field(
        description=_START, examples=["2023-05-01T00:00:00.000Z"], json_schema_extra={"format": "date-time"}
    )
    end: str = Field(description=_END, examples=["2023-05-10T23:59:59.999Z"], json_schema_extra={"format": "date-time"})
    notes: str | None = Field(default=None, description="Optional notes for the out of office entry.")
    toUserId: int | None = Field(
        default=None, description="The ID of the user covering for the out of office period, if applicable."
    )
    reason: OutOfOfficeReason | None = Field(
        default=None, description="the reason for the out of office entry, if applicable"
    )


class UpdateOutOfOfficeEntryDto(CalModel):
    start: str | None = Field(default=None, description=_START, json_schema_extra={"format": "date-time"})
    end: str | None = Field(default=None, description=_END, json_schema_extra={"format": "date-time"})
    notes: str | None = Field(default=None, description="Optional notes for the out of office entry.")
    toUserId: int | None = Field(
        default=None, description="The ID of the user covering for the out of office period, if applicable."
    )
    reason: OutOfOfficeReason | None = Field(
        default=None, description="the reason for the out of office entry, if applicable"
    )


class UserOooOutputDto(CalModel):
    userId: int = Field(description="The ID of the user.")
    toUserId: int | None = Field(description="The ID of the user covering for the out of office period, if applicable.")
    id: int = Field(description="The ID of the ooo entry.")
    uuid: str = Field(description="The UUID of the ooo entry.")
    start: str = Field(description=_START)
    end: str = Field(description=_END)
    notes: str | None = Field(description="Optional notes for the out of office entry.")
    reason: OutOfOfficeReason = Field(description="the reason for the out of office entry, if applicable")


class UserOooOutputResponseDto(SuccessEnvelope):
    data: UserOooOutputDto


class UserOoosOutputResponseDto(SuccessEnvelope):
    data: list[UserOooOutputDto]
