"""DTOs of the `Orgs / Attributes` and `Orgs / Attributes / Options` tags, named as the official components."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from opencal.core.envelope import CalModel, SuccessEnvelope

AttributeType = Literal["TEXT", "NUMBER", "SINGLE_SELECT", "MULTI_SELECT"]


class Attribute(CalModel):
    id: str = Field(description="The ID of the attribute", examples=["attr_123"])
    teamId: int = Field(description="The team ID associated with the attribute", examples=[1])
    type: AttributeType = Field(description="The type of the attribute")
    name: str = Field(description="The name of the attribute", examples=["Attribute Name"])
    slug: str = Field(description="The slug of the attribute", examples=["attribute-name"])
    enabled: bool = Field(description="Whether the attribute is enabled and displayed on their profile")
    usersCanEditRelation: bool = Field(default=False, description="Whether users can edit the relation")


class CreateOrganizationAttributeOptionInput(CalModel):
    value: str = Field(min_length=1)
    slug: str = Field(min_length=1)


class CreateOrganizationAttributeInput(CalModel):
    name: str = Field(min_length=1)
    slug: str = Field(min_length=1)
    type: AttributeType
    options: list[CreateOrganizationAttributeOptionInput]
    enabled: bool | None = None


class UpdateOrganizationAttributeInput(CalModel):
    name: str | None = Field(default=None, min_length=1)
    slug: str | None = Field(default=None, min_length=1)
    type: AttributeType | None = None
    enabled: bool | None = None


class UpdateOrganizationAttributeOptionInput(CalModel):
    value: str | None = Field(default=None, min_length=1)
    slug: str | None = Field(default=None, min_length=1)


class AssignOrganizationAttributeOptionToUserInput(CalModel):
    value: str | None = Field(default=None, min_length=1)
    attributeOptionId: str | None = Field(default=None, min_length=1)
    attributeId: str = Field(min_length=1)


class OptionOutput(CalModel):
    id: str = Field(description="The ID of the option", examples=["attr_option_id"])
    attributeId: str = Field(description="The ID of the attribute", examples=["attr_id"])
    value: str = Field(description="The value of the option", examples=["option_value"])
    slug: str = Field(description="The slug of the option", examples=["option-slug"])


class AssignedOptionOutput(OptionOutput):
    assignedUserIds: list[int] = Field(description="Ids of the users assigned to the attribute option.")


class AssignOptionUserOutputData(CalModel):
    id: str = Field(description="The ID of the option assigned to the user")
    memberId: int = Field(description="The ID form the org membership for the user")
    attributeOptionId: str = Field(description="The value of the option")


class GetOptionUserOutputData(CalModel):
    id: str = Field(description="The ID of the option assigned to the user")
    attributeId: str = Field(description="The ID of the attribute")
    value: str = Field(description="The value of the option")
    slug: str = Field(description="The slug of the option")


class GetOrganizationAttributesOutput(SuccessEnvelope):
    data: list[Attribute]


class GetSingleAttributeOutput(SuccessEnvelope):
    data: Attribute


class CreateOrganizationAttributesOutput(SuccessEnvelope):
    data: Attribute


class UpdateOrganizationAttributesOutput(SuccessEnvelope):
    data: Attribute


class DeleteOrganizationAttributesOutput(SuccessEnvelope):
    data: Attribute


class CreateAttributeOptionOutput(SuccessEnvelope):
    data: OptionOutput


class GetAllAttributeOptionOutput(SuccessEnvelope):
    data: list[OptionOutput]


class UpdateAttributeOptionOutput(SuccessEnvelope):
    data: OptionOutput


class DeleteAttributeOptionOutput(SuccessEnvelope):
    data: OptionOutput


class GetAllAttributeAssignedOptionOutput(SuccessEnvelope):
    data: list[AssignedOptionOutput]


class AssignOptionUserOutput(SuccessEnvelope):
    data: AssignOptionUserOutputData


class UnassignOptionUserOutput(SuccessEnvelope):
    data: AssignOptionUserOutputData


class GetOptionUserOutput(SuccessEnvelope):
    data: list[GetOptionUserOutputData]
