"""DTOs of the `Event Types` and `Event Types Private Links` tags (cal-api-version 2024-06-14).

Class names are the official component names. Polymorphic fields (locations, booking fields,
booking window, ...) are unions whose member is chosen by a discriminator, so a bad entry gets an
error that names it (`locations.0.address.public: Field required`) and an output entry is never
read through the wrong class.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    field_validator,
    model_validator,
)

from opencal.core.envelope import CalModel, SuccessEnvelope

# -- shared validators ----------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")


def is_url(value: str) -> bool:
    return bool(_URL.fullmatch(value))


def _tag_of(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else getattr(value, key, None)


def _has(value: Any, key: str) -> bool:
    return key in value if isinstance(value, dict) else getattr(value, key, None) is not None


class Disabled_2024_06_14(CalModel):
    disabled: StrictBool = Field(
        description="Only acceptable value for the `disabled` property is `true`. It is used to reset the value of "
        "the property for which previously an object containing specific settings was passed."
    )


# -- locations ------------------------------------------------------------------------------------

SUPPORTED_INTEGRATIONS = ("cal-video", "google-meet", "office365-video", "zoom")
Integration = Literal["cal-video", "google-meet", "office365-video", "zoom"]
INPUT_LOCATION_TYPES = (
    "address",
    "link",
    "integration",
    "phone",
    "attendeeAddress",
    "attendeePhone",
    "attendeeDefined",
)


class InputAddressLocation_2024_06_14(CalModel):
    type: Literal["address"] = Field(description="only allowed value for type is `address`")
    address: StrictStr = Field(examples=["123 Example St, City, Country"])
    public: StrictBool


class InputLinkLocation_2024_06_14(CalModel):
    type: Literal["link"] = Field(description="only allowed value for type is `link`")
    link: StrictStr = Field(examples=["https://customvideo.com/join/123456"])
    public: StrictBool

    @field_validator("link")
    @classmethod
    def _link_is_url(cls, value: str) -> str:
        if not is_url(value):
            raise ValueError("link must be a URL address")
        return value


class InputIntegrationLocation_2024_06_14(CalModel):
    type: Literal["integration"] = Field(description="only allowed value for type is `integration`")
    integration: Integration = Field(examples=["cal-video"])


class InputPhoneLocation_2024_06_14(CalModel):
    type: Literal["phone"] = Field(description="only allowed value for type is `phone`")
    phone: StrictStr = Field(examples=["+37120993151"])
    public: StrictBool

    @field_validator("phone")
    @classmethod
    def _phone_is_e164(cls, value: str) -> str:
        if not _PHONE.fullmatch(value):
            raise ValueError("phone must be a valid phone number in international format, e.g. +37120993151")
        return value


class InputAttendeeAddressLocation_2024_06_14(CalModel):
    type: Literal["attendeeAddress"] = Field(description="only allowed value for type is `attendeeAddress`")


class InputAttendeePhoneLocation_2024_06_14(CalModel):
    type: Literal["attendeePhone"] = Field(description="only allowed value for type is `attendeePhone`")


class InputAttendeeDefinedLocation_2024_06_14(CalModel):
    type: Literal["attendeeDefined"] = Field(description="only allowed value for type is `attendeeDefined`")


class InputOrganizersDefaultApp_2024_06_14(CalModel):
    """Team event types only: each host's default conferencing app."""

    type: Literal["organizersDefaultApp"] = Field(description="only allowed value for type is `organizersDefaultApp`")


InputLocation_2024_06_14 = Annotated[
    InputAddressLocation_2024_06_14
    | InputLinkLocation_2024_06_14
    | InputIntegrationLocation_2024_06_14
    | InputPhoneLocation_2024_06_14
    | InputAttendeeAddressLocation_2024_06_14
    | InputAttendeePhoneLocation_2024_06_14
    | InputAttendeeDefinedLocation_2024_06_14,
    Field(discriminator="type"),
]


def check_location_entries(value: Any, allowed_types: tuple[str, ...]) -> Any:
    """Cal.com's messages for a locations list that is not a list of typed objects (legacy strings)."""
    if value is None:
        return value
    if not isinstance(value, list):
        raise ValueError("'locations' must be an array.")
    if not value:
        raise ValueError("'locations' must contain at least 1 location.")
    for entry in value:
        if not isinstance(entry, dict) or not entry.get("type"):
            raise ValueError("Each object in 'locations' must have a 'type' property.")
        if entry["type"] not in allowed_types:
            raise ValueError(
                f"Unsupported location type '{entry['type']}'. Valid types are {', '.join(allowed_types)}."
            )
    return value


class OutputAddressLocation_2024_06_14(CalModel):
    type: Literal["address"]
    address: str
    public: bool


class OutputLinkLocation_2024_06_14(CalModel):
    type: Literal["link"]
    link: str
    public: bool


class OutputIntegrationLocation_2024_06_14(CalModel):
    type: Literal["integration"]
    integration: str
    link: str | None = None
    credentialId: int | None = Field(default=None, description="Credential ID associated with the integration")


class OutputPhoneLocation_2024_06_14(CalModel):
    type: Literal["phone"]
    phone: str
    public: bool


class OutputAttendeeAddressLocation_2024_06_14(CalModel):
    type: Literal["attendeeAddress"]


class OutputAttendeePhoneLocation_2024_06_14(CalModel):
    type: Literal["attendeePhone"]


class OutputAttendeeDefinedLocation_2024_06_14(CalModel):
    type: Literal["attendeeDefined"]


class OutputOrganizersDefaultAppLocation_2024_06_14(CalModel):
    type: Literal["organizersDefaultApp"]


