"""DTOs of the `Orgs / Roles`, `Orgs / Roles / Permissions`, `Orgs / Teams / Roles` and
`Orgs / Teams / Roles / Permissions` tags, named as the official components."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema

from opencal.core.envelope import CalModel, SuccessEnvelope
from opencal.core.permissions import ORGANIZATION_PERMISSIONS, TEAM_PERMISSIONS

# Permission strings are documented with their enum here and checked by the service, which answers
# Cal.com's own message for an unknown one.
OrgPermission = Annotated[str, WithJsonSchema({"type": "string", "enum": list(ORGANIZATION_PERMISSIONS)})]
TeamPermission = Annotated[str, WithJsonSchema({"type": "string", "enum": list(TEAM_PERMISSIONS)})]
PERMISSIONS_DESCRIPTION = (
    "Permissions for this role (format: resource.action). On update, this field replaces the entire permission set "
    "for the role (full replace). Use granular permission endpoints for one-by-one changes."
)
RoleType = Literal["SYSTEM", "CUSTOM"]


class _RoleFields(CalModel):
    color: str | None = Field(default=None, description="Color for the role (hex code)")
    description: str | None = Field(default=None, description="Description of the role")


class CreateOrgRoleInput(_RoleFields):
    permissions: list[OrgPermission] | None = Field(default=None, description=PERMISSIONS_DESCRIPTION)
    name: str = Field(min_length=1, description="Name of the role")


class UpdateOrgRoleInput(_RoleFields):
    permissions: list[OrgPermission] | None = Field(default=None, description=PERMISSIONS_DESCRIPTION)
    name: str | None = Field(default=None, min_length=1, description="Name of the role")


class CreateTeamRoleInput(_RoleFields):
    permissions: list[TeamPermission] | None = Field(default=None, description=PERMISSIONS_DESCRIPTION)
    name: str = Field(min_length=1, description="Name of the role")


class UpdateTeamRoleInput(_RoleFields):
    permissions: list[TeamPermission] | None = Field(default=None, description=PERMISSIONS_DESCRIPTION)
    name: str | None = Field(default=None, min_length=1, description="Name of the role")


class CreateOrgRolePermissionsInput(CalModel):
    permissions: list[OrgPermission] = Field(description="Permissions to add (format: resource.action)")


class CreateTeamRolePermissionsInput(CalModel):
    permissions: list[TeamPermission] = Field(description="Permissions to add (format: resource.action)")


class _RoleOutputFields(CalModel):
    id: str = Field(description="Unique identifier for the role")
    name: str = Field(description="Name of the role")
    color: str | None = Field(default=None, description="Color for the role (hex code)")
    description: str | None = Field(default=None, description="Description of the role")
    type: RoleType = Field(description="Type of role")
    permissions: list[str] = Field(description="Permissions assigned to this role in 'resource.action' format.")
    createdAt: str = Field(description="When the role was created")
    updatedAt: str = Field(description="When the role was last updated")


class OrgRoleOutput(_RoleOutputFields):
    organizationId: int | None = Field(default=None, description="Organization ID this role belongs to")


class TeamRoleOutput(_RoleOutputFields):
    teamId: int | None = Field(default=None, description="Team ID this role belongs to")


class CreateOrgRoleOutput(SuccessEnvelope):
    data: OrgRoleOutput


class GetOrgRoleOutput(SuccessEnvelope):
    data: OrgRoleOutput


class GetAllOrgRolesOutput(SuccessEnvelope):
    data: list[OrgRoleOutput]


class UpdateOrgRoleOutput(SuccessEnvelope):
    data: OrgRoleOutput


class DeleteOrgRoleOutput(SuccessEnvelope):
    data: OrgRoleOutput


class CreateTeamRoleOutput(SuccessEnvelope):
    data: TeamRoleOutput


class GetTeamRoleOutput(SuccessEnvelope):
    data: TeamRoleOutput


class GetAllTeamRolesOutput(SuccessEnvelope):
    data: list[TeamRoleOutput]


class UpdateTeamRoleOutput(SuccessEnvelope):
    data: TeamRoleOutput


class DeleteTeamRoleOutput(SuccessEnvelope):
    data: TeamRoleOutput


class GetOrgRolePermissionsOutput(SuccessEnvelope):
    data: list[str]


class GetTeamRolePermissionsOutput(SuccessEnvelope):
    data: list[str]
