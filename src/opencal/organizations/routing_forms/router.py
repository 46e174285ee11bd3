"""Routing forms of an organization's teams and their responses.

Organization routes need ORG_ADMIN, team routes TEAM_ADMIN of the team (or ADMIN/OWNER of its
organization), or a custom role granting the route's `routingForm.*` permission, as in Cal.com.

"Create routing form response and get available slots" stores the answers, routes them and, when
the route leads to an event type, answers its slots as `GET /v2/slots` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opencal.core.context import Db
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import CsvList, IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.routing_forms import service
from opencal.routing_forms.router import Answers, create_response_query
from opencal.routing_forms.schemas import (
    CreateRoutingFormResponseOutput,
    GetRoutingFormResponsesOutput,
    GetRoutingFormsOutput,
    UpdateRoutingFormResponseInput,
    UpdateRoutingFormResponseOutput,
)
from opencal.routing_forms.service import ListFilters, SortOrder
from opencal.slots.query import SlotsRequest

router = APIRouter(prefix="/v2/organizations/{orgId}")


def list_filters(
    page: Annotated[SkipTake, Depends(skip_take_params(250))],
    sortCreatedAt: Annotated[SortOrder | None, Query(description="Sort by creation time")] = None,
    sortUpdatedAt: Annotated[SortOrder | None, Query(description="Sort by update time")] = None,
    afterCreatedAt: Annotated[datetime | None, Query(description="Filter by responses created after this date")] = None,
    beforeCreatedAt: Annotated[
        datetime | None, Query(description="Filter by responses created before this date")
    ] = None,
    afterUpdatedAt: Annotated[datetime | None, Query(description="Filter by responses created after this date")] = None,
    beforeUpdatedAt: Annotated[
        datetime | None, Query(description="Filter by responses updated before this date")
    ] = None,
    routedToBookingUid: Annotated[
        str | None, Query(description="Filter by responses routed to a specific booking")
    ] = None,
) -> ListFilters:
    return ListFilters(
        skip=page.skip,
        take=page.take,
        sort_created_at=sortCreatedAt,
        sort_updated_at=sortUpdatedAt,
        after_created_at=afterCreatedAt,
        before_created_at=beforeCreatedAt,
        after_updated_at=afterUpdatedAt,
        before_updated_at=beforeUpdatedAt,
        routed_to_booking_uid=routedToBookingUid,
    )


Filters = Annotated[ListFilters, Depends(list_filters)]
CreateQuery = Annotated[SlotsRequest, Depends(create_response_query)]


# -- organization -------------------------------------------------------------------------------


@router.get(
    "/routing-forms",
    tags=["Orgs / Routing forms"],
    operation_id="OrganizationsRoutingFormsController_getOrganizationRoutingForms",
    summary="Get organization routing forms",
    response_model=GetRoutingFormsOutput,
)
async def get_org_forms(
    db: Db,
    orgId: IntId,
    filters: Filters,
    teamIds: Annotated[
        list[int] | None, CsvList, Query(description="Filter by teamIds. Team ids must be separated by a comma.")
    ] = None,
    _: Authorized = Requires("ORG_ADMIN", "routingForm.read"),
) -> Any:
    return success(await service.org_forms(db, orgId, filters, teamIds))


@router.get(
    "/routing-forms/{routingFormId}/responses",
    tags=["Orgs / Routing forms"],
    operation_id="OrganizationsRoutingFormsResponsesController_getRoutingFormResponses",
    summary="Get routing form responses",
    response_model=GetRoutingFormResponsesOutput,
    # An answer's `identifier` is left out when its field has none, as in Cal.com.
    response_model_exclude_unset=True,
)
async def get_org_form_responses(
    db: Db,
    orgId: IntId,
    routingFormId: str,
    filters: Filters,
    _: Authorized = Requires("ORG_ADMIN", "routingForm.read"),
) -> Any:
    return success(await service.org_form_responses(db, orgId, routingFormId, filters))


@router.post(
    "/routing-forms/{routingFormId}/responses",
    tags=["Orgs / Routing forms"],
    operation_id="OrganizationsRoutingFormsResponsesController_createRoutingFormResponse",
    summary="Create routing form response and get available slots",
    status_code=201,
    response_model=CreateRoutingFormResponseOutput,
    response_model_exclude_unset=True,
)
async def create_org_form_response(
    # Declared first so that the access is checked before the query is read.
    _: Annotated[Authorized, Requires("ORG_ADMIN", "routingForm.create")],
    db: Db,
    orgId: IntId,
    routingFormId: str,
    query: CreateQuery,
    answers: Answers = None,
) -> Any:
    return success(await service.create_org_form_response(db, orgId, routingFormId, answers or {}, query))


@router.patch(
    "/routing-forms/{routingFormId}/responses/{responseId}",
    tags=["Orgs / Routing forms"],
    operation_id="OrganizationsRoutingFormsResponsesController_updateRoutingFormResponse",
    summary="Update routing form response",
    response_model=UpdateRoutingFormResponseOutput,
    response_model_exclude_unset=True,
)
async def update_org_form_response(
    db: Db,
    orgId: IntId,
    routingFormId: str,
    responseId: IntId,
    body: UpdateRoutingFormResponseInput,
    _: Authorized = Requires("ORG_ADMIN", "routingForm.update"),
) -> Any:
    return success(await service.update_org_form_response(db, orgId, routingFormId, responseId, body))


# -- team of the organization -------------------------------------------------------------------


@router.get(
    "/teams/{teamId}/routing-forms",
    tags=["Orgs / Teams / Routing forms"],
    operation_id="OrganizationsTeamsRoutingFormsController_getTeamRoutingForms",
    summary="Get team routing forms",
    response_model=GetRoutingFormsOutput,
)
async def get_team_forms(
    db: Db, orgId: IntId, teamId: IntId, filters: Filters, _: Authorized = Requires("TEAM_ADMIN", "routingForm.read")
) -> Any:
    return success(await service.team_forms(db, teamId, filters))


@router.get(
    "/teams/{teamId}/routing-forms/{routingFormId}/responses",
    tags=["Orgs / Teams / Routing forms / Responses"],
    operation_id="OrganizationsTeamsRoutingFormsResponsesController_getRoutingFormResponses",
    summary="Get organization team routing form responses",
    response_model=GetRoutingFormResponsesOutput,
    # An answer's `identifier` is left out when its field has none, as in Cal.com.
    response_model_exclude_unset=True,
)
async def get_team_form_responses(
    db: Db,
    orgId: IntId,
    teamId: IntId,
    routingFormId: str,
    filters: Filters,
    _: Authorized = Requires("TEAM_ADMIN", "routingForm.read"),
) -> Any:
    return success(await service.team_form_responses(db, teamId, routingFormId, filters))


@router.post(
    "/teams/{teamId}/routing-forms/{routingFormId}/responses",
    tags=["Orgs / Teams / Routing forms / Responses"],
    operation_id="OrganizationsTeamsRoutingFormsResponsesController_createRoutingFormResponse",
    summary="Create routing form response and get available slots",
    status_code=201,
    response_model=CreateRoutingFormResponseOutput,
    response_model_exclude_unset=True,
)
async def create_team_form_response(
    _: Annotated[Authorized, Requires("TEAM_MEMBER", "routingForm.create")],
    db: Db,
    orgId: IntId,
    teamId: IntId,
    routingFormId: str,
    query: CreateQuery,
    answers: Answers = None,
) -> Any:
    return success(await service.create_team_form_response(db, teamId, routingFormId, answers or {}, query))


@router.patch(
    "/teams/{teamId}/routing-forms/{routingFormId}/responses/{responseId}",
    tags=["Orgs / Teams / Routing forms / Responses"],
    operation_id="OrganizationsTeamsRoutingFormsResponsesController_updateRoutingFormResponse",
    summary="Update routing form response",
    response_model=UpdateRoutingFormResponseOutput,
    response_model_exclude_unset=True,
)
async def update_team_form_response(
    db: Db,
    orgId: IntId,
    teamId: IntId,
    routingFormId: str,
    responseId: IntId,
    body: UpdateRoutingFormResponseInput,
    _: Authorized = Requires("TEAM_ADMIN", "routingForm.update"),
) -> Any:
    return success(await service.update_team_form_response(db, teamId, routingFormId, responseId, body))