class OutputUnknownLocation_2024_06_14(CalModel):
    type: Literal["unknown"]
    location: str


OutputLocation_2024_06_14 = Annotated[
    OutputAddressLocation_2024_06_14
    | OutputLinkLocation_2024_06_14
    | OutputIntegrationLocation_2024_06_14
    | OutputPhoneLocation_2024_06_14
    | OutputAttendeeAddressLocation_2024_06_14
    | OutputAttendeePhoneLocation_2024_06_14
    | OutputAttendeeDefinedLocation_2024_06_14
    | OutputOrganizersDefaultAppLocation_2024_06_14
    | OutputUnknownLocation_2024_06_14,
    Field(discriminator="type"),
]

# -- booking fields -------------------------------------------------------------------------------

# System fields named by their slug; the others are named by their type.
SLUG_NAMED_FIELDS = ("title", "notes", "guests", "rescheduleReason", "location")
TYPE_NAMED_SYSTEM_FIELDS = ("name", "email")
CUSTOM_FIELD_TYPES = (
    "phone",
    "address",
    "text",
    "number",
    "textarea",
    "select",
    "multiselect",
    "multiemail",
    "checkbox",
    "radio",
    "boolean",
    "url",
)
OPTION_FIELD_TYPES = ("select", "multiselect", "checkbox", "radio")


class _DefaultFieldInput(CalModel):
    required: StrictBool | None = None
    hidden: StrictBool | None = Field(
        default=None,
        description="If true show under event type settings but don't show this booking field in the Booker.",
    )
    label: StrictStr | None = None
    placeholder: StrictStr | None = None
    disableOnPrefill: StrictBool | None = None


class NameDefaultFieldInput_2024_06_14(CalModel):
    type: Literal["name"] = Field(description="only allowed value for type is `name`.")
    label: StrictStr
    placeholder: StrictStr
    disableOnPrefill: StrictBool | None = None


class EmailDefaultFieldInput_2024_06_14(CalModel):
    type: Literal["email"] = Field(description="only allowed value for type is `email`")
    label: StrictStr
    required: StrictBool | None = None
    hidden: StrictBool | None = None
    placeholder: StrictStr
    disableOnPrefill: StrictBool | None = None


class TitleDefaultFieldInput_2024_06_14(_DefaultFieldInput):
    slug: Literal["title"] = Field(description="only allowed value for type is `title`")


class LocationDefaultFieldInput_2024_06_14(CalModel):
    slug: Literal["location"] = Field(
        description="This booking field is displayed only when event type has 2 or more locations."
    )
    label: StrictStr | None = None


class NotesDefaultFieldInput_2024_06_14(_DefaultFieldInput):
    slug: Literal["notes"] = Field(description="only allowed value for type is `notes`")


class GuestsDefaultFieldInput_2024_06_14(_DefaultFieldInput):
    slug: Literal["guests"] = Field(description="only allowed value for type is `guests`")


class RescheduleReasonDefaultFieldInput_2024_06_14(_DefaultFieldInput):
    slug: Literal["rescheduleReason"] = Field(description="only allowed value for type is `rescheduleReason`")


class _CustomFieldInput(CalModel):
    slug: StrictStr = Field(
        description="Unique identifier for the field in format `some-slug`. It is used to access response to this "
        "booking field during the booking"
    )
    label: StrictStr
    required: StrictBool
    disableOnPrefill: StrictBool | None = None
    hidden: StrictBool | None = Field(
        default=None,
        description="If true show under event type settings but don't show this booking field in the Booker.",
    )


class _PlaceholderFieldInput(_CustomFieldInput):
    placeholder: StrictStr | None = None


class _OptionsFieldInput(_CustomFieldInput):
    options: list[StrictStr]


class PhoneFieldInput_2024_06_14(_PlaceholderFieldInput):
    type: Literal["phone"] = Field(description="only allowed value for type is `phone`")


class AddressFieldInput_2024_06_14(_PlaceholderFieldInput):
    type: Literal["address"] = Field(description="only allowed value for type is `address`")


class TextFieldInput_2024_06_14(_PlaceholderFieldInput):
    type: Literal["text"] = Field(description="only allowed value for type is `text`")


class NumberFieldInput_2024_06_14(_PlaceholderFieldInput):
    type: Literal["number"] = Field(description="only allowed value for type is `number`")


class TextAreaFieldInput_2024_06_14(_PlaceholderFieldInput):
    type: Literal["textarea"] = Field(description="only allowed value for type is `textarea`")


class SelectFieldInput_2024_06_14(_OptionsFieldInput):
    type: Literal["select"] = Field(description="only allowed value for type is `select`")
    placeholder: StrictStr | None = None


class MultiSelectFieldInput_2024_06_14(_OptionsFieldInput):
    type: Literal["multiselect"] = Field(description="only allowed value for type is `multiselect`")


class MultiEmailFieldInput_2024_06_14(_PlaceholderFieldInput):
    type: Literal["multiemail"] = Field(description="only allowed value for type is `multiemail`")


class CheckboxGroupFieldInput_2024_06_14(_OptionsFieldInput):
    type: Literal["checkbox"] = Field(description="only allowed value for type is `checkbox`")


class RadioGroupFieldInput_2024_06_14(_OptionsFieldInput):
    type: Literal["radio"] = Field(description="only allowed value for type is `radio`")


class BooleanFieldInput_2024_06_14(_CustomFieldInput):
    type: Literal["boolean"] = Field(description="only allowed value for type is `boolean`")


class UrlFieldInput_2024_06_14(_PlaceholderFieldInput):
    type: Literal["url"] = Field(description="only allowed value for type is `url`")


