"""DTOs of the platform tags (OAuth clients, managed users, their tokens), named as the official components."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from opencal.core.envelope import CalModel, SuccessEnvelope
from opencal.me.schemas import Locale, WeekStart

PermissionName = Literal[
    "EVENT_TYPE_READ",
    "EVENT_TYPE_WRITE",
    "BOOKING_READ",
    "BOOKING_WRITE",
    "SCHEDULE_READ",
    "SCHEDULE_WRITE",
    "APPS_READ",
    "APPS_WRITE",
    "PROFILE_READ",
    "PROFILE_WRITE",
]
# The same names, or "*" for all of them.
PermissionGrant = Literal[PermissionName, "*"]

_DEFAULT_EVENT_TYPES = (
    "If true, when creating a managed user the managed user will have 4 default event types: 30 and 60 minutes "
    "without Cal video, 30 and 60 minutes with Cal video. Set this as false if you want to create a managed user "
    "and then manually create event types for the user."
)
_CALENDAR_EVENTS = (
    "If true and if managed user has calendar connected, calendar events will be created. Disable it if you "
    "manually create calendar events. Default to true."
)

# -- OAuth clients ------------------------------------------------------------------------------


class CreateOAuthClientInput(CalModel):
    logo: str | None = None
    name: str = Field(min_length=1)
    redirectUris: list[str]
    permissions: list[PermissionGrant] = Field(
        description='Array of permission keys like ["BOOKING_READ", "BOOKING_WRITE"]. Use ["*"] to grant all '
        "permissions."
    )
    bookingRedirectUri: str | None = None
    bookingCancelRedirectUri: str | None = None
    bookingRescheduleRedirectUri: str | None = None
    areEmailsEnabled: bool | None = None
    areDefaultEventTypesEnabled: bool = Field(default=False, description=_DEFAULT_EVENT_TYPES)
    areCalendarEventsEnabled: bool = Field(default=True, description=_CALENDAR_EVENTS)


class UpdateOAuthClientInput(CalModel):
    logo: str | None = None
    name: str | None = Field(default=None, min_length=1)
    redirectUris: list[str] | None = None
    bookingRedirectUri: str | None = None
    bookingCancelRedirectUri: str | None = None
    bookingRescheduleRedirectUri: str | None = None
    areEmailsEnabled: bool | None = None
    areDefaultEventTypesEnabled: bool | None = Field(default=None, description=_DEFAULT_EVENT_TYPES)
    areCalendarEventsEnabled: bool | None = Field(default=None, description=_CALENDAR_EVENTS)


class CreateOAuthClientOutput(CalModel):
    clientId: str = Field(examples=["clsx38nbl0001vkhlwin9fmt0"])
    clientSecret: str


class CreateOAuthClientResponseDto(SuccessEnvelope):
    data: CreateOAuthClientOutput


class PlatformOAuthClientDto(CalModel):
    id: str
    name: str
    # Only shown at creation: the server keeps a hash of the secret, never the secret itself.
    secret: str | None = Field(default=None, description="Returned only when the client is created.")
    permissions: list[PermissionName]
    logo: str | None
    redirectUris: list[str]
    organizationId: int
    createdAt: str
    areEmailsEnabled: bool
    areDefaultEventTypesEnabled: bool = Field(description=_DEFAULT_EVENT_TYPES)
    areCalendarEventsEnabled: bool = Field(description=_CALENDAR_EVENTS)
    bookingRedirectUri: str | None = None
    bookingCancelRedirectUri: str | None = None
    bookingRescheduleRedirectUri: str | None = None


class GetOAuthClientResponseDto(SuccessEnvelope):
    data: PlatformOAuthClientDto


class GetOAuthClientsResponseDto(SuccessEnvelope):
    data: list[PlatformOAuthClientDto]


# -- managed users ------------------------------------------------------------------------------


class CreateManagedUserInput(CalModel):
    email: str = Field(examples=["alice@example.com"])
    name: str = Field(examples=["Alice Smith"], description="Managed user's name is used in emails")
    timeFormat: Literal[12, 24] | None = Field(default=None, description="Must be a number 12 or 24")
    weekStart: WeekStart | None = None
    timeZone: str | None = Field(
        default=None,
        description="Timezone is used to create user's default schedule from Monday to Friday from 9AM to 5PM. "
        "If it is not passed then user does not have a default schedule and it must be created manually via the "
        "/schedules endpoint. It will default to Europe/London if not passed.",
    )
    locale: Locale | None = None
    avatarUrl: str | None = Field(default=None, description="URL of the user's avatar image")
    bio: str | None = None
    metadata: dict[str, Any] | None = Field(
        default=None,
        description="At most 50 keys, each key up to 40 characters, and values up to 500 characters.",
    )


class ManagedUserOutput(CalModel):
    id: int
    email: str
    username: str | None
    name: str | None
    bio: str | None
    timeZone: str
    weekStart: str
    createdDate: str
    timeFormat: int | None
    defaultScheduleId: int | None
    locale: Locale | None = None
    avatarUrl: str | None = None
    metadata: dict[str, Any] | None = None


class CreateManagedUserData(CalModel):
    accessToken: str
    refreshToken: str
    user: ManagedUserOutput
    accessTokenExpiresAt: int
    refreshTokenExpiresAt: int


class CreateManagedUserOutput(SuccessEnvelope):
    data: CreateManagedUserData


class GetManagedUserOutput(SuccessEnvelope):
    data: ManagedUserOutput


class GetManagedUsersOutput(SuccessEnvelope):
    data: list[ManagedUserOutput]


# -- tokens -------------------------------------------------------------------------------------


class RefreshTokenInput(CalModel):
    refreshToken: str = Field(description="Managed user's refresh token.")


class KeysDto(CalModel):
    accessToken: str
    refreshToken: str
    accessTokenExpiresAt: int
    refreshTokenExpiresAt: int


class KeysResponseDto(SuccessEnvelope):
    data: KeysDto
