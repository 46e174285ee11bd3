from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from opencal.core.auth import Principal
from opencal.core.context import Db
from opencal.core.envelope import success
from opencal.core.params import IntId
from opencal.core.versioning import V2024_06_11, VersionedRoute, versions
from opencal.platform.permissions import Permission, require_permission
from opencal.schedules import service
from opencal.schedules.schemas import (
    CreateScheduleInput_2024_06_11,
    CreateScheduleOutput_2024_06_11,
    DeleteScheduleOutput_2024_06_11,
    GetDefaultScheduleOutput_2024_06_11,
    GetScheduleOutput_2024_06_11,
    GetSchedulesOutput_2024_06_11,
    GetTimeZonesOutput,
    UpdateScheduleInput_2024_06_11,
    UpdateScheduleOutput_2024_06_11,
)

router = APIRouter(prefix="/v2/schedules", tags=["Schedules"], route_class=VersionedRoute)
timezones_router = APIRouter(prefix="/v2/timezones", tags=["Timezones"], route_class=VersionedRoute)

ScheduleReader = Annotated[Principal, require_permission(Permission.SCHEDULE_READ)]
ScheduleWriter = Annotated[Principal, require_permission(Permission.SCHEDULE_WRITE)]
VERSION = versions(V2024_06_11)


@router.post(
    "",
    operation_id="SchedulesController_2024_06_11_createSchedule",
    summary="Create a schedule",
    description="Create a schedule for the authenticated user. Without `availability` the schedule is Monday to "
    "Friday from 09:00 to 17:00; `isDefault: true` makes it the user's default schedule.",
    response_model=CreateScheduleOutput_2024_06_11,
    status_code=201,
    openapi_extra=VERSION,
)
async def create_schedule(db: Db, principal: ScheduleWriter, body: CreateScheduleInput_2024_06_11) -> Any:
    return success(await service.create_for_user(db, principal.user_id, body))


@router.get(
    "",
    operation_id="SchedulesController_2024_06_11_getSchedules",
    summary="Get all schedules",
    description="Get all schedules of the authenticated user.",
    response_model=GetSchedulesOutput_2024_06_11,
    openapi_extra=VERSION,
)
async def get_schedules(db: Db, principal: ScheduleReader) -> Any:
    return success(await service.list_for_user(db, principal.user_id))


@router.get(
    "/default",
    operation_id="SchedulesController_2024_06_11_getDefaultSchedule",
    summary="Get default schedule",
    description="Get the default schedule of the authenticated user.",
    response_model=GetDefaultScheduleOutput_2024_06_11,
    openapi_extra=VERSION,
)
async def get_default_schedule(db: Db, principal: ScheduleReader) -> Any:
    # `data` is null, not absent, when the user has no default schedule.
    return {"status": "success", "data": await service.default_for_user(db, principal.user_id)}


@router.get(
    "/{scheduleId}",
    operation_id="SchedulesController_2024_06_11_getSchedule",
    summary="Get a schedule",
    response_model=GetScheduleOutput_2024_06_11,
    openapi_extra=VERSION,
)
async def get_schedule(db: Db, principal: ScheduleReader, scheduleId: IntId) -> Any:
    return success(await service.get_for_user(db, principal.user_id, scheduleId))


@router.patch(
    "/{scheduleId}",
    operation_id="SchedulesController_2024_06_11_updateSchedule",
    summary="Update a schedule",
    description="Fields left out keep their value; `availability: []` and `overrides: []` empty them.",
    response_model=UpdateScheduleOutput_2024_06_11,
    openapi_extra=VERSION,
)
async def update_schedule(
    db: Db, principal: ScheduleWriter, scheduleId: IntId, body: UpdateScheduleInput_2024_06_11
) -> Any:
    return success(await service.update_for_user(db, principal.user_id, scheduleId, body))


@router.delete(
    "/{scheduleId}",
    operation_id="SchedulesController_2024_06_11_deleteSchedule",
    summary="Delete a schedule",
    response_model=DeleteScheduleOutput_2024_06_11,
    openapi_extra=VERSION,
)
async def delete_schedule(db: Db, principal: ScheduleWriter, scheduleId: IntId) -> Any:
    await service.delete_for_user(db, principal.user_id, scheduleId)
    return success()


# Served by the 2024 document, dropped from the current one: kept for the clients that still call it.
@timezones_router.get(
    "",
    operation_id="TimezonesController_getTimeZones",
    summary="Get all timezones",
    response_model=GetTimeZonesOutput,
    include_in_schema=False,
)
async def get_time_zones() -> Any:
    return success(service.city_time_zones())
