"""DTOs of the `Orgs / Users` tag, named as the official components."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from opencal.core.envelope import CalModel, SuccessEnvelope
from opencal.me.schemas import Locale
from opencal.teams.schemas import MembershipRole

Theme = Literal["light", "dark"]
HexColor = Annotated[str, StringConstraints(pattern=r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
METADATA_DESCRIPTION = (
    "You can store any additional data you want here. Metadata must have at most 50 keys, each key up to 40 "
    "characters, and values up to 500 characters."
)


class ProfileOutput(CalModel):
    id: int = Field(description="The ID of the profile of user")
    organizationId: int = Field(description="The ID of the organization of user")
    userId: int = Field(description="The IDof the user")
    username: str | None = Field(default=None, description="The username of the user within the organization context")


class GetOrgUsersWithProfileOutput(CalModel):
    id: int
    username: str | None = None
    name: str | None = None
    email: str
    emailVerified: str | None = None
    bio: str | None = None
    avatarUrl: str | None = None
    timeZone: str
    weekStart: str
    appTheme: str | None = None
    theme: str | None = None
    defaultScheduleId: int | None = None
    locale: str | None = None
    timeFormat: int | None = None
    hideBranding: bool
    brandColor: str | None = None
    darkBrandColor: str | None = None
    allowDynamicBooking: bool | None = None
    createdDate: str
    verified: bool | None = None
    invitedTo: int | None = None
    metadata: dict[str, Any] | None = None
    profile: ProfileOutput


class GetOrganizationUsersResponseDTO(SuccessEnvelope):
    data: list[GetOrgUsersWithProfileOutput]


class GetOrganizationUserOutput(SuccessEnvelope):
    data: GetOrgUsersWithProfileOutput


class _UserProfileInput(CalModel):
    username: str | None = Field(default=None, description="Username")
    weekday: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] | None = Field(
        default=None, description="Preferred weekday"
    )
    brandColor: HexColor | None = Field(default=None, description="Brand color in HEX format")
    bio: str | None = Field(default=None, description="Bio")
    metadata: dict[str, str | int | float | bool] | None = Field(default=None, description=METADATA_DESCRIPTION)
    darkBrandColor: HexColor | None = Field(default=None, description="Dark brand color in HEX format")
    hideBranding: bool | None = Field(default=None, description="Hide branding")
    timeZone: str | None = Field(default=None, description="Time zone")
    theme: Theme | None = Field(default=None, description="Theme")
    appTheme: Theme | None = Field(default=None, description="Application theme")
    timeFormat: Literal[12, 24] | None = Field(default=None, description="Time format")
    defaultScheduleId: int | None = Field(default=None, ge=0, description="Default schedule ID")
    avatarUrl: str | None = Field(default=None, description="Avatar URL")


class CreateOrganizationUserInput(_UserProfileInput):
    email: str = Field(description="User email address")
    locale: Locale | None = Field(default="en", description="Locale")
    organizationRole: MembershipRole = "MEMBER"
    autoAccept: bool = True


class UpdateOrganizationUserInput(_UserProfileInput):
    email: str | None = Field(default=None, description="User email address")
    locale: Locale | None = Field(default=None, description="Locale")