def _input_field_tag(value: Any) -> str | None:
    slug = _tag_of(value, "slug")
    if slug in SLUG_NAMED_FIELDS:
        return str(slug)
    kind = _tag_of(value, "type")
    return str(kind) if kind is not None else None


InputBookingField_2024_06_14 = Annotated[
    Annotated[NameDefaultFieldInput_2024_06_14, Tag("name")]
    | Annotated[EmailDefaultFieldInput_2024_06_14, Tag("email")]
    | Annotated[TitleDefaultFieldInput_2024_06_14, Tag("title")]
    | Annotated[LocationDefaultFieldInput_2024_06_14, Tag("location")]
    | Annotated[NotesDefaultFieldInput_2024_06_14, Tag("notes")]
    | Annotated[GuestsDefaultFieldInput_2024_06_14, Tag("guests")]
    | Annotated[RescheduleReasonDefaultFieldInput_2024_06_14, Tag("rescheduleReason")]
    | Annotated[PhoneFieldInput_2024_06_14, Tag("phone")]
    | Annotated[AddressFieldInput_2024_06_14, Tag("address")]
    | Annotated[TextFieldInput_2024_06_14, Tag("text")]
    | Annotated[NumberFieldInput_2024_06_14, Tag("number")]
    | Annotated[TextAreaFieldInput_2024_06_14, Tag("textarea")]
    | Annotated[SelectFieldInput_2024_06_14, Tag("select")]
    | Annotated[MultiSelectFieldInput_2024_06_14, Tag("multiselect")]
    | Annotated[MultiEmailFieldInput_2024_06_14, Tag("multiemail")]
    | Annotated[CheckboxGroupFieldInput_2024_06_14, Tag("checkbox")]
    | Annotated[RadioGroupFieldInput_2024_06_14, Tag("radio")]
    | Annotated[BooleanFieldInput_2024_06_14, Tag("boolean")]
    | Annotated[UrlFieldInput_2024_06_14, Tag("url")],
    Discriminator(_input_field_tag),
]


def check_booking_field_entries(value: Any) -> Any:
    """Cal.com's list-level rules: typed entries, slugs where needed and unique."""
    if value is None:
        return value
    if not isinstance(value, list):
        raise ValueError("'bookingFields' must be an array.")
    if not value:
        raise ValueError("'bookingFields' must contain at least 1 booking field.")
    slugs: set[str] = set()
    for entry in value:
        if not isinstance(entry, dict):
            raise ValueError("Each booking field must be an object.")
        kind, slug = entry.get("type"), entry.get("slug")
        needs_type = slug not in SLUG_NAMED_FIELDS
        if needs_type and not kind:
            raise ValueError(
                "All booking fields except ones with slug equal to title, notes, guests, rescheduleReason and "
                "location must have a 'type' property."
            )
        needs_slug = kind not in TYPE_NAMED_SYSTEM_FIELDS
        if needs_slug and not slug:
            raise ValueError(
                "Each booking field except ones with type equal to name, email must have a 'slug' property."
            )
        if needs_slug:
            if slug in slugs:
                raise ValueError(
                    f"Duplicate bookingFields slug '{slug}' found. All bookingFields slugs must be unique."
                )
            slugs.add(str(slug))
        if needs_type and kind not in (*TYPE_NAMED_SYSTEM_FIELDS, *CUSTOM_FIELD_TYPES):
            raise ValueError(f"Unsupported booking field type '{kind}'.")
    return value


class _DefaultFieldOutput(CalModel):
    isDefault: Literal[True] = Field(description="This property is always true because it's a default field")
    slug: str
    type: str
    required: bool
    hidden: bool | None = None
    label: str | None = None
    placeholder: str | None = None
    disableOnPrefill: bool | None = None


class NameDefaultFieldOutput_2024_06_14(_DefaultFieldOutput):
    pass


class EmailDefaultFieldOutput_2024_06_14(_DefaultFieldOutput):
    pass


class LocationDefaultFieldOutput_2024_06_14(_DefaultFieldOutput):
    pass


class RescheduleReasonDefaultFieldOutput_2024_06_14(_DefaultFieldOutput):
    pass


class TitleDefaultFieldOutput_2024_06_14(_DefaultFieldOutput):
    pass


class NotesDefaultFieldOutput_2024_06_14(_DefaultFieldOutput):
    pass


class GuestsDefaultFieldOutput_2024_06_14(_DefaultFieldOutput):
    pass


class _CustomFieldOutput(CalModel):
    isDefault: bool = Field(description="False for custom fields; true only for the attendeePhoneNumber system field")
    type: str
    slug: str
    label: str
    required: bool
    hidden: bool
    disableOnPrefill: bool | None = None
    placeholder: str | None = None


class _OptionsFieldOutput(_CustomFieldOutput):
    options: list[str]


class PhoneFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class AddressFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class TextFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class NumberFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class TextAreaFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class SelectFieldOutput_2024_06_14(_OptionsFieldOutput):
    pass


class MultiSelectFieldOutput_2024_06_14(_OptionsFieldOutput):
    pass


class MultiEmailFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class CheckboxGroupFieldOutput_2024_06_14(_OptionsFieldOutput):
    pass


class RadioGroupFieldOutput_2024_06_14(_OptionsFieldOutput):
    pass


class BooleanFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class UrlFieldOutput_2024_06_14(_CustomFieldOutput):
    pass


class OutputUnknownBookingField_2024_06_14(CalModel):
    type: Literal["unknown"]
    slug: Literal["unknown"]
    bookingField: str


_DEFAULT_OUTPUT_TAGS = {
    "name": "name",
    "email": "email",
    "location": "location",
    "rescheduleReason": "rescheduleReason",
    "title": "title",
    "notes": "notes",
    "guests": "guests",
    "attendeePhoneNumber": "phone",
}


