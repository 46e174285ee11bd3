from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field, field_validator

from opencal.core.envelope import CalModel, SuccessEnvelope


def utc_instant(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError("must be an ISO 8601 date string in UTC, e.g. 2050-09-05T09:00:00Z") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class ReserveSlotInput_2024_09_04(CalModel):
    eventTypeId: int = Field(description="The ID of the event type for which slot should be reserved.")
    slotStart: str = Field(description="ISO 8601 datestring in UTC timezone representing available slot.")
    slotDuration: int | None = Field(default=None, ge=1, description="Length of the reserved slot in minutes.")
    reservationDuration: int | None = Field(
        default=None,
        ge=1,
        description="Authenticated requests only: for how many minutes the slot is held (default 5).",
    )

    @field_validator("slotStart")
    @classmethod
    def _check_start(cls, value: str) -> str:
        utc_instant(value)
        return value

    def start(self) -> datetime:
        return utc_instant(self.slotStart)


class ReserveSlotOutput_2024_09_04(CalModel):
    eventTypeId: int
    slotStart: str
    slotEnd: str
    slotDuration: int
    reservationUid: str
    reservationDuration: int
    reservationUntil: str


class ReserveSlotOutputResponse_2024_09_04(SuccessEnvelope):
    data: ReserveSlotOutput_2024_09_04


class ReservedSlotOutput_2024_09_04(CalModel):
    eventTypeId: int
    slotStart: str
    slotEnd: str
    slotDuration: int
    reservationUid: str
    reservationUntil: str


class GetReservedSlotOutput_2024_09_04(SuccessEnvelope):
    data: ReservedSlotOutput_2024_09_04 | None


class ReserveSlotInput_2024_04_15(CalModel):
    eventTypeId: int
    slotUtcStartDate: str
    slotUtcEndDate: str
    bookingUid: str | None = None

    @field_validator("slotUtcStartDate", "slotUtcEndDate")
    @classmethod
    def _check_instant(cls, value: str) -> str:
        utc_instant(value)
        return value
