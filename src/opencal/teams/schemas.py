"""DTOs of the `Teams`, `Teams / Memberships` and `Teams / Invite` tags, named as the official components.

The team and membership shapes are shared with the organization team routes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from opencal.core.envelope import CalModel, SuccessEnvelope

MembershipRole = Literal["MEMBER", "OWNER", "ADMIN"]
METADATA_DESCRIPTION = (
    "You can store any additional data you want here.\n"
    "Metadata must have at most 50 keys, each key up to 40 characters.\n"
    "Values can be strings (up to 500 characters), numbers, or booleans."
)


# -- teams --------------------------------------------------------------------------------------


class _TeamFields(CalModel):
    id: int
    parentId: int | None = None
    name: str
    slug: str | None = None
    logoUrl: str | None = None
    calVideoLogo: str | None = None
    appLogo: str | None = None
    appIconLogo: str | None = None
    bio: str | None = None
    hideBranding: bool | None = None
    isOrganization: bool
    isPrivate: bool | None = None
    hideBookATeamMember: bool | None = None
    metadata: dict[str, Any] | None = None
    theme: str | None = None
    brandColor: str | None = None
    darkBrandColor: str | None = None
    bannerUrl: str | None = None
    timeFormat: int | None = None
    timeZone: str | None = "Europe/London"
    weekStart: str | None = "Sunday"


class TeamOutputDto(_TeamFields):
    pass


class OrgTeamOutputDto(_TeamFields):
    pass


class _TeamProfileInput(CalModel):
    """The team profile fields shared by every create and update body."""

    logoUrl: str | None = Field(default=None, description="URL of the teams logo image")
    calVideoLogo: str | None = None
    appLogo: str | None = None
    appIconLogo: str | None = None
    bio: str | None = None
    isPrivate: bool | None = None
    hideBookATeamMember: bool | None = None
    metadata: dict[str, str | int | float | bool] | None = Field(default=None, description=METADATA_DESCRIPTION)
    theme: str | None = None
    brandColor: str | None = None
    darkBrandColor: str | None = None
    bannerUrl: str | None = Field(default=None, description="URL of the teams banner image which is shown on booker")
    timeFormat: int | None = None


class CreateTeamFields(_TeamProfileInput):
    name: str = Field(min_length=1, description="Name of the team")
    slug: str | None = Field(
        default=None,
        description="Team slug in kebab-case - if not provided will be generated automatically based on name.",
    )
    hideBranding: bool = False
    timeZone: str = Field(
        default="Europe/London",
        description="Timezone is used to create teams's default schedule from Monday to Friday from 9AM to 5PM. "
        "It will default to Europe/London if not passed.",
    )
    weekStart: str = "Sunday"
    autoAcceptCreator: bool = Field(
        default=True,
        description="If you are a platform customer, don't pass 'false', because then team creator won't be able "
        "to create team event types.",
    )


class CreateTeamInput(CreateTeamFields):
    pass


class UpdateOrgTeamDto(_TeamProfileInput):
    name: str | None = Field(default=None, min_length=1, description="Name of the team")
    slug: str | None = Field(default=None, description="Team slug")
    hideBranding: bool | None = None
    timeZone: str | None = None
    weekStart: str | None = None
    bookingLimits: str | None = Field(
        default=None, description='JSON object of limits, e.g. {"PER_DAY": 2, "PER_WEEK": 10}'
    )
    includeManagedEventsInLimits: bool | None = None


class CreateTeamOutput(SuccessEnvelope):
    data: TeamOutputDto


class GetTeamsOutput(SuccessEnvelope):
    data: list[TeamOutputDto]


class GetTeamOutput(SuccessEnvelope):
    data: TeamOutputDto


class UpdateTeamOutput(SuccessEnvelope):
    data: TeamOutputDto


class OrgTeamOutputResponseDto(SuccessEnvelope):
    data: OrgTeamOutputDto


# -- memberships --------------------------------------------------------------------------------


class MembershipUserOutputDto(CalModel):
    avatarUrl: str | None = None
    username: str | None = None
    name: str | None = None
    email: str
    bio: str | None = None
    metadata: dict[str, Any] | None = None


class TeamMembershipOutput(CalModel):
    id: int
    userId: int
    teamId: int
    accepted: bool
    role: MembershipRole
    disableImpersonation: bool | None = None
    user: MembershipUserOutputDto


class CreateTeamMembershipInput(CalModel):
    userId: int
    accepted: bool = False
    role: MembershipRole = "MEMBER"
    disableImpersonation: bool = False


class UpdateTeamMembershipInput(CalModel):
    accepted: bool | None = None
    role: MembershipRole | None = None
    disableImpersonation: bool | None = None


class CreateTeamMembershipOutput(SuccessEnvelope):
    data: TeamMembershipOutput


class GetTeamMembershipOutput(SuccessEnvelope):
    data: TeamMembershipOutput


class GetTeamMembershipsOutput(SuccessEnvelope):
    data: list[TeamMembershipOutput]


class UpdateTeamMembershipOutput(SuccessEnvelope):
    data: TeamMembershipOutput


class DeleteTeamMembershipOutput(SuccessEnvelope):
    data: TeamMembershipOutput


# -- invites ------------------------------------------------------------------------------------


class InviteDataDto(CalModel):
    token: str = Field(
        description="Unique invitation token for this team. Share this token with prospective members to allow "
        "them to join the team/organization."
    )
    inviteLink: str = Field(
        description="Complete invitation URL that can be shared with prospective members. Opens the signup page "
        "with the token and redirects to getting started after signup."
    )


class CreateInviteOutputDto(SuccessEnvelope):
    data: InviteDataDto