def _output_field_tag(value: Any) -> str | None:
    if _tag_of(value, "type") == "unknown":
        return "unknown"
    if _tag_of(value, "isDefault") is True:
        return _DEFAULT_OUTPUT_TAGS.get(str(_tag_of(value, "slug")))
    kind = _tag_of(value, "type")
    return str(kind) if kind is not None else None


OutputBookingField_2024_06_14 = Annotated[
    Annotated[NameDefaultFieldOutput_2024_06_14, Tag("name")]
    | Annotated[EmailDefaultFieldOutput_2024_06_14, Tag("email")]
    | Annotated[LocationDefaultFieldOutput_2024_06_14, Tag("location")]
    | Annotated[RescheduleReasonDefaultFieldOutput_2024_06_14, Tag("rescheduleReason")]
    | Annotated[TitleDefaultFieldOutput_2024_06_14, Tag("title")]
    | Annotated[NotesDefaultFieldOutput_2024_06_14, Tag("notes")]
    | Annotated[GuestsDefaultFieldOutput_2024_06_14, Tag("guests")]
    | Annotated[PhoneFieldOutput_2024_06_14, Tag("phone")]
    | Annotated[AddressFieldOutput_2024_06_14, Tag("address")]
    | Annotated[TextFieldOutput_2024_06_14, Tag("text")]
    | Annotated[NumberFieldOutput_2024_06_14, Tag("number")]
    | Annotated[TextAreaFieldOutput_2024_06_14, Tag("textarea")]
    | Annotated[SelectFieldOutput_2024_06_14, Tag("select")]
    | Annotated[MultiSelectFieldOutput_2024_06_14, Tag("multiselect")]
    | Annotated[MultiEmailFieldOutput_2024_06_14, Tag("multiemail")]
    | Annotated[CheckboxGroupFieldOutput_2024_06_14, Tag("checkbox")]
    | Annotated[RadioGroupFieldOutput_2024_06_14, Tag("radio")]
    | Annotated[BooleanFieldOutput_2024_06_14, Tag("boolean")]
    | Annotated[UrlFieldOutput_2024_06_14, Tag("url")]
    | Annotated[OutputUnknownBookingField_2024_06_14, Tag("unknown")],
    Discriminator(_output_field_tag),
]

# -- limits, window, policies ---------------------------------------------------------------------


class BaseBookingLimitsCount_2024_06_14(CalModel):
    day: StrictInt | None = Field(default=None, ge=1, description="The number of bookings per day")
    week: StrictInt | None = Field(default=None, ge=1, description="The number of bookings per week")
    month: StrictInt | None = Field(default=None, ge=1, description="The number of bookings per month")
    year: StrictInt | None = Field(default=None, ge=1, description="The number of bookings per year")
    disabled: StrictBool = False


class BaseBookingLimitsDuration_2024_06_14(CalModel):
    day: StrictInt | None = Field(
        default=None, ge=15, description="The duration of bookings per day (must be a multiple of 15)"
    )
    week: StrictInt | None = Field(
        default=None, ge=15, description="The duration of bookings per week (must be a multiple of 15)"
    )
    month: StrictInt | None = Field(
        default=None, ge=15, description="The duration of bookings per month (must be a multiple of 15)"
    )
    year: StrictInt | None = Field(
        default=None, ge=15, description="The duration of bookings per year (must be a multiple of 15)"
    )
    disabled: StrictBool = False


class BookerActiveBookingsLimit_2024_06_14(CalModel):
    maximumActiveBookings: StrictInt | None = Field(
        default=None, ge=1, description="The maximum number of active bookings a booker can have for this event type."
    )
    offerReschedule: StrictBool | None = Field(
        default=None,
        description="Whether to offer rescheduling the last active booking to the chosen time slot when limit is "
        "reached.",
    )

    @model_validator(mode="after")
    def _one_property(self) -> BookerActiveBookingsLimit_2024_06_14:
        if self.maximumActiveBookings is None and self.offerReschedule is None:
            raise ValueError("maximumActiveBookings or offerReschedule is required unless disabled is true")
        return self


class BookerActiveBookingsLimitOutput_2024_06_14(CalModel):
    maximumActiveBookings: int | None = None
    offerReschedule: bool | None = None
    disabled: bool | None = None


class _DaysWindow(CalModel):
    value: StrictInt = Field(ge=0, description="How many days into the future can this event be booked")
    rolling: StrictBool | None = Field(
        default=None,
        description="If true the window always holds `value` days that have availability; if false it ends "
        "`value` days from now.",
    )
    disabled: StrictBool | None = None


class BusinessDaysWindow_2024_06_14(_DaysWindow):
    type: Literal["businessDays"] = Field(
        description="Whether the window should be business days, calendar days or a range of dates"
    )


class CalendarDaysWindow_2024_06_14(_DaysWindow):
    type: Literal["calendarDays"] = Field(
        description="Whether the window should be business days, calendar days or a range of dates"
    )


class RangeWindow_2024_06_14(CalModel):
    type: Literal["range"] = Field(
        description="Whether the window should be business days, calendar days or a range of dates"
    )
    value: list[StrictStr] = Field(
        description="Date range for when this event can be booked.", examples=[["2030-09-05", "2030-09-09"]]
    )
    disabled: StrictBool | None = None


def _disabled_or(key: str) -> Any:
    """A discriminator: `disabled` for `{disabled: true}`, else the value of `key` (or 'enabled')."""

    def tag(value: Any) -> str | None:
        if _tag_of(value, "disabled") is True and not _has(value, key if key != "type" else "value"):
            return "disabled"
        if key == "type":
            kind = _tag_of(value, "type")
            return str(kind) if kind is not None else None
        return "enabled"

    return tag


