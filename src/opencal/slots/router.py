"""`Slots` (cal-api-version 2024-09-04) and the legacy slot operations agent toolkits still call."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from opencal.core.auth import OptionalPrincipal
from opencal.core.context import Db
from opencal.core.envelope import success
from opencal.core.versioning import (
    V2024_04_15,
    V2024_06_11,
    V2024_06_14,
    V2024_08_13,
    V2024_09_04,
    VersionedRoute,
    versions,
)
from opencal.slots import service
from opencal.slots.query import parse_legacy_query, parse_slots_query
from opencal.slots.schemas import (
    GetReservedSlotOutput_2024_09_04,
    ReserveSlotInput_2024_04_15,
    ReserveSlotInput_2024_09_04,
    ReserveSlotOutputResponse_2024_09_04,
)

router = APIRouter(prefix="/v2/slots", tags=["Slots"], route_class=VersionedRoute)
LEGACY_VERSIONS = (V2024_04_15, V2024_06_11, V2024_06_14, V2024_08_13)


def _reservation(body: ReserveSlotInput_2024_09_04) -> service.ReservationRequest:
    return service.ReservationRequest(
        event_type_id=body.eventTypeId,
        slot_start=body.start(),
        slot_duration=body.slotDuration,
        reservation_duration=body.reservationDuration,
    )


@router.get(
    "",
    operation_id="SlotsController_2024_09_04_getAvailableSlots",
    summary="Get available time slots for an event type",
    openapi_extra=versions(V2024_09_04),
    response_model=None,
)
async def get_available_slots(
    request: Request,
    db: Db,
    start: Annotated[str, Query(description="ISO 8601 date or date-time (UTC) from which slots are checked")],
    end: Annotated[str, Query(description="ISO 8601 date or date-time (UTC) until which slots are checked")],
    bookingUidToReschedule: Annotated[str | None, Query()] = None,
    organizationSlug: Annotated[str | None, Query()] = None,
    teamSlug: Annotated[str | None, Query()] = None,
    username: Annotated[str | None, Query()] = None,
    eventTypeSlug: Annotated[str | None, Query()] = None,
    eventTypeId: Annotated[float | None, Query()] = None,
    usernames: Annotated[str | None, Query(description="Comma-separated usernames of a dynamic group")] = None,
    format: Annotated[str | None, Query(description="'time' (default) or 'range'")] = None,
    duration: Annotated[float | None, Query()] = None,
    timeZone: Annotated[str | None, Query(description="Output time zone; UTC when absent")] = None,
) -> Response:
    # The declared parameters document the operation; the strict parser reads the raw query so that
    # an unknown parameter is refused, as Cal.com does here.
    parsed = parse_slots_query(dict(request.query_params))
    _subject, slots, _length = await service.available_slots(db, parsed)
    return JSONResponse(success(service.slots_output(slots, parsed.time_zone, parsed.range_format)))


@router.post(
    "/reservations",
    operation_id="SlotsController_2024_09_04_reserveSlot",
    summary="Reserve a slot",
    status_code=201,
    openapi_extra=versions(V2024_09_04),
    response_model=ReserveSlotOutputResponse_2024_09_04,
)
async def reserve_slot(db: Db, principal: OptionalPrincipal, body: ReserveSlotInput_2024_09_04) -> Any:
    return success(await service.reserve(db, _reservation(body), principal))


@router.get(
    "/reservations/{uid}",
    operation_id="SlotsController_2024_09_04_getReservedSlot",
    summary="Get reserved slot",
    openapi_extra=versions(V2024_09_04),
    response_model=GetReservedSlotOutput_2024_09_04,
)
async def get_reserved_slot(db: Db, uid: str) -> Any:
    return {"status": "success", "data": await service.get_reservation(db, uid)}


@router.patch(
    "/reservations/{uid}",
    operation_id="SlotsController_2024_09_04_updateReservedSlot",
    summary="Update a reserved slot",
    openapi_extra=versions(V2024_09_04),
    response_model=ReserveSlotOutputResponse_2024_09_04,
)
async def update_reserved_slot(
    db: Db, principal: OptionalPrincipal, uid: str, body: ReserveSlotInput_2024_09_04
) -> Any:
    return success(await service.update_reservation(db, uid, _reservation(body), principal))


@router.delete(
    "/reservations/{uid}",
    operation_id="SlotsController_2024_09_04_deleteReservedSlot",
    summary="Delete a reserved slot",
    openapi_extra=versions(V2024_09_04),
    response_model=None,
)
async def delete_reserved_slot(db: Db, uid: str) -> Any:
    await service.delete_reservation(db, uid)
    return {"status": "success"}


# -- legacy (2024-04-15 and the versions before 2024-09-04): not in the current document ---------


@router.get(
    "/available",
    operation_id="SlotsController_getAvailableSlots",
    summary="Get available slots",
    openapi_extra=versions(*LEGACY_VERSIONS),
    response_model=None,
)
async def get_available_slots_legacy(request: Request, db: Db) -> Response:
    params = {key: ",".join(request.query_params.getlist(key)) for key in request.query_params}
    parsed = parse_legacy_query(params)
    _subject, slots, _length = await service.available_slots(
        db, parsed, exclude_reservation_uid=request.cookies.get("uid")
    )
    return JSONResponse(success({"slots": service.legacy_slots_output(slots, parsed.time_zone, parsed.range_format)}))


@router.post(
    "/reserve",
    operation_id="SlotsController_reserveSlot",
    summary="Reserve a slot",
    status_code=201,
    openapi_extra=versions(*LEGACY_VERSIONS),
    response_model=None,
)
async def reserve_slot_legacy(
    request: Request, db: Db, principal: OptionalPrincipal, body: ReserveSlotInput_2024_04_15
) -> Response:
    uid = await service.reserve_legacy(db, body, principal, request.cookies.get("uid"))
    response = JSONResponse(success(uid), status_code=201)
    response.set_cookie("uid", uid)
    return response


@router.delete(
    "/selected-slot",
    operation_id="SlotsController_deleteSelectedSlot",
    summary="Delete a selected slot",
    openapi_extra=versions(*LEGACY_VERSIONS),
    response_model=None,
)
async def delete_selected_slot_legacy(request: Request, db: Db, uid: Annotated[str | None, Query()] = None) -> Any:
    chosen = request.cookies.get("uid") or uid
    if chosen:
        await service.delete_reservation(db, chosen)
    return {"status": "success"}
