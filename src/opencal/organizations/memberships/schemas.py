"""DTOs of the `Orgs / Memberships` tag, named as the official components."""

from __future__ import annotations

from pydantic import Field

from opencal.core.envelope import CalModel, SuccessEnvelope
from opencal.teams.schemas import MembershipRole, MembershipUserOutputDto


class TextAttribute(CalModel):
    id: str
    name: str
    type: str
    option: str
    optionId: str


class NumberAttribute(CalModel):
    id: str
    name: str
    type: str
    option: int | float | None
    optionId: str


class SingleSelectAttribute(CalModel):
    id: str
    name: str
    type: str
    option: str
    optionId: str


class MultiSelectAttributeOption(CalModel):
    optionId: str
    option: str


class MultiSelectAttribute(CalModel):
    id: str
    name: str
    type: str
    options: list[MultiSelectAttributeOption]


class OrganizationMembershipOutput(CalModel):
    id: int
    userId: int
    teamId: int
    accepted: bool
    role: MembershipRole
    disableImpersonation: bool | None = None
    user: MembershipUserOutputDto
    attributes: list[MultiSelectAttribute | TextAttribute | NumberAttribute | SingleSelectAttribute]


class CreateOrgMembershipDto(CalModel):
    userId: int
    accepted: bool = False
    role: MembershipRole = Field(
        default="MEMBER", description="If you are platform customer then managed users should only have MEMBER role."
    )
    disableImpersonation: bool = False


class UpdateOrgMembershipDto(CalModel):
    accepted: bool | None = None
    role: MembershipRole | None = None
    disableImpersonation: bool | None = None


class GetAllOrgMemberships(SuccessEnvelope):
    data: list[OrganizationMembershipOutput]


class CreateOrgMembershipOutput(SuccessEnvelope):
    data: OrganizationMembershipOutput


class GetOrgMembership(SuccessEnvelope):
    data: OrganizationMembershipOutput


class UpdateOrgMembership(SuccessEnvelope):
    data: OrganizationMembershipOutput


class DeleteOrgMembership(SuccessEnvelope):
    data: OrganizationMembershipOutput