BookingWindow_2024_06_14 = Annotated[
    Annotated[BusinessDaysWindow_2024_06_14, Tag("businessDays")]
    | Annotated[CalendarDaysWindow_2024_06_14, Tag("calendarDays")]
    | Annotated[RangeWindow_2024_06_14, Tag("range")]
    | Annotated[Disabled_2024_06_14, Tag("disabled")],
    Discriminator(
        _disabled_or("type"),
        custom_error_type="invalid_booking_window",
        custom_error_message="Invalid bookingWindow structure.",
    ),
]


class NoticeThreshold_2024_06_14(CalModel):
    unit: Literal["minutes", "hours"] = Field(
        description="The unit of time for the notice threshold (e.g., minutes, hours)"
    )
    count: StrictInt = Field(ge=0, description="The time value for the notice threshold")


class BaseConfirmationPolicy_2024_06_14(CalModel):
    type: Literal["always", "time"] = Field(description="The policy that determines when confirmation is required")
    noticeThreshold: NoticeThreshold_2024_06_14 | None = Field(
        default=None,
        description="The notice threshold required before confirmation is needed. Required when type is 'time'.",
    )
    blockUnconfirmedBookingsInBooker: StrictBool = Field(description="Unconfirmed bookings still block calendar slots.")
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _threshold_for_time(self) -> BaseConfirmationPolicy_2024_06_14:
        if self.type == "time" and self.noticeThreshold is None:
            raise ValueError(
                'Invalid requiresConfirmation structure. Use "type": "always" or provide a valid time and unit in '
                '"noticeThreshold" for "type": "time".'
            )
        return self


ConfirmationPolicy_2024_06_14 = Annotated[
    Annotated[BaseConfirmationPolicy_2024_06_14, Tag("enabled")] | Annotated[Disabled_2024_06_14, Tag("disabled")],
    Discriminator(_disabled_or("blockUnconfirmedBookingsInBooker")),
]


class Recurrence_2024_06_14(CalModel):
    interval: StrictInt = Field(ge=1, description="Repeats every {count} week | month | year")
    occurrences: StrictInt = Field(ge=1, description="Repeats for a maximum of {count} events")
    frequency: Literal["yearly", "monthly", "weekly"]
    disabled: StrictBool | None = None


RecurrenceInput_2024_06_14 = Annotated[
    Annotated[Recurrence_2024_06_14, Tag("enabled")] | Annotated[Disabled_2024_06_14, Tag("disabled")],
    Discriminator(_disabled_or("interval")),
]


class Seats_2024_06_14(CalModel):
    seatsPerTimeSlot: StrictInt = Field(ge=1, le=1000, description="Number of seats available per time slot")
    showAttendeeInfo: StrictBool = Field(description="Show attendee information to other guests")
    showAvailabilityCount: StrictBool = Field(description="Display the count of available seats")
    disabled: StrictBool | None = None


SeatsInput_2024_06_14 = Annotated[
    Annotated[Seats_2024_06_14, Tag("enabled")] | Annotated[Disabled_2024_06_14, Tag("disabled")],
    Discriminator(_disabled_or("seatsPerTimeSlot")),
]

BookingLimitsCountInput = Annotated[
    Annotated[BaseBookingLimitsCount_2024_06_14, Tag("enabled")] | Annotated[Disabled_2024_06_14, Tag("disabled")],
    Discriminator(_disabled_or("day")),
]
BookingLimitsDurationInput = Annotated[
    Annotated[BaseBookingLimitsDuration_2024_06_14, Tag("enabled")] | Annotated[Disabled_2024_06_14, Tag("disabled")],
    Discriminator(_disabled_or("day")),
]
BookerActiveBookingsLimitInput = Annotated[
    Annotated[BookerActiveBookingsLimit_2024_06_14, Tag("enabled")] | Annotated[Disabled_2024_06_14, Tag("disabled")],
    Discriminator(_disabled_or("maximumActiveBookings")),
]

BookerLayout = Literal["month", "week", "column"]


class BookerLayouts_2024_06_14(CalModel):
    defaultLayout: BookerLayout
    enabledLayouts: list[BookerLayout] = Field(description="Array of valid layouts - month, week or column")

    @model_validator(mode="after")
    def _default_is_enabled(self) -> BookerLayouts_2024_06_14:
        if not self.enabledLayouts:
            raise ValueError("enabledLayouts must contain at least 1 layout")
        if self.defaultLayout not in self.enabledLayouts:
            raise ValueError("defaultLayout must be one of enabledLayouts")
        return self


class EventTypeColor_2024_06_14(CalModel):
    lightThemeHex: StrictStr = Field(description="Color used for event types in light theme", examples=["#292929"])
    darkThemeHex: StrictStr = Field(description="Color used for event types in dark theme", examples=["#fafafa"])

    @field_validator("lightThemeHex", "darkThemeHex")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX_COLOR.fullmatch(value):
            raise ValueError("must be a hexadecimal color such as #292929")
        return value


class DestinationCalendar_2024_06_14(CalModel):
    integration: StrictStr = Field(description="The integration type of the destination calendar.")
    externalId: StrictStr = Field(description="The external ID of the destination calendar.")


