"""Out-of-office entries of an organization's users (ORG_ADMIN, as in Cal.com).

No permission string is declared: Cal.com's `ooo.*` are not among those a custom role can hold.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opencal.core.context import Db
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.ooo import service
from opencal.organizations.ooo.schemas import (
    CreateOutOfOfficeEntryDto,
    SortOrder,
    UpdateOutOfOfficeEntryDto,
    UserOooOutputResponseDto,
    UserOoosOutputResponseDto,
)

router = APIRouter(prefix="/v2/organizations/{orgId}", tags=["Orgs / Users / OOO"])
Page = Annotated[SkipTake, Depends(skip_take_params(250))]
SortStart = Annotated[
    SortOrder | None, Query(description="Sort results by their start time in ascending or descending order.")
]
SortEnd = Annotated[
    SortOrder | None, Query(description="Sort results by their end time in ascending or descending order.")
]


@router.get(
    "/users/{userId}/ooo",
    operation_id="OrganizationsUsersOOOController_getOrganizationUserOOO",
    summary="Get all out-of-office entries for a user",
    response_model=UserOoosOutputResponseDto,
)
async def get_user_entries(
    db: Db,
    orgId: IntId,
    userId: IntId,
    page: Page,
    sortStart: SortStart = None,
    sortEnd: SortEnd = None,
    _: Authorized = Requires("ORG_ADMIN"),
) -> Any:
    entries = await service.list_user_entries(
        db, orgId, userId, skip=page.skip, take=page.take, sort_start=sortStart, sort_end=sortEnd
    )
    return success(entries)


@router.post(
    "/users/{userId}/ooo",
    operation_id="OrganizationsUsersOOOController_createOrganizationUserOOO",
    summary="Create an out-of-office entry for a user",
    response_model=UserOooOutputResponseDto,
    status_code=201,
)
async def create_entry(
    db: Db, orgId: IntId, userId: IntId, body: CreateOutOfOfficeEntryDto, _: Authorized = Requires("ORG_ADMIN")
) -> Any:
    return success(await service.create_entry(db, orgId, userId, body))


@router.patch(
    "/users/{userId}/ooo/{oooId}",
    operation_id="OrganizationsUsersOOOController_updateOrganizationUserOOO",
    summary="Update an out-of-office entry for a user",
    response_model=UserOooOutputResponseDto,
)
async def update_entry(
    db: Db,
    orgId: IntId,
    userId: IntId,
    oooId: IntId,
    body: UpdateOutOfOfficeEntryDto,
    _: Authorized = Requires("ORG_ADMIN"),
) -> Any:
    return success(await service.update_entry(db, orgId, userId, oooId, body))


@router.delete(
    "/users/{userId}/ooo/{oooId}",
    operation_id="OrganizationsUsersOOOController_deleteOrganizationUserOOO",
    summary="Delete an out-of-office entry for a user",
    response_model=UserOooOutputResponseDto,
)
async def delete_entry(db: Db, orgId: IntId, userId: IntId, oooId: IntId, _: Authorized = Requires("ORG_ADMIN")) -> Any:
    return success(await service.delete_entry(db, orgId, userId, oooId))


@router.get(
    "/ooo",
    operation_id="OrganizationsUsersOOOController_getOrganizationUsersOOO",
    summary="Get all out-of-office entries for organization users",
    response_model=UserOoosOutputResponseDto,
)
async def get_org_entries(
    db: Db,
    orgId: IntId,
    page: Page,
    sortStart: SortStart = None,
    sortEnd: SortEnd = None,
    email: Annotated[
        str | None,
        Query(description="Filter ooo entries by the user email address. user must be within your organization."),
    ] = None,
    _: Authorized = Requires("ORG_ADMIN"),
) -> Any:
    entries = await service.list_org_entries(
        db, orgId, skip=page.skip, take=page.take, sort_start=sortStart, sort_end=sortEnd, email=email
    )
    return success(entries)
