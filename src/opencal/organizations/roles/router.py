"""Custom roles of an organization (`/v2/organizations/{orgId}/roles`) and of its teams
(`/v2/organizations/{orgId}/teams/{teamId}/roles`), with their permissions. ORG_ADMIN everywhere."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import CsvList, IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.roles import service
from opencal.organizations.roles.schemas import (
    CreateOrgRoleInput,
    CreateOrgRoleOutput,
    CreateOrgRolePermissionsInput,
    CreateTeamRoleInput,
    CreateTeamRoleOutput,
    CreateTeamRolePermissionsInput,
    DeleteOrgRoleOutput,
    DeleteTeamRoleOutput,
    GetAllOrgRolesOutput,
    GetAllTeamRolesOutput,
    GetOrgRoleOutput,
    GetOrgRolePermissionsOutput,
    GetTeamRoleOutput,
    GetTeamRolePermissionsOutput,
    OrgPermission,
    TeamPermission,
    UpdateOrgRoleInput,
    UpdateOrgRoleOutput,
    UpdateTeamRoleInput,
    UpdateTeamRoleOutput,
)
from opencal.organizations.roles.service import RoleScope

router = APIRouter(prefix="/v2/organizations/{orgId}")

Page = Annotated[SkipTake, Depends(skip_take_params(250))]
REMOVE_DESCRIPTION = (
    "Permissions to remove (format: resource.action). Supports comma-separated values as well as repeated query params."
)
OrgPermissionsQuery = Annotated[list[OrgPermission] | None, CsvList, Query(description=REMOVE_DESCRIPTION)]
TeamPermissionsQuery = Annotated[list[TeamPermission] | None, CsvList, Query(description=REMOVE_DESCRIPTION)]
ORG_ROLES = "/roles"
ORG_ROLE = "/roles/{roleId}"
TEAM_ROLES = "/teams/{teamId}/roles"
TEAM_ROLE = "/teams/{teamId}/roles/{roleId}"


def _no_content() -> Response:
    return Response(status_code=204)


# -- organization roles -------------------------------------------------------------------------


@router.post(
    ORG_ROLES,
    tags=["Orgs / Roles"],
    operation_id="OrganizationsRolesController_createRole",
    summary="Create a new organization role",
    response_model=CreateOrgRoleOutput,
    status_code=201,
)
async def create_org_role(
    ctx: Ctx, orgId: IntId, body: CreateOrgRoleInput, _: Authorized = Requires("ORG_ADMIN", "role.create")
) -> Any:
    scope = RoleScope.organization(orgId)
    fields = body.model_dump(exclude={"permissions"})
    return success(await service.create_role(ctx.db, scope, **fields, permissions=body.permissions or []))


@router.get(
    ORG_ROLES,
    tags=["Orgs / Roles"],
    operation_id="OrganizationsRolesController_getAllRoles",
    summary="Get all organization roles",
    response_model=GetAllOrgRolesOutput,
)
async def get_all_org_roles(
    ctx: Ctx, orgId: IntId, page: Page, _: Authorized = Requires("ORG_ADMIN", "role.read")
) -> Any:
    return success(await service.list_roles(ctx.db, RoleScope.organization(orgId), page))


@router.get(
    ORG_ROLE,
    tags=["Orgs / Roles"],
    operation_id="OrganizationsRolesController_getRole",
    summary="Get a specific organization role",
    response_model=GetOrgRoleOutput,
)
async def get_org_role(ctx: Ctx, orgId: IntId, roleId: str, _: Authorized = Requires("ORG_ADMIN", "role.read")) -> Any:
    return success(await service.get_role(ctx.db, RoleScope.organization(orgId), roleId))


@router.patch(
    ORG_ROLE,
    tags=["Orgs / Roles"],
    operation_id="OrganizationsRolesController_updateRole",
    summary="Update an organization role",
    response_model=UpdateOrgRoleOutput,
)
async def update_org_role(
    ctx: Ctx, orgId: IntId, roleId: str, body: UpdateOrgRoleInput, _: Authorized = Requires("ORG_ADMIN", "role.update")
) -> Any:
    changes = body.model_dump(exclude_unset=True)
    return success(await service.update_role(ctx.db, RoleScope.organization(orgId), roleId, changes))


@router.delete(
    ORG_ROLE,
    tags=["Orgs / Roles"],
    operation_id="OrganizationsRolesController_deleteRole",
    summary="Delete an organization role",
    response_model=DeleteOrgRoleOutput,
)
async def delete_org_role(
    ctx: Ctx, orgId: IntId, roleId: str, _: Authorized = Requires("ORG_ADMIN", "role.delete")
) -> Any:
    return success(await service.delete_role(ctx.db, RoleScope.organization(orgId), roleId))


# -- organization role permissions --------------------------------------------------------------


@router.post(
    ORG_ROLE + "/permissions",
    tags=["Orgs / Roles / Permissions"],
    operation_id="OrganizationsRolesPermissionsController_addPermissions",
    summary="Add permissions to an organization role (single or batch)",
    response_model=GetOrgRolePermissionsOutput,
    status_code=200,
)
async def add_org_role_permissions(
    ctx: Ctx,
    orgId: IntId,
    roleId: str,
    body: CreateOrgRolePermissionsInput,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Any:
    return success(await service.add_permissions(ctx.db, RoleScope.organization(orgId), roleId, body.permissions))


@router.get(
    ORG_ROLE + "/permissions",
    tags=["Orgs / Roles / Permissions"],
    operation_id="OrganizationsRolesPermissionsController_listPermissions",
    summary="List permissions for an organization role",
    response_model=GetOrgRolePermissionsOutput,
)
async def list_org_role_permissions(
    ctx: Ctx, orgId: IntId, roleId: str, _: Authorized = Requires("ORG_ADMIN", "role.read")
) -> Any:
    return success(await service.list_permissions(ctx.db, RoleScope.organization(orgId), roleId))


@router.put(
    ORG_ROLE + "/permissions",
    tags=["Orgs / Roles / Permissions"],
    operation_id="OrganizationsRolesPermissionsController_setPermissions",
    summary="Replace all permissions for an organization role",
    response_model=GetOrgRolePermissionsOutput,
)
async def set_org_role_permissions(
    ctx: Ctx,
    orgId: IntId,
    roleId: str,
    body: CreateOrgRolePermissionsInput,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Any:
    return success(await service.set_permissions(ctx.db, RoleScope.organization(orgId), roleId, body.permissions))


@router.delete(
    ORG_ROLE + "/permissions",
    tags=["Orgs / Roles / Permissions"],
    operation_id="OrganizationsRolesPermissionsController_removePermissions",
    summary="Remove multiple permissions from an organization role",
    status_code=204,
    response_class=Response,
)
async def remove_org_role_permissions(
    ctx: Ctx,
    orgId: IntId,
    roleId: str,
    permissions: OrgPermissionsQuery = None,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Response:
    await service.remove_permissions(ctx.db, RoleScope.organization(orgId), roleId, permissions or [])
    return _no_content()


@router.delete(
    ORG_ROLE + "/permissions/{permission}",
    tags=["Orgs / Roles / Permissions"],
    operation_id="OrganizationsRolesPermissionsController_removePermission",
    summary="Remove a permission from an organization role",
    status_code=204,
    response_class=Response,
)
async def remove_org_role_permission(
    ctx: Ctx, orgId: IntId, roleId: str, permission: str, _: Authorized = Requires("ORG_ADMIN", "role.update")
) -> Response:
    await service.remove_permissions(ctx.db, RoleScope.organization(orgId), roleId, [permission])
    return _no_content()


# -- team roles ---------------------------------------------------------------------------------


@router.post(
    TEAM_ROLES,
    tags=["Orgs / Teams / Roles"],
    operation_id="OrganizationsTeamsRolesController_createRole",
    summary="Create a new organization team role",
    response_model=CreateTeamRoleOutput,
    status_code=201,
)
async def create_team_role(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    body: CreateTeamRoleInput,
    _: Authorized = Requires("ORG_ADMIN", "role.create"),
) -> Any:
    fields = body.model_dump(exclude={"permissions"})
    return success(
        await service.create_role(ctx.db, RoleScope.team(teamId), **fields, permissions=body.permissions or [])
    )


@router.get(
    TEAM_ROLES,
    tags=["Orgs / Teams / Roles"],
    operation_id="OrganizationsTeamsRolesController_getAllRoles",
    summary="Get all organization team roles",
    response_model=GetAllTeamRolesOutput,
)
async def get_all_team_roles(
    ctx: Ctx, orgId: IntId, teamId: IntId, page: Page, _: Authorized = Requires("ORG_ADMIN", "role.read")
) -> Any:
    return success(await service.list_roles(ctx.db, RoleScope.team(teamId), page))


@router.get(
    TEAM_ROLE,
    tags=["Orgs / Teams / Roles"],
    operation_id="OrganizationsTeamsRolesController_getRole",
    summary="Get a specific organization team role",
    response_model=GetTeamRoleOutput,
)
async def get_team_role(
    ctx: Ctx, orgId: IntId, teamId: IntId, roleId: str, _: Authorized = Requires("ORG_ADMIN", "role.read")
) -> Any:
    return success(await service.get_role(ctx.db, RoleScope.team(teamId), roleId))


@router.patch(
    TEAM_ROLE,
    tags=["Orgs / Teams / Roles"],
    operation_id="OrganizationsTeamsRolesController_updateRole",
    summary="Update an organization team role",
    response_model=UpdateTeamRoleOutput,
)
async def update_team_role(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    roleId: str,
    body: UpdateTeamRoleInput,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Any:
    changes = body.model_dump(exclude_unset=True)
    return success(await service.update_role(ctx.db, RoleScope.team(teamId), roleId, changes))


@router.delete(
    TEAM_ROLE,
    tags=["Orgs / Teams / Roles"],
    operation_id="OrganizationsTeamsRolesController_deleteRole",
    summary="Delete an organization team role",
    response_model=DeleteTeamRoleOutput,
)
async def delete_team_role(
    ctx: Ctx, orgId: IntId, teamId: IntId, roleId: str, _: Authorized = Requires("ORG_ADMIN", "role.delete")
) -> Any:
    return success(await service.delete_role(ctx.db, RoleScope.team(teamId), roleId))


# -- team role permissions ----------------------------------------------------------------------


@router.post(
    TEAM_ROLE + "/permissions",
    tags=["Orgs / Teams / Roles / Permissions"],
    operation_id="OrganizationsTeamsRolesPermissionsController_addPermissions",
    summary="Add permissions to an organization team role (single or batch)",
    response_model=GetTeamRolePermissionsOutput,
    status_code=200,
)
async def add_team_role_permissions(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    roleId: str,
    body: CreateTeamRolePermissionsInput,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Any:
    return success(await service.add_permissions(ctx.db, RoleScope.team(teamId), roleId, body.permissions))


@router.get(
    TEAM_ROLE + "/permissions",
    tags=["Orgs / Teams / Roles / Permissions"],
    operation_id="OrganizationsTeamsRolesPermissionsController_listPermissions",
    summary="List permissions for an organization team role",
    response_model=GetTeamRolePermissionsOutput,
)
async def list_team_role_permissions(
    ctx: Ctx, orgId: IntId, teamId: IntId, roleId: str, _: Authorized = Requires("ORG_ADMIN", "role.read")
) -> Any:
    return success(await service.list_permissions(ctx.db, RoleScope.team(teamId), roleId))


@router.put(
    TEAM_ROLE + "/permissions",
    tags=["Orgs / Teams / Roles / Permissions"],
    operation_id="OrganizationsTeamsRolesPermissionsController_setPermissions",
    summary="Replace all permissions for an organization team role",
    response_model=GetTeamRolePermissionsOutput,
)
async def set_team_role_permissions(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    roleId: str,
    body: CreateTeamRolePermissionsInput,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Any:
    return success(await service.set_permissions(ctx.db, RoleScope.team(teamId), roleId, body.permissions))


@router.delete(
    TEAM_ROLE + "/permissions",
    tags=["Orgs / Teams / Roles / Permissions"],
    operation_id="OrganizationsTeamsRolesPermissionsController_removePermissions",
    summary="Remove multiple permissions from an organization team role",
    status_code=204,
    response_class=Response,
)
async def remove_team_role_permissions(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    roleId: str,
    permissions: TeamPermissionsQuery = None,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Response:
    await service.remove_permissions(ctx.db, RoleScope.team(teamId), roleId, permissions or [])
    return _no_content()


@router.delete(
    TEAM_ROLE + "/permissions/{permission}",
    tags=["Orgs / Teams / Roles / Permissions"],
    operation_id="OrganizationsTeamsRolesPermissionsController_removePermission",
    summary="Remove a permission from an organization team role",
    status_code=204,
    response_class=Response,
)
async def remove_team_role_permission(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    roleId: str,
    permission: str,
    _: Authorized = Requires("ORG_ADMIN", "role.update"),
) -> Response:
    await service.remove_permissions(ctx.db, RoleScope.team(teamId), roleId, [permission])
    return _no_content()