class CalVideoSettings(CalModel):
    disableRecordingForOrganizer: StrictBool | None = None
    disableRecordingForGuests: StrictBool | None = None
    redirectUrlOnExit: StrictStr | None = Field(
        default=None, description="URL to which participants are redirected when they exit the call"
    )
    enableAutomaticRecordingForOrganizer: StrictBool | None = None
    enableAutomaticTranscription: StrictBool | None = None
    disableTranscriptionForGuests: StrictBool | None = None
    disableTranscriptionForOrganizer: StrictBool | None = None
    sendTranscriptionEmails: StrictBool | None = Field(
        default=None, description="Send emails with the transcription of the Cal Video after the meeting ends."
    )

    @field_validator("redirectUrlOnExit")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not is_url(value):
            raise ValueError("redirectUrlOnExit must be a URL address")
        return value


class DisableCancelling_2024_06_14(CalModel):
    disabled: StrictBool | None = Field(
        default=None, description="If true, cancelling is always disabled for this event type."
    )


class DisableRescheduling_2024_06_14(CalModel):
    disabled: StrictBool | None = Field(
        default=None, description="If true, rescheduling is always disabled for this event type."
    )
    minutesBefore: StrictInt | None = Field(
        default=None,
        ge=1,
        description="Disable rescheduling when less than the specified number of minutes before the meeting.",
    )


InterfaceLanguage = Literal[
    "",
    "en",
    "ar",
    "az",
    "bg",
    "bn",
    "ca",
    "cs",
    "da",
    "de",
    "el",
    "es",
    "es-419",
    "eu",
    "et",
    "fi",
    "fr",
    "he",
    "hu",
    "it",
    "ja",
    "km",
    "ko",
    "nl",
    "no",
    "pl",
    "pt-BR",
    "pt",
    "ro",
    "ru",
    "sk-SK",
    "sr",
    "sv",
    "tr",
    "uk",
    "vi",
    "zh-CN",
    "zh-TW",
]

_LIMIT_UNITS = ("day", "week", "month", "year")


def _limits_order_error(limits: Any, template: str) -> str | None:
    """Cal.com's rule: a shorter period may not allow more than a longer one (day <= week <= ...)."""
    if limits is None or isinstance(limits, Disabled_2024_06_14) or limits.disabled:
        return None
    for index, unit in enumerate(_LIMIT_UNITS):
        value = getattr(limits, unit)
        for longer in _LIMIT_UNITS[index + 1 :]:
            other = getattr(limits, longer)
            if value and other and value > other:
                return template.format(unit, longer)
    return None


# -- create / update ------------------------------------------------------------------------------


