"""DTOs of the `Me` tag, named as the official components."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from opencal.core.envelope import CalModel, SuccessEnvelope

Locale = Literal[
    "ar",
    "ca",
    "de",
    "es",
    "eu",
    "he",
    "id",
    "ja",
    "lv",
    "pl",
    "ro",
    "sr",
    "th",
    "vi",
    "az",
    "cs",
    "el",
    "es-419",
    "fi",
    "hr",
    "it",
    "km",
    "nl",
    "pt",
    "ru",
    "sv",
    "tr",
    "zh-CN",
    "bg",
    "da",
    "en",
    "et",
    "fr",
    "hu",
    "iw",
    "ko",
    "no",
    "pt-BR",
    "sk",
    "ta",
    "uk",
    "zh-TW",
    "bn",
]
WeekStart = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class MeOrgOutput(CalModel):
    isPlatform: bool
    id: int


class MeOutput(CalModel):
    id: int
    username: str
    email: str
    name: str | None
    avatarUrl: str | None
    bio: str | None
    timeFormat: int
    defaultScheduleId: int | None
    weekStart: str
    timeZone: str
    organizationId: int | None
    organization: MeOrgOutput | None = None


class GetMeOutput(SuccessEnvelope):
    data: MeOutput


class UpdateMeOutput(SuccessEnvelope):
    data: MeOutput


class UpdateManagedUserInput(CalModel):
    email: str | None = None
    name: str | None = None
    timeFormat: Literal[12, 24] | None = Field(default=None, description="Must be 12 or 24")
    defaultScheduleId: int | None = None
    weekStart: WeekStart | None = None
    timeZone: str | None = None
    locale: Locale | None = None
    avatarUrl: str | None = Field(default=None, description="URL of the user's avatar image")
    bio: str | None = None
    metadata: dict[str, Any] | None = Field(
        default=None,
        description="At most 50 keys, each key up to 40 characters, and values up to 500 characters.",
    )
