"""Schedules seen from an organization (ORG_ADMIN) or a team (TEAM_ADMIN), as in Cal.com.

No permission string is declared: Cal.com's `availability.*` are not among those a custom role can hold.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opencal.core.context import Db
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.schedules import service
from opencal.schedules.schemas import (
    CreateScheduleInput_2024_06_11,
    CreateScheduleOutput_2024_06_11,
    DeleteScheduleOutput_2024_06_11,
    GetScheduleOutput_2024_06_11,
    GetSchedulesOutput_2024_06_11,
    UpdateScheduleInput_2024_06_11,
    UpdateScheduleOutput_2024_06_11,
)

router = APIRouter(prefix="/v2/organizations/{orgId}")
teams_router = APIRouter(prefix="/v2/teams/{teamId}/schedules", tags=["Teams / Schedules"])
Page = Annotated[SkipTake, Depends(skip_take_params(250))]
EventTypeFilter = Annotated[IntId | None, Query(description="Filter schedules by event type ID")]
USER_SCHEDULES = "Orgs / Users / Schedules"


@router.get(
    "/schedules",
    tags=["Orgs / Schedules"],
    operation_id="OrganizationsSchedulesController_getOrganizationSchedules",
    summary="Get all schedules",
    response_model=GetSchedulesOutput_2024_06_11,
)
async def get_org_schedules(db: Db, orgId: IntId, page: Page, _: Authorized = Requires("ORG_ADMIN")) -> Any:
    return success(await service.org_schedules(db, orgId, page.skip, page.take))


@router.post(
    "/users/{userId}/schedules",
    tags=[USER_SCHEDULES],
    operation_id="OrganizationsSchedulesController_createUserSchedule",
    summary="Create a schedule",
    response_model=CreateScheduleOutput_2024_06_11,
    status_code=201,
)
async def create_user_schedule(
    db: Db, orgId: IntId, userId: IntId, body: CreateScheduleInput_2024_06_11, _: Authorized = Requires("ORG_ADMIN")
) -> Any:
    return success(await service.create_user_schedule(db, orgId, userId, body))


@router.get(
    "/users/{userId}/schedules",
    tags=[USER_SCHEDULES],
    operation_id="OrganizationsSchedulesController_getUserSchedules",
    summary="Get all schedules",
    response_model=GetSchedulesOutput_2024_06_11,
)
async def get_user_schedules(db: Db, orgId: IntId, userId: IntId, _: Authorized = Requires("ORG_ADMIN")) -> Any:
    return success(await service.user_schedules(db, orgId, userId))


@router.get(
    "/users/{userId}/schedules/{scheduleId}",
    tags=[USER_SCHEDULES],
    operation_id="OrganizationsSchedulesController_getUserSchedule",
    summary="Get a schedule",
    response_model=GetScheduleOutput_2024_06_11,
)
async def get_user_schedule(
    db: Db, orgId: IntId, userId: IntId, scheduleId: IntId, _: Authorized = Requires("ORG_ADMIN")
) -> Any:
    return success(await service.user_schedule(db, orgId, userId, scheduleId))


@router.patch(
    "/users/{userId}/schedules/{scheduleId}",
    tags=[USER_SCHEDULES],
    operation_id="OrganizationsSchedulesController_updateUserSchedule",
    summary="Update a schedule",
    response_model=UpdateScheduleOutput_2024_06_11,
)
async def update_user_schedule(
    db: Db,
    orgId: IntId,
    userId: IntId,
    scheduleId: IntId,
    body: UpdateScheduleInput_2024_06_11,
    _: Authorized = Requires("ORG_ADMIN"),
) -> Any:
    return success(await service.update_user_schedule(db, orgId, userId, scheduleId, body))


@router.delete(
    "/users/{userId}/schedules/{scheduleId}",
    tags=[USER_SCHEDULES],
    operation_id="OrganizationsSchedulesController_deleteUserSchedule",
    summary="Delete a schedule",
    response_model=DeleteScheduleOutput_2024_06_11,
)
async def delete_user_schedule(
    db: Db, orgId: IntId, userId: IntId, scheduleId: IntId, _: Authorized = Requires("ORG_ADMIN")
) -> Any:
    await service.delete_user_schedule(db, orgId, userId, scheduleId)
    return success()


@router.get(
    "/teams/{teamId}/schedules",
    tags=["Orgs / Teams / Schedules"],
    operation_id="OrganizationsTeamsSchedulesController_getTeamSchedules",
    summary="Get all team member schedules",
    response_model=GetSchedulesOutput_2024_06_11,
)
async def get_org_team_schedules(
    db: Db,
    orgId: IntId,
    teamId: IntId,
    page: Page,
    eventTypeId: EventTypeFilter = None,
    _: Authorized = Requires("TEAM_ADMIN"),
) -> Any:
    return success(await service.team_schedules(db, teamId, skip=page.skip, take=page.take, event_type_id=eventTypeId))


@router.get(
    "/teams/{teamId}/users/{userId}/schedules",
    tags=["Orgs / Teams / Users / Schedules"],
    operation_id="OrganizationsTeamsSchedulesController_getUserSchedules",
    summary="Get schedules of a team member",
    response_model=GetSchedulesOutput_2024_06_11,
)
async def get_org_team_member_schedules(
    db: Db,
    orgId: IntId,
    teamId: IntId,
    userId: IntId,
    eventTypeId: EventTypeFilter = None,
    _: Authorized = Requires("TEAM_ADMIN"),
) -> Any:
    return success(await service.team_member_schedules(db, teamId, userId, eventTypeId))


@teams_router.get(
    "",
    operation_id="TeamsSchedulesController_getTeamSchedules",
    summary="Get all team member schedules",
    response_model=GetSchedulesOutput_2024_06_11,
)
async def get_team_schedules(db: Db, teamId: IntId, page: Page, _: Authorized = Requires("TEAM_ADMIN")) -> Any:
    return success(await service.team_schedules(db, teamId, skip=page.skip, take=page.take))
