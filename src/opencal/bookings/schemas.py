"""DTOs of the `Bookings` and `Bookings / Guests` tags (cal-api-version 2024-08-13).

Class names are the official component names. Request bodies that the official document gives as
`oneOf` (create, cancel, reschedule) are unions whose member is chosen from the keys sent: an error
names the member it was read as and the field (`CreateBookingInput_2024_08_13.attendee.timeZone:
Field required`). Output classes document the answers; the service builds them as plain dicts.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import Discriminator, Field, StrictBool, StrictInt, StrictStr, Tag, field_validator

from opencal.core.envelope import CalModel, PaginationMetaDto, SuccessEnvelope
from opencal.me.schemas import Locale
from opencal.users.validation import is_valid_time_zone

_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
MAX_ID = 2**31 - 1  # integer ids are 32-bit in the database
MAX_NAME_LENGTH = 255


def is_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _email(value: str | None, field: str) -> str | None:
    if value is not None and not is_email(value):
        raise ValueError(f"{field} must be an email, got '{value}'")
    return value


def _phone(value: str | None, field: str) -> str | None:
    if value is not None and not _PHONE.fullmatch(value):
        raise ValueError(f"{field} must be a phone number in international format (+<country code><number>)")
    return value


def _time_zone(value: str | None, field: str) -> str | None:
    if value is not None and not is_valid_time_zone(value):
        raise ValueError(f"{field} must be a valid IANA time zone, got '{value}'")
    return value


def _keys(value: Any) -> set[str]:
    """The fields a body (a dict, or a model when serializing) carries; none for anything else, which
    then fails validation against the first member with a clear message."""
    if isinstance(value, dict):
        return set(value)
    if isinstance(value, CalModel):
        return {name for name in type(value).model_fields if getattr(value, name) is not None}
    return set()


# -- locations ------------------------------------------------------------------------------------

BookingIntegration = Literal[
    "cal-video",
    "google-meet",
    "zoom",
    "whereby-video",
    "whatsapp-video",
    "webex-video",
    "telegram-video",
    "tandem",
    "sylaps-video",
    "skype-video",
    "sirius-video",
    "signal-video",
    "shimmer-video",
    "salesroom-video",
    "roam-video",
    "riverside-video",
    "ping-video",
    "office365-video",
    "mirotalk-video",
    "jitsi",
    "jelly-video",
    "jelly-conferencing",
    "huddle",
    "facetime-video",
    "element-call-video",
    "eightxeight-video",
    "discord-video",
    "demodesk-video",
    "campfire-video",
]


class BookingInputAddressLocation_2024_08_13(CalModel):
    type: Literal["address"] = Field(
        description="only allowed value for type is `address` - it refers to address defined by the organizer."
    )


class BookingInputAttendeeAddressLocation_2024_08_13(CalModel):
    type: Literal["attendeeAddress"] = Field(description="only allowed value for type is `attendeeAddress`")
    address: StrictStr = Field(examples=["123 Example St, City, Country"])


class BookingInputAttendeeDefinedLocation_2024_08_13(CalModel):
    type: Literal["attendeeDefined"] = Field(description="only allowed value for type is `attendeeDefined`")
    location: StrictStr = Field(examples=["321 Example St, City, Country"])


class BookingInputAttendeePhoneLocation_2024_08_13(CalModel):
    type: Literal["attendeePhone"] = Field(description="only allowed value for type is `attendeePhone`")
    phone: StrictStr = Field(examples=["+37120993151"])


class BookingInputIntegrationLocation_2024_08_13(CalModel):
    type: Literal["integration"] = Field(description="only allowed value for type is `integration`")
    integration: BookingIntegration = Field(examples=["cal-video"])


class BookingInputLinkLocation_2024_08_13(CalModel):
    type: Literal["link"] = Field(
        description="only allowed value for type is `link` - it refers to link defined by the organizer."
    )


class BookingInputPhoneLocation_2024_08_13(CalModel):
    type: Literal["phone"] = Field(
        description="only allowed value for type is `phone` - it refers to phone defined by the organizer."
    )


class BookingInputOrganizersDefaultAppLocation_2024_08_13(CalModel):
    type: Literal["organizersDefaultApp"] = Field(
        description="only available for team event types and the only allowed value for type is "
        "`organizersDefaultApp` - it refers to the default app defined by the organizer."
    )


BookingInputLocation_2024_08_13 = Annotated[
    BookingInputAddressLocation_2024_08_13
    | BookingInputAttendeeAddressLocation_2024_08_13
    | BookingInputAttendeeDefinedLocation_2024_08_13
    | BookingInputAttendeePhoneLocation_2024_08_13
    | BookingInputIntegrationLocation_2024_08_13
    | BookingInputLinkLocation_2024_08_13
    | BookingInputPhoneLocation_2024_08_13
    | BookingInputOrganizersDefaultAppLocation_2024_08_13,
    Field(discriminator="type"),
]


class UpdateInputAddressLocation_2024_08_13(CalModel):
    type: Literal["address"] = Field(
        description="only allowed value for type is `address` - it refers to address defined by the organizer."
    )
    address: StrictStr = Field(examples=["123 Example St, City, Country"])


class UpdateBookingInputAttendeeAddressLocation_2024_08_13(BookingInputAttendeeAddressLocation_2024_08_13):
    pass


class UpdateBookingInputAttendeeDefinedLocation_2024_08_13(BookingInputAttendeeDefinedLocation_2024_08_13):
    pass


class UpdateBookingInputAttendeePhoneLocation_2024_08_13(BookingInputAttendeePhoneLocation_2024_08_13):
    pass


class UpdateBookingInputLinkLocation_2024_08_13(CalModel):
    type: Literal["link"] = Field(
        description="only allowed value for type is `link` - it refers to link defined by the organizer."
    )
    link: StrictStr = Field(examples=["https://meet.google.com/txi-fein-xyz"])


class UpdateBookingInputPhoneLocation_2024_08_13(CalModel):
    type: Literal["phone"] = Field(
        description="only allowed value for type is `phone` - it refers to phone defined by the organizer."
    )
    phone: StrictStr = Field(examples=["+37120993151"])


UpdateBookingLocation_2024_08_13 = Annotated[
    UpdateInputAddressLocation_2024_08_13
    | UpdateBookingInputAttendeeAddressLocation_2024_08_13
    | UpdateBookingInputAttendeeDefinedLocation_2024_08_13
    | UpdateBookingInputAttendeePhoneLocation_2024_08_13
    | UpdateBookingInputLinkLocation_2024_08_13
    | UpdateBookingInputPhoneLocation_2024_08_13,
    Field(discriminator="type"),
]


# -- create ---------------------------------------------------------------------------------------


class CreateBookingAttendee(CalModel):
    name: StrictStr = Field(
        min_length=1, max_length=MAX_NAME_LENGTH, description="The name of the attendee.", examples=["John Doe"]
    )
    email: StrictStr | None = Field(
        default=None, description="The email of the attendee.", examples=["john.doe@example.com"]
    )
    timeZone: StrictStr = Field(description="The time zone of the attendee.", examples=["America/New_York"])
    phoneNumber: StrictStr | None = Field(
        default=None,
        description="The phone number of the attendee in international format.",
        examples=["+919876543210"],
    )
    language: Locale = Field(
        default="en", description="The preferred language of the attendee. Used for booking confirmation."
    )

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str | None) -> str | None:
        return _email(value, "attendee.email")

    @field_validator("phoneNumber")
    @classmethod
    def _check_phone(cls, value: str | None) -> str | None:
        return _phone(value, "attendee.phoneNumber")

    @field_validator("timeZone")
    @classmethod
    def _check_time_zone(cls, value: str) -> str:
        _time_zone(value, "attendee.timeZone")
        return value


class Routing(CalModel):
    queuedResponseId: StrictStr | None = Field(
        default=None, description="The ID of the queued form response. Only present if the form response was queued."
    )
    responseId: StrictInt | None = Field(default=None, description="The ID of the routing form response.")
    teamMemberIds: list[StrictInt] = Field(
        description="Array of team member IDs that were routed to handle this booking."
    )
    teamMemberEmail: StrictStr | None = Field(
        default=None, description="The email of the team member assigned to handle this booking."
    )
    skipContactOwner: StrictBool | None = Field(
        default=None, description="Whether to skip contact owner assignment from CRM integration."
    )
    crmAppSlug: StrictStr | None = Field(default=None, description="The CRM application slug for integration.")
    crmOwnerRecordType: StrictStr | None = Field(
        default=None, description="The CRM owner record type for contact assignment."
    )


class CreateBookingInput_2024_08_13(CalModel):
    start: StrictStr = Field(
        description="The start time of the booking in ISO 8601 format in UTC timezone.",
        examples=["2024-08-13T09:00:00Z"],
    )
    attendee: CreateBookingAttendee = Field(description="The attendee's details.")
    bookingFieldsResponses: dict[str, Any] | None = Field(
        default=None,
        description="Booking field responses consisting of an object with booking field slug as keys and user "
        "response as values for custom booking fields added by you.",
        examples=[{"customField": "customValue"}],
    )
    eventTypeId: StrictInt | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="The ID of the event type that is booked. Required unless eventTypeSlug and username are "
        "provided as an alternative to identifying the event type.",
    )
    eventTypeSlug: StrictStr | None = Field(
        default=None,
        description="The slug of the event type. Required along with username / teamSlug and optionally "
        "organizationSlug if eventTypeId is not provided.",
    )
    username: StrictStr | None = Field(
        default=None,
        description="The username of the event owner. Required along with eventTypeSlug and optionally "
        "organizationSlug if eventTypeId is not provided.",
    )
    teamSlug: StrictStr | None = Field(
        default=None,
        description="Team slug for team that owns event type for which slots are fetched. Required along with "
        "eventTypeSlug and optionally organizationSlug if the team is part of organization",
    )
    organizationSlug: StrictStr | None = Field(
        default=None,
        description="The organization slug. Optional, only used when booking with eventTypeSlug + username or "
        "eventTypeSlug + teamSlug.",
    )
    guests: list[StrictStr] | None = Field(
        default=None, description="An optional list of guest emails attending the event."
    )
    meetingUrl: StrictStr | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description="Deprecated - use 'location' instead. Meeting URL just for this booking. Displayed in email "
        "and calendar event. If not provided then cal video link will be generated.",
    )
    location: BookingInputLocation_2024_08_13 | StrictStr | None = Field(
        default=None,
        description="One of the event type locations. If instead of passing one of the location objects as "
        "required by schema you are still passing a string please use an object.",
    )
    metadata: dict[str, Any] | None = Field(
        default=None,
        description="You can store any additional data you want here. Metadata must have at most 50 keys, each "
        "key up to 40 characters, and string values up to 500 characters.",
    )
    lengthInMinutes: StrictInt | None = Field(
        default=None,
        ge=1,
        description="If it is an event type that has multiple possible lengths that attendee can pick from, you "
        "can pass the desired booking length here. If not provided then event type default length will be used "
        "for the booking.",
    )
    routing: Routing | None = Field(
        default=None,
        description="Routing information from routing forms that determined the booking assignment. Both "
        "responseId and teamMemberIds are required if provided.",
    )
    emailVerificationCode: StrictStr | None = Field(
        default=None, description="Email verification code required when event type has email verification enabled."
    )

    @field_validator("guests")
    @classmethod
    def _check_guests(cls, value: list[str] | None) -> list[str] | None:
        for guest in value or []:
            _email(guest, "guests")
        return value


class CreateInstantBookingInput_2024_08_13(CreateBookingInput_2024_08_13):
    instant: StrictBool = Field(
        description="Flag indicating if the booking is an instant booking. Only available for team events."
    )


class CreateRecurringBookingInput_2024_08_13(CreateBookingInput_2024_08_13):
    recurrenceCount: StrictInt | None = Field(
        default=None,
        ge=1,
        description="The number of recurrences. If not provided then event type recurrence count will be used. "
        "Can't be more than event type recurrence count",
    )


def _create_kind(value: Any) -> str:
    keys = _keys(value)
    if "instant" in keys:
        return "CreateInstantBookingInput_2024_08_13"
    if "recurrenceCount" in keys:
        return "CreateRecurringBookingInput_2024_08_13"
    return "CreateBookingInput_2024_08_13"


CreateBookingBody = Annotated[
    Annotated[CreateBookingInput_2024_08_13, Tag("CreateBookingInput_2024_08_13")]
    | Annotated[CreateInstantBookingInput_2024_08_13, Tag("CreateInstantBookingInput_2024_08_13")]
    | Annotated[CreateRecurringBookingInput_2024_08_13, Tag("CreateRecurringBookingInput_2024_08_13")],
    Discriminator(_create_kind),
]


# -- cancel, reschedule, confirm, decline, absent, guests, location -----------------------------


class CancelBookingInput_2024_08_13(CalModel):
    cancellationReason: StrictStr | None = Field(default=None, examples=["User requested cancellation"])
    cancelSubsequentBookings: StrictBool | None = Field(
        default=None,
        description="For recurring non-seated booking only - if true, cancel booking with the bookingUid of the "
        "individual recurrence and all recurrences that come after it.",
    )


class CancelSeatedBookingInput_2024_08_13(CalModel):
    seatUid: StrictStr = Field(description="Uid of the specific seat within booking.")
    cancellationReason: StrictStr | None = Field(default=None, examples=["User requested cancellation"])


CancelBookingBody = Annotated[
    Annotated[CancelBookingInput_2024_08_13, Tag("CancelBookingInput_2024_08_13")]
    | Annotated[CancelSeatedBookingInput_2024_08_13, Tag("CancelSeatedBookingInput_2024_08_13")],
    Discriminator(
        lambda value: (
            "CancelSeatedBookingInput_2024_08_13" if "seatUid" in _keys(value) else "CancelBookingInput_2024_08_13"
        )
    ),
]

_RESCHEDULED_BY = (
    "Email of the person who is rescheduling the booking - only needed when rescheduling a booking that requires a "
    "confirmation. If event type owner email is provided then rescheduled booking will be automatically confirmed. "
    "If attendee email or no email is passed then the event type owner will have to confirm the rescheduled booking."
)


class _RescheduledBy(CalModel):
    @field_validator("rescheduledBy", check_fields=False)
    @classmethod
    def _check_rescheduled_by(cls, value: str | None) -> str | None:
        return _email(value, "rescheduledBy")


class RescheduleBookingInput_2024_08_13(_RescheduledBy):
    start: StrictStr = Field(
        description="Start time in ISO 8601 format for the new booking", examples=["2024-08-13T10:00:00Z"]
    )
    rescheduledBy: StrictStr | None = Field(default=None, description=_RESCHEDULED_BY)
    reschedulingReason: StrictStr | None = Field(default=None, description="Reason for rescheduling the booking")
    emailVerificationCode: StrictStr | None = Field(
        default=None, description="Email verification code required when event type has email verification enabled."
    )


class RescheduleSeatedBookingInput_2024_08_13(_RescheduledBy):
    start: StrictStr = Field(
        description="Start time in ISO 8601 format for the new booking", examples=["2024-08-13T10:00:00Z"]
    )
    rescheduledBy: StrictStr | None = Field(default=None, description=_RESCHEDULED_BY)
    seatUid: StrictStr = Field(description="Uid of the specific seat within booking.")
    emailVerificationCode: StrictStr | None = Field(
        default=None, description="Email verification code required when event type has email verification enabled."
    )


RescheduleBookingBody = Annotated[
    Annotated[RescheduleBookingInput_2024_08_13, Tag("RescheduleBookingInput_2024_08_13")]
    | Annotated[RescheduleSeatedBookingInput_2024_08_13, Tag("RescheduleSeatedBookingInput_2024_08_13")],
    Discriminator(
        lambda value: (
            "RescheduleSeatedBookingInput_2024_08_13"
            if "seatUid" in _keys(value)
            else "RescheduleBookingInput_2024_08_13"
        )
    ),
]


class DeclineBookingInput_2024_08_13(CalModel):
    reason: StrictStr | None = Field(
        default=None, description="Reason for declining a booking that requires a confirmation"
    )


class MarkAbsentAttendee(CalModel):
    email: StrictStr
    absent: StrictBool


class MarkAbsentBookingInput_2024_08_13(CalModel):
    host: StrictBool | None = Field(default=None, description="Whether the host was absent")
    attendees: list[MarkAbsentAttendee] | None = None


class Guest(CalModel):
    email: StrictStr = Field(description="The email of the guest.", examples=["john.doe@example.com"])
    name: StrictStr | None = Field(default=None, max_length=MAX_NAME_LENGTH, description="The name of the guest.")
    timeZone: StrictStr | None = Field(default=None, description="The time zone of the guest.")
    phoneNumber: StrictStr | None = Field(
        default=None, description="The phone number of the guest in international format."
    )
    language: Locale = Field(
        default="en", description="The preferred language of the guest. Used for booking confirmation."
    )

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str) -> str:
        _email(value, "guests.email")
        return value

    @field_validator("phoneNumber")
    @classmethod
    def _check_phone(cls, value: str | None) -> str | None:
        return _phone(value, "guests.phoneNumber")

    @field_validator("timeZone")
    @classmethod
    def _check_time_zone(cls, value: str | None) -> str | None:
        return _time_zone(value, "guests.timeZone")


class AddGuestsInput_2024_08_13(CalModel):
    guests: list[Guest] = Field(
        min_length=1, max_length=10, description="Array of guests to add to the booking. Maximum 10 guests per request."
    )


class UpdateBookingLocationInput_2024_08_13(CalModel):
    location: UpdateBookingLocation_2024_08_13 | None = Field(
        default=None,
        description="One of the event type locations. If instead of passing one of the location objects as "
        "required by schema you are still passing a string please use an object.",
    )


# -- outputs --------------------------------------------------------------------------------------

BookingStatus = Literal["cancelled", "accepted", "rejected", "pending"]


class BookingHost(CalModel):
    id: int
    name: str | None
    email: str
    displayEmail: str = Field(description="Clean email for display purposes")
    username: str
    timeZone: str


class EventType(CalModel):
    id: int
    slug: str


class BookingAttendee(CalModel):
    name: str
    email: str
    displayEmail: str = Field(description="Clean email for display purposes")
    timeZone: str
    language: Locale | None = None
    absent: bool
    phoneNumber: str | None = None


class SeatedAttendee(BookingAttendee):
    seatUid: str
    bookingFieldsResponses: dict[str, Any] = Field(
        description="Booking field responses consisting of an object with booking field slug as keys and user "
        "response as values."
    )
    metadata: dict[str, Any] | None = None


class _BookingOutputBase(CalModel):
    id: int
    uid: str
    title: str
    description: str
    hosts: list[BookingHost]
    status: BookingStatus
    cancellationReason: str | None = None
    cancelledByEmail: str | None = None
    reschedulingReason: str | None = None
    rescheduledByEmail: str | None = None
    rescheduledFromUid: str | None = Field(
        default=None, description="UID of the previous booking from which this booking was rescheduled."
    )
    rescheduledToUid: str | None = Field(
        default=None, description="UID of the new booking to which this booking was rescheduled."
    )
    start: str
    end: str
    duration: int
    eventTypeId: int | None = Field(
        json_schema_extra={"deprecated": True},
        description="Deprecated - rely on 'eventType' object containing the id instead.",
    )
    eventType: EventType | None
    meetingUrl: str | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description="Deprecated - rely on 'location' field instead.",
    )
    location: str | None
    absentHost: bool
    createdAt: str
    updatedAt: str
    metadata: dict[str, Any] | None = None
    rating: int | None = None
    icsUid: str | None = Field(default=None, description="UID of ICS event.")


class BookingOutput_2024_08_13(_BookingOutputBase):
    attendees: list[BookingAttendee]
    guests: list[str] | None = None
    bookingFieldsResponses: dict[str, Any] = Field(
        description="Booking field responses consisting of an object with booking field slug as keys and user "
        "response as values."
    )


class RecurringBookingOutput_2024_08_13(BookingOutput_2024_08_13):
    recurringBookingUid: str


class GetSeatedBookingOutput_2024_08_13(_BookingOutputBase):
    attendees: list[SeatedAttendee]


class GetRecurringSeatedBookingOutput_2024_08_13(GetSeatedBookingOutput_2024_08_13):
    recurringBookingUid: str


class CreateSeatedBookingOutput_2024_08_13(GetSeatedBookingOutput_2024_08_13):
    seatUid: str


class CreateRecurringSeatedBookingOutput_2024_08_13(CreateSeatedBookingOutput_2024_08_13):
    recurringBookingUid: str


AnyBooking = (
    BookingOutput_2024_08_13
    | RecurringBookingOutput_2024_08_13
    | list[RecurringBookingOutput_2024_08_13]
    | GetSeatedBookingOutput_2024_08_13
    | GetRecurringSeatedBookingOutput_2024_08_13
    | list[GetRecurringSeatedBookingOutput_2024_08_13]
)


class CreateBookingOutput_2024_08_13(SuccessEnvelope):
    data: (
        BookingOutput_2024_08_13
        | list[RecurringBookingOutput_2024_08_13]
        | CreateSeatedBookingOutput_2024_08_13
        | list[CreateRecurringSeatedBookingOutput_2024_08_13]
    ) = Field(
        description="Booking data, which can be either a BookingOutput object or an array of "
        "RecurringBookingOutput objects"
    )


class GetBookingOutput_2024_08_13(SuccessEnvelope):
    data: AnyBooking = Field(
        description="Booking data, which can be either a BookingOutput object, a RecurringBookingOutput object, or "
        "an array of RecurringBookingOutput objects"
    )


class GetBookingsOutput_2024_08_13(SuccessEnvelope):
    data: list[
        BookingOutput_2024_08_13
        | RecurringBookingOutput_2024_08_13
        | GetSeatedBookingOutput_2024_08_13
        | GetRecurringSeatedBookingOutput_2024_08_13
    ] = Field(
        description="Array of booking data, which can contain either BookingOutput objects or "
        "RecurringBookingOutput objects"
    )
    pagination: PaginationMetaDto


class RescheduleBookingOutput_2024_08_13(SuccessEnvelope):
    data: (
        BookingOutput_2024_08_13
        | RecurringBookingOutput_2024_08_13
        | CreateSeatedBookingOutput_2024_08_13
        | CreateRecurringSeatedBookingOutput_2024_08_13
    ) = Field(description="Booking data, which can be either a BookingOutput object or a RecurringBookingOutput object")


class CancelBookingOutput_2024_08_13(GetBookingOutput_2024_08_13):
    pass


class MarkAbsentBookingOutput_2024_08_13(SuccessEnvelope):
    data: BookingOutput_2024_08_13 | RecurringBookingOutput_2024_08_13 = Field(
        description="Booking data, which can be either a BookingOutput object or a RecurringBookingOutput object"
    )


class AddGuestsOutput_2024_08_13(GetBookingOutput_2024_08_13):
    pass


class UpdateBookingLocationOutput_2024_08_13(GetBookingOutput_2024_08_13):
    pass


class CalendarLink(CalModel):
    label: str = Field(description="The label of the calendar link")
    link: str = Field(description="The link to the calendar")


class CalendarLinksOutput_2024_08_13(CalModel):
    status: Literal["success"] = Field(
        description="The status of the request, always 'success' for successful responses"
    )
    data: list[CalendarLink] = Field(description="Calendar links for the booking")


class BookingReference(CalModel):
    type: str = Field(description="The type of the booking reference")
    eventUid: str = Field(description="The event uid of the booking")
    destinationCalendarId: str | None = Field(description="The id of the calendar the event is created in")
    id: int = Field(description="The id of the booking reference")


class BookingReferencesOutput_2024_08_13(CalModel):
    status: Literal["success"] = Field(
        description="The status of the request, always 'success' for successful responses"
    )
    data: list[BookingReference] = Field(description="Booking References")


ReferenceType = Literal[
    "google_calendar", "office365_calendar", "daily_video", "google_video", "office365_video", "zoom_video"
]