class BaseEventTypeInput(CalModel):
    """The fields shared by user and team event types, create and update (all optional here)."""

    lengthInMinutesOptions: list[StrictInt] | None = Field(
        default=None,
        description="If you want that user can choose between different lengths of the event you can specify them "
        "here. Must include the provided `lengthInMinutes`.",
        examples=[[15, 30, 60]],
    )
    description: StrictStr | None = None
    bookingFields: list[InputBookingField_2024_06_14] | None = Field(
        default=None,
        description="Custom fields that can be added to the booking form when the event is booked by someone. By "
        "default booking form has name and email field. On update this replaces all existing booking fields.",
    )
    disableGuests: StrictBool | None = Field(
        default=None, description="If true, person booking this event can't add guests via their emails."
    )
    slotInterval: StrictInt | None = Field(
        default=None,
        ge=1,
        description="Number representing length of each slot when event is booked. By default it equal length of "
        "the event type.",
    )
    minimumBookingNotice: StrictInt | None = Field(
        default=None, ge=0, description="Minimum number of minutes before the event that a booking can be made."
    )
    beforeEventBuffer: StrictInt | None = Field(
        default=None, ge=0, description="Extra time automatically blocked on your calendar before a meeting starts."
    )
    afterEventBuffer: StrictInt | None = Field(
        default=None, ge=0, description="Extra time automatically blocked on your calendar after a meeting ends."
    )
    scheduleId: StrictInt | None = Field(
        default=None,
        description="If you want that this event has different schedule than user's default one you can specify it "
        "here.",
    )
    bookingLimitsCount: BookingLimitsCountInput | None = Field(
        default=None, description="Limit how many times this event can be booked"
    )
    bookerActiveBookingsLimit: BookerActiveBookingsLimitInput | None = Field(
        default=None, description="Limit the number of active bookings a booker can make for this event type."
    )
    onlyShowFirstAvailableSlot: StrictBool | None = Field(
        default=None,
        description="This will limit your availability for this event type to one slot per day, scheduled at the "
        "earliest available time.",
    )
    bookingLimitsDuration: BookingLimitsDurationInput | None = Field(
        default=None, description="Limit total amount of time that this event can be booked"
    )
    bookingWindow: BookingWindow_2024_06_14 | None = Field(
        default=None, description="Limit how far in the future this event can be booked"
    )
    offsetStart: StrictInt | None = Field(
        default=None, ge=0, description="Offset timeslots shown to bookers by a specified number of minutes"
    )
    bookerLayouts: BookerLayouts_2024_06_14 | None = Field(
        default=None,
        description="Should booker have week, month or column view. Specify default layout and enabled layouts user "
        "can pick.",
    )
    confirmationPolicy: ConfirmationPolicy_2024_06_14 | None = Field(
        default=None,
        description="Specify how the booking needs to be manually confirmed before it is pushed to the integrations "
        "and a confirmation mail is sent.",
    )
    recurrence: RecurrenceInput_2024_06_14 | None = Field(default=None, description="Create a recurring event type.")
    requiresBookerEmailVerification: StrictBool | None = None
    hideCalendarNotes: StrictBool | None = None
    lockTimeZoneToggleOnBookingPage: StrictBool | None = None
    color: EventTypeColor_2024_06_14 | None = None
    seats: SeatsInput_2024_06_14 | None = Field(default=None, description="Create an event type with multiple seats.")
    customName: StrictStr | None = Field(
        default=None,
        description="Customizable event name with valid variables: {Event type title}, {Organiser}, {Scheduler}, "
        "{Location}, {Organiser first name}, {Scheduler first name}, {Scheduler last name}, {Event duration}, "
        "{LOCATION}, {HOST/ATTENDEE}, {HOST}, {ATTENDEE}, {USER}",
        examples=["{Event type title} between {Organiser} and {Scheduler}"],
    )
    destinationCalendar: DestinationCalendar_2024_06_14 | None = None
    useDestinationCalendarEmail: StrictBool | None = None
    hideCalendarEventDetails: StrictBool | None = None
    successRedirectUrl: StrictStr | None = Field(
        default=None,
        description="A valid URL where the booker will redirect to, once the booking is completed successfully",
    )
    hideOrganizerEmail: StrictBool | None = Field(
        default=None,
        description="Boolean to Hide organizer's email address from the booking screen, email notifications, and "
        "calendar events",
    )
    calVideoSettings: CalVideoSettings | None = Field(default=None, description="Cal video settings for the event type")
    hidden: StrictBool | None = None
    bookingRequiresAuthentication: StrictBool | None = Field(
        default=None,
        description="Boolean to require authentication for booking this event type via api. If true, only "
        "authenticated users who are the event-type owner or org/team admin/owner can book this event type.",
    )
    disableCancelling: DisableCancelling_2024_06_14 | None = Field(
        default=None, description="Settings for disabling cancelling of this event type."
    )
    disableRescheduling: DisableRescheduling_2024_06_14 | None = Field(
        default=None,
        description="Settings for disabling rescheduling of this event type. Can be always disabled or disabled "
        "when less than X minutes before the meeting.",
    )
    interfaceLanguage: InterfaceLanguage | None = Field(
        default=None,
        description="Set preferred language for the booking interface. Use empty string for visitor's browser "
        "language (default).",
    )
    allowReschedulingPastBookings: StrictBool | None = Field(
        default=None, description="Enabling this option allows for past events to be rescheduled."
    )
    allowReschedulingCancelledBookings: StrictBool | None = Field(
        default=None,
        description="When enabled, users will be able to create a new booking when trying to reschedule a cancelled "
        "booking.",
    )
    showOptimizedSlots: StrictBool | None = Field(
        default=None, description="Arrange time slots to optimize availability."
    )
    locations: list[InputLocation_2024_06_14] | None = Field(
        default=None,
        description="Locations where the event will take place. If not provided, cal video link will be used as the "
        "location. Only Cal Video (cal-video) is available until a conferencing app is connected.",
    )

    @field_validator("locations", mode="before")
    @classmethod
    def _typed_locations(cls, value: Any) -> Any:
        return check_location_entries(value, INPUT_LOCATION_TYPES)

    @field_validator("bookingFields", mode="before")
    @classmethod
    def _typed_booking_fields(cls, value: Any) -> Any:
        return check_booking_field_entries(value)

    @field_validator("lengthInMinutesOptions")
    @classmethod
    def _length_options(cls, value: list[int] | None) -> list[int] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("lengthInMinutesOptions should not be empty")
        if len(set(value)) != len(value):
            raise ValueError("All lengthInMinutesOptions's elements must be unique")
        if any(option < 1 for option in value):
            raise ValueError("each value in lengthInMinutesOptions must not be less than 1")
        return value

    @field_validator("bookingLimitsCount")
    @classmethod
    def _counts_grow_with_the_period(cls, value: Any) -> Any:
        message = _limits_order_error(
            value,
            "Invalid bookingLimitsCount: The number of bookings for {} cannot exceed the number of bookings for {}.",
        )
        if message:
            raise ValueError(message)
        return value

    @field_validator("bookingLimitsDuration")
    @classmethod
    def _durations_grow_with_the_period(cls, value: Any) -> Any:
        message = _limits_order_error(
            value,
            "Invalid booking durations: The duration of bookings for {} cannot exceed the duration of bookings for {}.",
        )
        if message:
            raise ValueError(message)
        return value

    @field_validator("successRedirectUrl")
    @classmethod
    def _redirect_is_url(cls, value: str | None) -> str | None:
        if value is not None and not is_url(value):
            raise ValueError("successRedirectUrl must be a URL address")
        return value


class CreateEventTypeInput_2024_06_14(BaseEventTypeInput):
    lengthInMinutes: StrictInt = Field(ge=1, examples=[60])
    title: StrictStr = Field(examples=["Learn the secrets of masterchief!"])
    slug: StrictStr = Field(examples=["learn-the-secrets-of-masterchief"])


class UpdateEventTypeInput_2024_06_14(BaseEventTypeInput):
    lengthInMinutes: StrictInt | None = Field(default=None, ge=1, examples=[60])
    title: StrictStr | None = Field(default=None, examples=["Learn the secrets of masterchief!"])
    slug: StrictStr | None = Field(default=None, examples=["learn-the-secrets-of-masterchief"])


# -- output ---------------------------------------------------------------------------------------


class EventTypeUser(CalModel):
    id: int
    name: str | None
    username: str | None
    avatarUrl: str | None
    brandColor: str | None
    darkBrandColor: str | None
    weekStart: str
    metadata: dict[str, Any]


