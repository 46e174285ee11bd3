"""DTOs of the `Managed Orgs` tag, named as the official components."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from opencal.core.envelope import CalModel, PaginationMetaDto, SuccessEnvelope
from opencal.teams.schemas import METADATA_DESCRIPTION


class CreateOrganizationInput(CalModel):
    apiKeyDaysValid: int = Field(
        default=30, ge=1, description="For how many days is managed organization api key valid. Defaults to 30 days."
    )
    apiKeyNeverExpires: bool | None = Field(default=None, description="If true, organization api key never expires.")
    name: str = Field(min_length=1, description="Name of the organization")
    slug: str | None = Field(
        default=None,
        description="Organization slug in kebab-case - if not provided will be generated automatically based on name.",
    )
    metadata: dict[str, str | int | float | bool] | None = Field(default=None, description=METADATA_DESCRIPTION)


class UpdateOrganizationInput(CalModel):
    name: str | None = Field(default=None, min_length=1, description="Name of the organization")
    metadata: dict[str, str | int | float | bool] | None = Field(default=None, description=METADATA_DESCRIPTION)


class ManagedOrganizationOutput(CalModel):
    id: int
    name: str
    slug: str | None = None
    metadata: dict[str, Any] | None = None


class ManagedOrganizationWithApiKeyOutput(ManagedOrganizationOutput):
    apiKey: str


class CreateManagedOrganizationOutput(SuccessEnvelope):
    data: ManagedOrganizationWithApiKeyOutput


class GetManagedOrganizationOutput(SuccessEnvelope):
    data: ManagedOrganizationOutput


class GetManagedOrganizationsOutput(SuccessEnvelope):
    data: list[ManagedOrganizationOutput]
    pagination: PaginationMetaDto
