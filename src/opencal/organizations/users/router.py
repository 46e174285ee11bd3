"""`/v2/organizations/{orgId}/users` (ORG_ADMIN on every route)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from opencal.core.context import Ctx
from opencal.core.envelope import success
from opencal.core.params import CsvList, IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.users import service
from opencal.organizations.users.schemas import (
    CreateOrganizationUserInput,
    GetOrganizationUserOutput,
    GetOrganizationUsersResponseDTO,
    UpdateOrganizationUserInput,
)

router = APIRouter(prefix="/v2/organizations/{orgId}/users", tags=["Orgs / Users"])


@router.get(
    "",
    operation_id="OrganizationsUsersController_getOrganizationsUsers",
    summary="Get all users",
    response_model=GetOrganizationUsersResponseDTO,
)
async def get_organizations_users(
    ctx: Ctx,
    orgId: IntId,
    take: Annotated[int, Query(ge=1, le=1000, description="The number of items to return")] = 250,
    skip: Annotated[int, Query(ge=0, description="The number of items to skip")] = 0,
    emails: Annotated[
        list[str] | None,
        CsvList,
        Query(description="The email address or an array of email addresses to filter by"),
    ] = None,
    assignedOptionIds: Annotated[
        list[str] | None,
        CsvList,
        Query(description="Filter by assigned attribute option ids. ids must be separated by a comma."),
    ] = None,
    attributeQueryOperator: Annotated[
        service.AttributeOperator,
        Query(description="Query operator used to filter assigned options, AND by default."),
    ] = "AND",
    teamIds: Annotated[
        list[int] | None, CsvList, Query(description="Filter by teamIds. Team ids must be separated by a comma.")
    ] = None,
    _: Authorized = Requires("ORG_ADMIN", "organization.listMembers"),
) -> Any:
    users = await service.list_users(
        ctx.db,
        orgId,
        skip=skip,
        take=take,
        emails=emails,
        team_ids=teamIds,
        assigned_option_ids=assignedOptionIds,
        operator=attributeQueryOperator,
    )
    return success(users)


@router.post(
    "",
    operation_id="OrganizationsUsersController_createOrganizationUser",
    summary="Create a user",
    response_model=GetOrganizationUserOutput,
    status_code=201,
)
async def create_organization_user(
    ctx: Ctx,
    orgId: IntId,
    body: CreateOrganizationUserInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.invite"),
) -> Any:
    return success(await service.create_user(ctx.db, orgId, body))


@router.patch(
    "/{userId}",
    operation_id="OrganizationsUsersController_updateOrganizationUser",
    summary="Update a user",
    response_model=GetOrganizationUserOutput,
)
async def update_organization_user(
    ctx: Ctx,
    orgId: IntId,
    userId: IntId,
    body: UpdateOrganizationUserInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.editUsers"),
) -> Any:
    return success(await service.update_user(ctx.db, orgId, userId, body))


@router.delete(
    "/{userId}",
    operation_id="OrganizationsUsersController_deleteOrganizationUser",
    summary="Delete a user",
    response_model=GetOrganizationUserOutput,
)
async def delete_organization_user(
    ctx: Ctx, orgId: IntId, userId: IntId, _: Authorized = Requires("ORG_ADMIN", "organization.remove")
) -> Any:
    return success(await service.delete_user(ctx.db, orgId, userId))
