"""`/v2/organizations/{orgId}/memberships` (ORG_ADMIN on every route)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.memberships import service
from opencal.organizations.memberships.schemas import (
    CreateOrgMembershipDto,
    CreateOrgMembershipOutput,
    DeleteOrgMembership,
    GetAllOrgMemberships,
    GetOrgMembership,
    UpdateOrgMembership,
    UpdateOrgMembershipDto,
)

router = APIRouter(prefix="/v2/organizations/{orgId}/memberships", tags=["Orgs / Memberships"])

Page = Annotated[SkipTake, Depends(skip_take_params(250))]


@router.get(
    "",
    operation_id="OrganizationsMembershipsController_getAllMemberships",
    summary="Get all memberships",
    response_model=GetAllOrgMemberships,
)
async def get_all_memberships(
    ctx: Ctx, orgId: IntId, page: Page, _: Authorized = Requires("ORG_ADMIN", "organization.listMembers")
) -> Any:
    return success(await service.list_memberships(ctx.db, orgId, page))


@router.post(
    "",
    operation_id="OrganizationsMembershipsController_createMembership",
    summary="Create a membership",
    response_model=CreateOrgMembershipOutput,
    status_code=201,
)
async def create_membership(
    ctx: Ctx, orgId: IntId, body: CreateOrgMembershipDto, _: Authorized = Requires("ORG_ADMIN", "organization.invite")
) -> Any:
    return success(await service.create_membership(ctx.db, orgId, body))


@router.get(
    "/{membershipId}",
    operation_id="OrganizationsMembershipsController_getOrgMembership",
    summary="Get a membership",
    response_model=GetOrgMembership,
)
async def get_org_membership(
    ctx: Ctx, orgId: IntId, membershipId: IntId, _: Authorized = Requires("ORG_ADMIN", "organization.listMembers")
) -> Any:
    return success(await service.get_membership(ctx.db, orgId, membershipId))


@router.delete(
    "/{membershipId}",
    operation_id="OrganizationsMembershipsController_deleteMembership",
    summary="Delete a membership",
    response_model=DeleteOrgMembership,
)
async def delete_membership(
    ctx: Ctx, orgId: IntId, membershipId: IntId, _: Authorized = Requires("ORG_ADMIN", "organization.remove")
) -> Any:
    return success(await service.delete_membership(ctx.db, orgId, membershipId))


@router.patch(
    "/{membershipId}",
    operation_id="OrganizationsMembershipsController_updateMembership",
    summary="Update a membership",
    response_model=UpdateOrgMembership,
)
async def update_membership(
    ctx: Ctx,
    orgId: IntId,
    membershipId: IntId,
    body: UpdateOrgMembershipDto,
    _: Authorized = Requires("ORG_ADMIN", "organization.changeMemberRole"),
) -> Any:
    return success(await service.update_membership(ctx.db, orgId, membershipId, body))
