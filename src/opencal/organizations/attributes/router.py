"""`/v2/organizations/{orgId}/attributes`: attributes, their options and the options held by members."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opencal.core.context import Db
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import CsvList, IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.attributes import service
from opencal.organizations.attributes.schemas import (
    AssignOptionUserOutput,
    AssignOrganizationAttributeOptionToUserInput,
    CreateAttributeOptionOutput,
    CreateOrganizationAttributeInput,
    CreateOrganizationAttributeOptionInput,
    CreateOrganizationAttributesOutput,
    DeleteAttributeOptionOutput,
    DeleteOrganizationAttributesOutput,
    GetAllAttributeAssignedOptionOutput,
    GetAllAttributeOptionOutput,
    GetOptionUserOutput,
    GetOrganizationAttributesOutput,
    GetSingleAttributeOutput,
    UnassignOptionUserOutput,
    UpdateAttributeOptionOutput,
    UpdateOrganizationAttributeInput,
    UpdateOrganizationAttributeOptionInput,
    UpdateOrganizationAttributesOutput,
)

router = APIRouter(prefix="/v2/organizations/{orgId}/attributes")
ATTRIBUTES: list[str | Enum] = ["Orgs / Attributes"]
OPTIONS: list[str | Enum] = ["Orgs / Attributes / Options"]
Page = Annotated[SkipTake, Depends(skip_take_params(250))]
AssignedOptionIds = Annotated[
    list[str] | None,
    CsvList,
    Query(description="Filter by assigned attribute option ids. ids must be separated by a comma."),
]
TeamIds = Annotated[
    list[int] | None, CsvList, Query(description="Filter by teamIds. Team ids must be separated by a comma.")
]


# -- attributes ---------------------------------------------------------------------------------


@router.get(
    "",
    tags=ATTRIBUTES,
    operation_id="OrganizationsAttributesController_getOrganizationAttributes",
    summary="Get all attributes",
    response_model=GetOrganizationAttributesOutput,
)
async def get_attributes(
    db: Db, orgId: IntId, page: Page, _: Authorized = Requires("ORG_MEMBER", "organization.attributes.read")
) -> Any:
    return success(await service.list_attributes(db, orgId, page.skip, page.take))


@router.post(
    "",
    tags=ATTRIBUTES,
    operation_id="OrganizationsAttributesController_createOrganizationAttribute",
    summary="Create an attribute",
    response_model=CreateOrganizationAttributesOutput,
    status_code=201,
)
async def create_attribute(
    db: Db,
    orgId: IntId,
    body: CreateOrganizationAttributeInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.attributes.create"),
) -> Any:
    return success(await service.create_attribute(db, orgId, body))


# Registered before `/{attributeId}` routes so that "options" and "slugs" are never taken for ids.
@router.get(
    "/slugs/{attributeSlug}/options/assigned",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_getOrganizationAttributeAssignedOptionsBySlug",
    summary="Get all assigned attribute options by attribute slug",
    response_model=GetAllAttributeAssignedOptionOutput,
)
async def get_assigned_options_by_slug(
    db: Db,
    orgId: IntId,
    attributeSlug: str,
    page: Page,
    assignedOptionIds: AssignedOptionIds = None,
    teamIds: TeamIds = None,
    _: Authorized = Requires("ORG_MEMBER", "organization.attributes.read"),
) -> Any:
    options = await service.assigned_options(
        db,
        orgId,
        attribute_slug=attributeSlug,
        skip=page.skip,
        take=page.take,
        assigned_option_ids=assignedOptionIds,
        team_ids=teamIds,
    )
    return success(options)


@router.post(
    "/options/{userId}",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_assignOrganizationAttributeOptionToUser",
    summary="Assign an attribute to a user",
    response_model=AssignOptionUserOutput,
    status_code=201,
)
async def assign_option(
    db: Db,
    orgId: IntId,
    userId: IntId,
    body: AssignOrganizationAttributeOptionToUserInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.attributes.update"),
) -> Any:
    return success(await service.assign_option(db, orgId, userId, body))


@router.get(
    "/options/{userId}",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_getOrganizationAttributeOptionsForUser",
    summary="Get all attribute options for a user",
    response_model=GetOptionUserOutput,
)
async def get_options_of_user(
    db: Db, orgId: IntId, userId: IntId, _: Authorized = Requires("ORG_MEMBER", "organization.attributes.read")
) -> Any:
    return success(await service.options_of_user(db, orgId, userId))


@router.delete(
    "/options/{userId}/{attributeOptionId}",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_unassignOrganizationAttributeOptionFromUser",
    summary="Unassign an attribute from a user",
    response_model=UnassignOptionUserOutput,
)
async def unassign_option(
    db: Db,
    orgId: IntId,
    userId: IntId,
    attributeOptionId: str,
    access: Authorized = Requires("ORG_MEMBER", "organization.attributes.update"),
) -> Any:
    return success(await service.unassign_option(db, access, userId, attributeOptionId))


@router.get(
    "/{attributeId}",
    tags=ATTRIBUTES,
    operation_id="OrganizationsAttributesController_getOrganizationAttribute",
    summary="Get an attribute",
    response_model=GetSingleAttributeOutput,
)
async def get_attribute(
    db: Db, orgId: IntId, attributeId: str, _: Authorized = Requires("ORG_MEMBER", "organization.attributes.read")
) -> Any:
    return success(await service.get_attribute(db, orgId, attributeId))


@router.patch(
    "/{attributeId}",
    tags=ATTRIBUTES,
    operation_id="OrganizationsAttributesController_updateOrganizationAttribute",
    summary="Update an attribute",
    response_model=UpdateOrganizationAttributesOutput,
)
async def update_attribute(
    db: Db,
    orgId: IntId,
    attributeId: str,
    body: UpdateOrganizationAttributeInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.attributes.update"),
) -> Any:
    return success(await service.update_attribute(db, orgId, attributeId, body))


@router.delete(
    "/{attributeId}",
    tags=ATTRIBUTES,
    operation_id="OrganizationsAttributesController_deleteOrganizationAttribute",
    summary="Delete an attribute",
    response_model=DeleteOrganizationAttributesOutput,
)
async def delete_attribute(
    db: Db, orgId: IntId, attributeId: str, _: Authorized = Requires("ORG_ADMIN", "organization.attributes.delete")
) -> Any:
    return success(await service.delete_attribute(db, orgId, attributeId))


# -- options of an attribute --------------------------------------------------------------------


@router.post(
    "/{attributeId}/options",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_createOrganizationAttributeOption",
    summary="Create an attribute option",
    response_model=CreateAttributeOptionOutput,
    status_code=201,
)
async def create_option(
    db: Db,
    orgId: IntId,
    attributeId: str,
    body: CreateOrganizationAttributeOptionInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.attributes.create"),
) -> Any:
    return success(await service.create_option(db, orgId, attributeId, body))


@router.get(
    "/{attributeId}/options",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_getOrganizationAttributeOptions",
    summary="Get all attribute options",
    response_model=GetAllAttributeOptionOutput,
)
async def get_options(
    db: Db, orgId: IntId, attributeId: str, _: Authorized = Requires("ORG_MEMBER", "organization.attributes.read")
) -> Any:
    return success(await service.list_options(db, orgId, attributeId))


@router.get(
    "/{attributeId}/options/assigned",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_getOrganizationAttributeAssignedOptions",
    summary="Get all assigned attribute options by attribute ID",
    response_model=GetAllAttributeAssignedOptionOutput,
)
async def get_assigned_options(
    db: Db,
    orgId: IntId,
    attributeId: str,
    page: Page,
    assignedOptionIds: AssignedOptionIds = None,
    teamIds: TeamIds = None,
    _: Authorized = Requires("ORG_MEMBER", "organization.attributes.read"),
) -> Any:
    options = await service.assigned_options(
        db,
        orgId,
        attribute_id=attributeId,
        skip=page.skip,
        take=page.take,
        assigned_option_ids=assignedOptionIds,
        team_ids=teamIds,
    )
    return success(options)


@router.patch(
    "/{attributeId}/options/{optionId}",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_updateOrganizationAttributeOption",
    summary="Update an attribute option",
    response_model=UpdateAttributeOptionOutput,
)
async def update_option(
    db: Db,
    orgId: IntId,
    attributeId: str,
    optionId: str,
    body: UpdateOrganizationAttributeOptionInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.attributes.update"),
) -> Any:
    return success(await service.update_option(db, orgId, attributeId, optionId, body))


@router.delete(
    "/{attributeId}/options/{optionId}",
    tags=OPTIONS,
    operation_id="OrganizationsAttributesOptionsController_deleteOrganizationAttributeOption",
    summary="Delete an attribute option",
    response_model=DeleteAttributeOptionOutput,
)
async def delete_option(
    db: Db,
    orgId: IntId,
    attributeId: str,
    optionId: str,
    _: Authorized = Requires("ORG_ADMIN", "organization.attributes.delete"),
) -> Any:
    return success(await service.delete_option(db, orgId, attributeId, optionId))
