"""`Bookings` and `Bookings / Guests` (cal-api-version 2024-08-13).

Answers are built by the services and returned as they are; the response models document them.
The booker's own slot hold, if any, comes in the `uid` cookie set when the slot was reserved.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse

from opencal.bookings import lifecycle, links, service
from opencal.bookings.listing import BookingFilters, Direction, ListStatus, list_bookings, parse_ids
from opencal.bookings.schemas import (
    AddGuestsInput_2024_08_13,
    AddGuestsOutput_2024_08_13,
    BookingReferencesOutput_2024_08_13,
    CalendarLinksOutput_2024_08_13,
    CancelBookingBody,
    CancelBookingOutput_2024_08_13,
    CreateBookingBody,
    CreateBookingOutput_2024_08_13,
    DeclineBookingInput_2024_08_13,
    GetBookingOutput_2024_08_13,
    GetBookingsOutput_2024_08_13,
    MarkAbsentBookingInput_2024_08_13,
    MarkAbsentBookingOutput_2024_08_13,
    ReferenceType,
    RescheduleBookingBody,
    RescheduleBookingOutput_2024_08_13,
    UpdateBookingLocationInput_2024_08_13,
    UpdateBookingLocationOutput_2024_08_13,
)
from opencal.conferencing import service as cal_video
from opencal.conferencing.rooms import CalVideoProvider
from opencal.conferencing.schemas import (
    GetBookingRecordingsOutput,
    GetBookingTranscriptsOutput,
    GetBookingVideoSessionsOutput,
)
from opencal.core.auth import OptionalPrincipal, Principal
from opencal.core.context import Db
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import CsvList
from opencal.core.versioning import V2024_08_13, VersionedRoute, versions
from opencal.platform.permissions import Permission, require_permission

# Routes are created versioned: they answer only to `cal-api-version: 2024-08-13`.
router = APIRouter(prefix="/v2/bookings", tags=["Bookings"], route_class=VersionedRoute)
guests_router = APIRouter(prefix="/v2/bookings", tags=["Bookings / Guests"], route_class=VersionedRoute)

VERSION = versions(V2024_08_13)
NEW_ENDPOINT_VERSION = versions(
    V2024_08_13,
    required_description="Must be set to 2024-08-13. This header is required as this endpoint does not exist in "
    "older API versions.",
)
HOLD_COOKIE = "uid"
Reader = Annotated[Principal, require_permission(Permission.BOOKING_READ)]
Writer = Annotated[Principal, require_permission(Permission.BOOKING_WRITE)]
Page = Annotated[SkipTake, Depends(skip_take_params(100))]
Sort = Annotated[Direction | None, Query()]


def _answer(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(success(data), status_code=status_code)


@router.post(
    "",
    operation_id="BookingsController_2024_08_13_createBooking",
    summary="Create a booking",
    description="POST /v2/bookings creates a regular booking, a recurring booking (an array, when the event type "
    "is recurring) or a seat in a seated booking. Book a user's event type with `eventTypeId`, or `eventTypeSlug` "
    "+ `username` (+ `organizationSlug`); a team's with `eventTypeId`, or `eventTypeSlug` + `teamSlug` "
    "(+ `organizationSlug`). `start` is in UTC.",
    status_code=201,
    response_model=CreateBookingOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def create_booking(
    request: Request,
    db: Db,
    principal: OptionalPrincipal,
    video: CalVideoProvider,
    body: Annotated[
        CreateBookingBody,
        Body(
            description="Accepts different types of booking input: Create Booking (Option 1), Create Instant Booking "
            "(Option 2), or Create Recurring Booking (Option 3)"
        ),
    ],
) -> JSONResponse:
    data = await service.create_booking(db, body, principal, own_hold_uid=request.cookies.get(HOLD_COOKIE), video=video)
    return _answer(data, 201)


@router.get(
    "",
    operation_id="BookingsController_2024_08_13_getBookings",
    summary="Get all bookings",
    response_model=GetBookingsOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def get_bookings(
    db: Db,
    principal: Reader,
    page: Page,
    status: Annotated[
        list[ListStatus] | None,
        CsvList,
        Query(
            description="Filter bookings by status. If you want to filter by multiple statuses, separate them with a "
            "comma."
        ),
    ] = None,
    attendeeEmail: Annotated[str | None, Query(description="Filter bookings by the attendee's email address.")] = None,
    attendeeName: Annotated[str | None, Query(description="Filter bookings by the attendee's name.")] = None,
    bookingUid: Annotated[str | None, Query(description="Filter bookings by the booking Uid.")] = None,
    eventTypeIds: Annotated[
        str | None,
        Query(
            description="Filter bookings by event type ids belonging to the user. Event type ids must be separated by "
            "a comma."
        ),
    ] = None,
    eventTypeId: Annotated[
        str | None, Query(description="Filter bookings by event type id belonging to the user.")
    ] = None,
    teamsIds: Annotated[
        str | None,
        Query(description="Filter bookings by team ids that user is part of. Team ids must be separated by a comma."),
    ] = None,
    teamId: Annotated[str | None, Query(description="Filter bookings by team id that user is part of")] = None,
    afterStart: Annotated[str | None, Query(description="Filter bookings with start after this date string.")] = None,
    beforeEnd: Annotated[str | None, Query(description="Filter bookings with end before this date string.")] = None,
    afterCreatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been created after this date string.")
    ] = None,
    beforeCreatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been created before this date string.")
    ] = None,
    afterUpdatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been updated after this date string.")
    ] = None,
    beforeUpdatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been updated before this date string.")
    ] = None,
    sortStart: Sort = None,
    sortEnd: Sort = None,
    sortCreated: Sort = None,
    sortUpdatedAt: Sort = None,
) -> JSONResponse:
    sorts = [
        (key, direction)
        for key, direction in (
            ("start", sortStart),
            ("end", sortEnd),
            ("created", sortCreated),
            ("updated", sortUpdatedAt),
        )
        if direction is not None
    ]
    filters = BookingFilters(
        statuses=status or [],
        attendee_email=attendeeEmail,
        attendee_name=attendeeName,
        booking_uid=bookingUid,
        event_type_ids=parse_ids(eventTypeIds, "eventTypeIds") or parse_ids(eventTypeId, "eventTypeId"),
        team_ids=parse_ids(teamsIds, "teamsIds") or parse_ids(teamId, "teamId"),
        after_start=afterStart,
        before_end=beforeEnd,
        after_created=afterCreatedAt,
        before_created=beforeCreatedAt,
        after_updated=afterUpdatedAt,
        before_updated=beforeUpdatedAt,
        sorts=sorts,  # type: ignore[arg-type]
    )
    data, pagination = await list_bookings(db, principal, filters, skip=page.skip, take=page.take)
    return JSONResponse(success(data, pagination=pagination))


@router.get(
    "/{bookingUid}",
    operation_id="BookingsController_2024_08_13_getBooking",
    summary="Get a booking",
    description="`bookingUid` can be the uid of a booking, of one occurrence of a recurring booking, or the "
    "recurring booking uid, which returns every occurrence.",
    response_model=GetBookingOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def get_booking(db: Db, principal: OptionalPrincipal, bookingUid: str) -> JSONResponse:
    return _answer(await service.get_booking(db, bookingUid, principal))


@router.post(
    "/{bookingUid}/reschedule",
    operation_id="BookingsController_2024_08_13_rescheduleBooking",
    summary="Reschedule a booking",
    description="Reschedule a booking or seated booking",
    status_code=201,
    response_model=RescheduleBookingOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def reschedule_booking(
    request: Request,
    db: Db,
    principal: OptionalPrincipal,
    video: CalVideoProvider,
    bookingUid: str,
    body: Annotated[
        RescheduleBookingBody,
        Body(
            description="Accepts different types of reschedule booking input: Reschedule Booking (Option 1) or "
            "Reschedule Seated Booking (Option 2)."
        ),
    ],
) -> JSONResponse:
    data = await service.reschedule_booking(
        db, bookingUid, body, principal, own_hold_uid=request.cookies.get(HOLD_COOKIE), video=video
    )
    return _answer(data, 201)


@router.post(
    "/{bookingUid}/cancel",
    operation_id="BookingsController_2024_08_13_cancelBooking",
    summary="Cancel a booking",
    description=":bookingUid can be the uid of a booking, of one occurrence, or of a recurring booking to cancel "
    "all its occurrences still to come. A seat of a seated booking is cancelled with `seatUid`.",
    response_model=CancelBookingOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def cancel_booking(
    db: Db,
    principal: OptionalPrincipal,
    bookingUid: str,
    body: Annotated[
        CancelBookingBody,
        Body(
            description="Accepts different types of cancel booking input: Cancel Booking (Option 1 which is for "
            "normal or recurring bookings) or Cancel Seated Booking (Option 2 which is for seated bookings)"
        ),
    ],
) -> JSONResponse:
    return _answer(await lifecycle.cancel_booking(db, bookingUid, body, principal))


@router.post(
    "/{bookingUid}/mark-absent",
    operation_id="BookingsController_2024_08_13_markNoShow",
    summary="Mark a booking absence",
    description="The provided authorization header refers to the owner of the booking.",
    response_model=MarkAbsentBookingOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def mark_absent(
    db: Db, principal: Writer, bookingUid: str, body: MarkAbsentBookingInput_2024_08_13
) -> JSONResponse:
    return _answer(await lifecycle.mark_absent(db, bookingUid, principal, body))


@router.post(
    "/{bookingUid}/confirm",
    operation_id="BookingsController_2024_08_13_confirmBooking",
    summary="Confirm a booking",
    description="The provided authorization header refers to the owner of the booking.",
    response_model=GetBookingOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def confirm_booking(db: Db, principal: Writer, bookingUid: str, video: CalVideoProvider) -> JSONResponse:
    return _answer(await lifecycle.confirm_booking(db, bookingUid, principal, video=video))


@router.post(
    "/{bookingUid}/decline",
    operation_id="BookingsController_2024_08_13_declineBooking",
    summary="Decline a booking",
    description="The provided authorization header refers to the owner of the booking.",
    response_model=GetBookingOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def decline_booking(
    db: Db, principal: Writer, bookingUid: str, body: DeclineBookingInput_2024_08_13
) -> JSONResponse:
    return _answer(await lifecycle.decline_booking(db, bookingUid, principal, body.reason))


@router.get(
    "/{bookingUid}/calendar-links",
    operation_id="BookingsController_2024_08_13_getCalendarLinks",
    summary="Get 'Add to Calendar' links for a booking",
    description="Links for Google Calendar, Microsoft Office, Microsoft Outlook, and a downloadable ICS file.",
    response_model=CalendarLinksOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def get_calendar_links(db: Db, principal: Reader, bookingUid: str) -> JSONResponse:
    return _answer(await links.get_calendar_links(db, bookingUid))


@router.get(
    "/{bookingUid}/references",
    operation_id="BookingsController_2024_08_13_getBookingReferences",
    summary="Get booking references",
    response_model=BookingReferencesOutput_2024_08_13,
    openapi_extra=VERSION,
)
async def get_booking_references(
    db: Db,
    principal: Reader,
    bookingUid: str,
    type: Annotated[ReferenceType | None, Query(description="Filter booking references by type")] = None,
) -> JSONResponse:
    return _answer(await links.get_references(db, bookingUid, principal, type))


@router.get(
    "/{bookingUid}/recordings",
    operation_id="BookingsController_2024_08_13_getBookingRecordings",
    summary="Get all the recordings for the booking",
    description="Fetches all the recordings for the booking `:bookingUid`. Requires authentication and proper "
    "authorization. Access is granted if you are the booking organizer, team admin or org admin/owner.",
    response_model=GetBookingRecordingsOutput,
    openapi_extra=VERSION,
)
async def get_booking_recordings(db: Db, principal: Reader, video: CalVideoProvider, bookingUid: str) -> JSONResponse:
    return _answer(await cal_video.get_recordings(db, video, bookingUid, principal))


@router.get(
    "/{bookingUid}/transcripts",
    operation_id="BookingsController_2024_08_13_getBookingTranscripts",
    summary="Get Cal Video real time transcript download links for the booking",
    description="Fetches all the transcript download links for the booking `:bookingUid`. Transcripts are "
    'generated when clicking "Transcribe" during a Cal Video meeting. Download links are valid for 1 hour only - '
    "make a new request to generate fresh links after expiration.",
    response_model=GetBookingTranscriptsOutput,
    openapi_extra=VERSION,
)
async def get_booking_transcripts(db: Db, principal: Reader, video: CalVideoProvider, bookingUid: str) -> JSONResponse:
    return _answer(await cal_video.get_transcripts(db, video, bookingUid, principal))


@router.get(
    "/{bookingUid}/conferencing-sessions",
    operation_id="BookingsController_2024_08_13_getVideoSessions",
    summary="Get Video Meeting Sessions. Only supported for Cal Video",
    description="Requires authentication and proper authorization. Access is granted if you are the booking "
    "organizer, team admin or org admin/owner.",
    response_model=GetBookingVideoSessionsOutput,
    openapi_extra=VERSION,
)
async def get_video_sessions(db: Db, principal: Reader, video: CalVideoProvider, bookingUid: str) -> JSONResponse:
    return _answer(await cal_video.get_video_sessions(db, video, bookingUid, principal))


@router.patch(
    "/{bookingUid}/location",
    operation_id="BookingLocationController_2024_08_13_updateBookingLocation",
    summary="Update booking location for an existing booking",
    description="Updates the location stored with the booking.",
    response_model=UpdateBookingLocationOutput_2024_08_13,
    openapi_extra=NEW_ENDPOINT_VERSION,
)
async def update_booking_location(
    db: Db, principal: Writer, bookingUid: str, body: UpdateBookingLocationInput_2024_08_13
) -> JSONResponse:
    return _answer(await lifecycle.update_location(db, bookingUid, principal, body))


@guests_router.post(
    "/{bookingUid}/guests",
    operation_id="BookingGuestsController_2024_08_13_addGuests",
    summary="Add guests to an existing booking",
    description="Add one or more guests to an existing booking. Maximum 10 guests per request, with a limit of 30 "
    "total guests per booking.",
    response_model=AddGuestsOutput_2024_08_13,
    openapi_extra=NEW_ENDPOINT_VERSION,
)
async def add_guests(db: Db, principal: Writer, bookingUid: str, body: AddGuestsInput_2024_08_13) -> JSONResponse:
    return _answer(await lifecycle.add_guests(db, bookingUid, principal, body))
