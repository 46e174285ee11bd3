"""`/v2/organizations/{orgId}/organizations`: organizations managed by a platform organization."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.managed import service
from opencal.organizations.managed.schemas import (
    CreateManagedOrganizationOutput,
    CreateOrganizationInput,
    GetManagedOrganizationOutput,
    GetManagedOrganizationsOutput,
    UpdateOrganizationInput,
)

router = APIRouter(prefix="/v2/organizations/{orgId}/organizations", tags=["Managed Orgs"])

Page = Annotated[SkipTake, Depends(skip_take_params(250))]
ADMIN_ONLY = (
    "Requires the user to have at least the 'ORG_ADMIN' role within the organization. Additionally, for platform, "
    "the plan must be 'SCALE' or higher to access this endpoint."
)


@router.post(
    "",
    operation_id="OrganizationsOrganizationsController_createOrganization",
    summary="Create an organization within an organization",
    description=ADMIN_ONLY,
    response_model=CreateManagedOrganizationOutput,
    status_code=201,
)
async def create_organization(
    ctx: Ctx,
    orgId: IntId,
    body: CreateOrganizationInput,
    access: Authorized = Requires("ORG_ADMIN", "organization.create"),
) -> Any:
    created = await service.create_managed_organization(
        ctx.db, orgId, access.user_id, body, ctx.settings.api_key_prefix
    )
    return success(created)


@router.get(
    "",
    operation_id="OrganizationsOrganizationsController_getOrganizations",
    summary="Get all organizations within an organization",
    description=ADMIN_ONLY,
    response_model=GetManagedOrganizationsOutput,
)
async def get_organizations(
    ctx: Ctx,
    orgId: IntId,
    page: Page,
    slug: Annotated[str | None, Query(description="The slug of the managed organization")] = None,
    metadataKey: Annotated[
        str | None,
        Query(
            description="The key of the metadata - it is case sensitive so provide exactly as stored. If you provide "
            "it then you must also provide metadataValue"
        ),
    ] = None,
    metadataValue: Annotated[
        str | None,
        Query(
            description="The value of the metadata - it is case sensitive so provide exactly as stored. If you "
            "provide it then you must also provide metadataKey"
        ),
    ] = None,
    _: Authorized = Requires("ORG_ADMIN", "organization.read"),
) -> Any:
    organizations, pagination = await service.list_managed_organizations(
        ctx.db, orgId, page, slug=slug, metadata_key=metadataKey, metadata_value=metadataValue
    )
    return success(organizations, pagination=pagination)


@router.get(
    "/{managedOrganizationId}",
    operation_id="OrganizationsOrganizationsController_getOrganization",
    summary="Get an organization within an organization",
    description=ADMIN_ONLY,
    response_model=GetManagedOrganizationOutput,
)
async def get_organization(
    ctx: Ctx,
    orgId: IntId,
    managedOrganizationId: IntId,
    _: Authorized = Requires("ORG_ADMIN", "organization.read"),
) -> Any:
    return success(await service.get_managed_organization(ctx.db, orgId, managedOrganizationId))


@router.patch(
    "/{managedOrganizationId}",
    operation_id="OrganizationsOrganizationsController_updateOrganization",
    summary="Update an organization within an organization",
    description=ADMIN_ONLY,
    response_model=GetManagedOrganizationOutput,
)
async def update_organization(
    ctx: Ctx,
    orgId: IntId,
    managedOrganizationId: IntId,
    body: UpdateOrganizationInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.update"),
) -> Any:
    return success(await service.update_managed_organization(ctx.db, orgId, managedOrganizationId, body))


@router.delete(
    "/{managedOrganizationId}",
    operation_id="OrganizationsOrganizationsController_deleteOrganization",
    summary="Delete an organization within an organization",
    description=ADMIN_ONLY,
    response_model=GetManagedOrganizationOutput,
)
async def delete_organization(
    ctx: Ctx,
    orgId: IntId,
    managedOrganizationId: IntId,
    _: Authorized = Requires("ORG_ADMIN", "organization.delete"),
) -> Any:
    return success(await service.delete_managed_organization(ctx.db, orgId, managedOrganizationId))