class BaseEventTypeOutput(CalModel):
    """The fields user and team event type outputs share."""

    id: int = Field(examples=[1])
    lengthInMinutes: int = Field(examples=[60])
    lengthInMinutesOptions: list[int] | None = Field(default=None, examples=[[15, 30, 60]])
    title: str
    slug: str
    description: str
    locations: list[OutputLocation_2024_06_14]
    bookingFields: list[OutputBookingField_2024_06_14]
    disableGuests: bool
    slotInterval: int | None = None
    minimumBookingNotice: int | None = None
    beforeEventBuffer: int | None = None
    afterEventBuffer: int | None = None
    recurrence: Recurrence_2024_06_14 | None
    metadata: dict[str, Any]
    price: int
    currency: str
    lockTimeZoneToggleOnBookingPage: bool
    seatsPerTimeSlot: int | None = None
    forwardParamsSuccessRedirect: bool | None
    successRedirectUrl: str | None
    isInstantEvent: bool
    seatsShowAvailabilityCount: bool | None = None
    scheduleId: int | None
    bookingLimitsCount: dict[str, Any] | None = None
    bookerActiveBookingsLimit: BookerActiveBookingsLimitOutput_2024_06_14 | None = None
    onlyShowFirstAvailableSlot: bool | None = None
    bookingLimitsDuration: dict[str, Any] | None = None
    bookingWindow: dict[str, Any] | None = Field(
        default=None, description="Limit how far in the future this event can be booked"
    )
    bookerLayouts: BookerLayouts_2024_06_14 | None = None
    confirmationPolicy: dict[str, Any] | None = None
    requiresBookerEmailVerification: bool | None = None
    hideCalendarNotes: bool | None = None
    color: EventTypeColor_2024_06_14 | None = None
    seats: dict[str, Any] | None = None
    offsetStart: int | None = None
    customName: str | None = None
    destinationCalendar: DestinationCalendar_2024_06_14 | None = None
    useDestinationCalendarEmail: bool | None = None
    hideCalendarEventDetails: bool | None = None
    hideOrganizerEmail: bool | None = None
    calVideoSettings: dict[str, Any] | None = None
    hidden: bool
    bookingRequiresAuthentication: bool
    disableCancelling: DisableCancelling_2024_06_14 | None = None
    disableRescheduling: DisableRescheduling_2024_06_14 | None = None
    interfaceLanguage: str | None = None
    allowReschedulingPastBookings: bool | None = None
    allowReschedulingCancelledBookings: bool | None = None
    showOptimizedSlots: bool | None = None


class EventTypeOutput_2024_06_14(BaseEventTypeOutput):
    ownerId: int = Field(examples=[10])
    # Cal.com answers user objects here although its document declares strings.
    users: list[EventTypeUser]
    bookingUrl: str = Field(
        examples=["https://cal.com/john-doe/30min"], description="Full URL to the booking page for this event type"
    )


class CreateEventTypeOutput_2024_06_14(SuccessEnvelope):
    data: EventTypeOutput_2024_06_14


class GetEventTypeOutput_2024_06_14(SuccessEnvelope):
    data: EventTypeOutput_2024_06_14


class GetEventTypesOutput_2024_06_14(SuccessEnvelope):
    data: list[EventTypeOutput_2024_06_14]


class UpdateEventTypeOutput_2024_06_14(SuccessEnvelope):
    data: EventTypeOutput_2024_06_14


class DeleteData_2024_06_14(CalModel):
    id: int
    lengthInMinutes: int
    title: str
    slug: str


class DeleteEventTypeOutput_2024_06_14(SuccessEnvelope):
    data: DeleteData_2024_06_14


# -- private links --------------------------------------------------------------------------------


class CreatePrivateLinkInput(CalModel):
    expiresAt: StrictStr | None = Field(default=None, description="Expiration date for time-based links")
    maxUsageCount: StrictInt | None = Field(
        default=None,
        ge=1,
        description="Maximum number of times the link can be used. If omitted and expiresAt is not provided, "
        "defaults to 1 (one time use).",
    )


class UpdatePrivateLinkBody(CalModel):
    expiresAt: StrictStr | None = Field(default=None, description="New expiration date for time-based links")
    maxUsageCount: StrictInt | None = Field(
        default=None, ge=1, description="New maximum number of times the link can be used"
    )


class TimeBasedPrivateLinkOutput(CalModel):
    linkId: str = Field(description="The private link ID")
    eventTypeId: int = Field(description="Event type ID this link belongs to")
    isExpired: bool = Field(description="Whether the link is currently expired")
    bookingUrl: str = Field(description="Full booking URL for this private link")
    expiresAt: str = Field(description="Expiration date for this time-based link")


class UsageBasedPrivateLinkOutput(CalModel):
    linkId: str = Field(description="The private link ID")
    eventTypeId: int = Field(description="Event type ID this link belongs to")
    isExpired: bool = Field(description="Whether the link is currently expired")
    bookingUrl: str = Field(description="Full booking URL for this private link")
    maxUsageCount: int = Field(description="Maximum number of times this link can be used")
    usageCount: int = Field(description="Current usage count for this link")


PrivateLinkOutput = Annotated[
    Annotated[TimeBasedPrivateLinkOutput, Tag("time")] | Annotated[UsageBasedPrivateLinkOutput, Tag("usage")],
    Discriminator(lambda value: "time" if _has(value, "expiresAt") else "usage"),
]


class CreatePrivateLinkOutput(CalModel):
    status: str = Field(description="Response status", examples=["success"])
    data: PrivateLinkOutput


class GetPrivateLinksOutput(CalModel):
    status: str = Field(description="Response status", examples=["success"])
    data: list[PrivateLinkOutput]


class UpdatePrivateLinkOutput(CalModel):
    status: str = Field(description="Response status", examples=["success"])
    data: PrivateLinkOutput


class DeletePrivateLinkData(CalModel):
    linkId: str
    message: str


class DeletePrivateLinkOutput(CalModel):
    status: str = Field(description="Response status", examples=["success"])
    data: DeletePrivateLinkData
