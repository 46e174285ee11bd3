"""DTOs of the `Schedules` tag (cal-api-version 2024-06-11), named as the official components."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictStr

from opencal.core.envelope import CalModel, SuccessEnvelope

WeekDay = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_HH_MM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _hh_mm(value: str) -> str:
    if not _HH_MM.fullmatch(value):
        raise ValueError("must be a valid time in format HH:MM e.g. 08:00")
    return value


def _iso_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date in format YYYY-MM-DD e.g. 2024-05-20") from None
    if len(value) != 10:
        raise ValueError("must be a date in format YYYY-MM-DD e.g. 2024-05-20")
    return value


TimeOfDay = Annotated[StrictStr, AfterValidator(_hh_mm), Field(examples=["08:00"])]
IsoDate = Annotated[StrictStr, AfterValidator(_iso_date), Field(examples=["2024-05-20"])]


class ScheduleAvailabilityInput_2024_06_11(CalModel):
    days: list[WeekDay] = Field(description="Array of days when schedule is active.", examples=[["Monday", "Tuesday"]])
    startTime: TimeOfDay = Field(description="startTime must be a valid time in format HH:MM e.g. 08:00")
    endTime: TimeOfDay = Field(description="endTime must be a valid time in format HH:MM e.g. 15:00")


class ScheduleOverrideInput_2024_06_11(CalModel):
    date: IsoDate
    startTime: TimeOfDay = Field(description="startTime must be a valid time in format HH:MM e.g. 12:00")
    endTime: TimeOfDay = Field(description="endTime must be a valid time in format HH:MM e.g. 13:00")


class CreateScheduleInput_2024_06_11(CalModel):
    name: StrictStr = Field(examples=["Catch up hours"])
    timeZone: StrictStr = Field(
        examples=["Europe/Rome"],
        description="Timezone is used to calculate available times when an event using the schedule is booked.",
    )
    availability: list[ScheduleAvailabilityInput_2024_06_11] | None = Field(
        default=None,
        description="Each object contains days and times when the user is available. If not passed, the default "
        "availability is Monday to Friday from 09:00 to 17:00.",
    )
    isDefault: StrictBool = Field(
        description="Each user should have 1 default schedule. Default schedule means that if an event type is not "
        "tied to a specific schedule then the default schedule is used."
    )
    overrides: list[ScheduleOverrideInput_2024_06_11] | None = Field(
        default=None, description="Need to change availability for a specific date? Add an override."
    )


class UpdateScheduleInput_2024_06_11(CalModel):
    name: StrictStr | None = Field(default=None, examples=["One-on-one coaching"])
    timeZone: StrictStr | None = Field(default=None, examples=["Europe/Rome"])
    availability: list[ScheduleAvailabilityInput_2024_06_11] | None = None
    isDefault: StrictBool | None = None
    overrides: list[ScheduleOverrideInput_2024_06_11] | None = None


class ScheduleOutput_2024_06_11(CalModel):
    id: int
    ownerId: int
    name: str
    timeZone: str
    availability: list[ScheduleAvailabilityInput_2024_06_11]
    isDefault: bool
    overrides: list[ScheduleOverrideInput_2024_06_11]


class CreateScheduleOutput_2024_06_11(SuccessEnvelope):
    data: ScheduleOutput_2024_06_11


class GetSchedulesOutput_2024_06_11(SuccessEnvelope):
    data: list[ScheduleOutput_2024_06_11]


class GetDefaultScheduleOutput_2024_06_11(SuccessEnvelope):
    data: ScheduleOutput_2024_06_11 | None


class GetScheduleOutput_2024_06_11(SuccessEnvelope):
    data: ScheduleOutput_2024_06_11 | None


class UpdateScheduleOutput_2024_06_11(SuccessEnvelope):
    data: ScheduleOutput_2024_06_11


class DeleteScheduleOutput_2024_06_11(SuccessEnvelope):
    pass


class CityTimeZone(CalModel):
    city: str = Field(examples=["New York"])
    timezone: str = Field(examples=["America/New_York"])


class GetTimeZonesOutput(SuccessEnvelope):
    data: list[CityTimeZone]
