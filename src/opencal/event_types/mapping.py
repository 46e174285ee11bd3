"""The one place where event types change shape: API 2024-06-14 <-> stored columns <-> legacy API.

Everything here is pure (no database, no clock). A stored event type is handled as a plain dict
keyed by the `EventType` attribute names (`length`, `period_type`, `metadata_`, ...), so the same
code serves user and team event types, creates and updates:

    column_defaults() -> dict                         what a new event type starts from
    column_changes(body, current) -> dict             the columns an input body changes
    event_type_output(stored, ...) -> dict            EventTypeOutput_2024_06_14
    legacy_event_type(stored, ...) -> dict            an event type of the legacy list (2024-04-15)
    locations_output / booking_fields_output          the typed API lists, also for slots and bookings

JSON columns keep Cal.com's internal shapes (`{"type": "integrations:daily"}` locations, booking
fields with `editable`/`sources`, `{"PER_DAY": 2}` limits, `{"freq": 2, ...}` recurrence), which the
legacy API echoes as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from opencal.core.errors import BadRequest
from opencal.event_types.schemas import (
    BaseEventTypeInput,
    Disabled_2024_06_14,
    EmailDefaultFieldInput_2024_06_14,
    LocationDefaultFieldInput_2024_06_14,
    NameDefaultFieldInput_2024_06_14,
    RangeWindow_2024_06_14,
)
from opencal.models import EventType
from opencal.models.event_types import RANGE, ROLLING, ROLLING_WINDOW, UNLIMITED
from opencal.users.service import slugify

Stored = Mapping[str, Any]

# -- locations ------------------------------------------------------------------------------------

# API integration name <-> stored location type.
INTEGRATION_TYPES = {
    "cal-video": "integrations:daily",
    "google-meet": "integrations:google:meet",
    "zoom": "integrations:zoom",
    "office365-video": "integrations:office365_video",
}
_STORED_INTEGRATIONS = {
    **{stored: api for api, stored in INTEGRATION_TYPES.items()},
    "integrations:whereby_video": "whereby-video",
    "integrations:whatsapp_video": "whatsapp-video",
    "integrations:webex_video": "webex-video",
    "integrations:telegram_video": "telegram-video",
    "integrations:tandem": "tandem",
    "integrations:sylaps_video": "sylaps-video",
    "integrations:skype_video": "skype-video",
    "integrations:sirius_video_video": "sirius-video",
    "integrations:signal_video": "signal-video",
    "integrations:shimmer_video": "shimmer-video",
    "integrations:salesroom_video": "salesroom-video",
    "integrations:roam_video": "roam-video",
    "integrations:riverside_video": "riverside-video",
    "integrations:ping_video": "ping-video",
    "integrations:mirotalk_video": "mirotalk-video",
    "integrations:jitsi": "jitsi",
    "integrations:jelly_video": "jelly-video",
    "integrations:jelly_conferencing": "jelly-conferencing",
    "integrations:huddle01": "huddle",
    "integrations:facetime_video": "facetime-video",
    "integrations:element-call_video": "element-call-video",
    "integrations:eightxeight_video": "eightxeight-video",
    "integrations:discord_video": "discord-video",
    "integrations:demodesk_video": "demodesk-video",
    "integrations:campfire_video": "campfire-video",
}
CAL_VIDEO_LOCATION: dict[str, Any] = {"type": INTEGRATION_TYPES["cal-video"]}
# The app whose connection a video integration needs (Cal.com's app slugs).
INTEGRATION_APPS = {"google-meet": "google-meet", "zoom": "zoom", "office365-video": "msteams"}


def stored_location(location: Mapping[str, Any]) -> dict[str, Any]:
    """One validated API location (`{type: "address", ...}`) in its stored shape."""
    kind = location["type"]
    if kind == "address":
        return {"type": "inPerson", "address": location["address"], "displayLocationPublicly": location["public"]}
    if kind == "link":
        return {"type": "link", "link": location["link"], "displayLocationPublicly": location["public"]}
    if kind == "phone":
        return {
            "type": "userPhone",
            "hostPhoneNumber": location["phone"],
            "displayLocationPublicly": location["public"],
        }
    if kind == "integration":
        return {"type": INTEGRATION_TYPES[location["integration"]]}
    simple = {"attendeeAddress": "attendeeInPerson", "attendeePhone": "phone", "attendeeDefined": "somewhereElse"}
    if kind in simple:
        return {"type": simple[kind]}
    if kind == "organizersDefaultApp":
        return {"type": "conferencing"}
    raise ValueError(f"unsupported location type {kind!r}")


def locations_output(stored: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored locations as the API's typed objects; anything unrecognised as `{type: "unknown"}`."""
    result: list[dict[str, Any]] = []
    for location in stored:
        kind = location.get("type")
        public = bool(location.get("displayLocationPublicly", False))
        if kind == "inPerson" and location.get("address"):
            result.append({"type": "address", "address": location["address"], "public": public})
        elif kind == "link" and location.get("link"):
            result.append({"type": "link", "link": location["link"], "public": public})
        elif kind == "userPhone" and location.get("hostPhoneNumber"):
            result.append({"type": "phone", "phone": location["hostPhoneNumber"], "public": public})
        elif kind == "attendeeInPerson":
            result.append({"type": "attendeeAddress"})
        elif kind == "phone":
            result.append({"type": "attendeePhone"})
        elif kind == "somewhereElse":
            result.append({"type": "attendeeDefined"})
        elif kind == "conferencing":
            result.append({"type": "organizersDefaultApp"})
        elif isinstance(kind, str) and kind in _STORED_INTEGRATIONS:
            entry: dict[str, Any] = {"type": "integration", "integration": _STORED_INTEGRATIONS[kind]}
            if location.get("link"):
                entry["link"] = location["link"]
            if location.get("credentialId") is not None:
                entry["credentialId"] = location["credentialId"]
            result.append(entry)
        else:
            result.append({"type": "unknown", "location": json.dumps(dict(location), separators=(",", ":"))})
    return result


# -- booking fields -------------------------------------------------------------------------------

_DEFAULT_SOURCE = [{"label": "Default", "id": "default", "type": "default"}]
_USER_SOURCE = [{"id": "user", "type": "user", "label": "User", "fieldRequired": True}]

# The system fields in their stored shape and in output order (BEHAVIOR.md §6.2).
SYSTEM_FIELDS: dict[str, dict[str, Any]] = {
    "name": {
        "name": "name",
        "type": "name",
        "editable": "system",
        "defaultLabel": "your_name",
        "required": True,
        "variant": "fullName",
        "sources": _DEFAULT_SOURCE,
    },
    "email": {
        "name": "email",
        "type": "email",
        "editable": "system-but-optional",
        "defaultLabel": "email_address",
        "required": True,
        "sources": _DEFAULT_SOURCE,
    },
    "location": {
        "name": "location",
        "type": "radioInput",
        "editable": "system",
        "defaultLabel": "location",
        "required": False,
        "hideWhenJustOneOption": True,
        "getOptionsAt": "locations",
        "sources": _DEFAULT_SOURCE,
    },
    "title": {
        "name": "title",
        "type": "text",
        "editable": "system-but-optional",
        "defaultLabel": "what_is_this_meeting_about",
        "defaultPlaceholder": "",
        "required": True,
        "hidden": True,
        "sources": _DEFAULT_SOURCE,
    },
    "notes": {
        "name": "notes",
        "type": "textarea",
        "editable": "system-but-optional",
        "defaultLabel": "additional_notes",
        "defaultPlaceholder": "share_additional_notes",
        "required": False,
        "sources": _DEFAULT_SOURCE,
    },
    "guests": {
        "name": "guests",
        "type": "multiemail",
        "editable": "system-but-optional",
        "defaultLabel": "additional_guests",
        "defaultPlaceholder": "email",
        "required": False,
        "hidden": False,
        "sources": _DEFAULT_SOURCE,
    },
    "rescheduleReason": {
        "name": "rescheduleReason",
        "type": "textarea",
        "editable": "system-but-optional",
        "defaultLabel": "reason_for_reschedule",
        "defaultPlaceholder": "reschedule_placeholder",
        "required": False,
        "views": [{"id": "reschedule", "label": "Reschedule View"}],
        "sources": _DEFAULT_SOURCE,
    },
}
# The attendee phone system field exists only when an input asks for it.
ATTENDEE_PHONE_FIELD: dict[str, Any] = {
    "name": "attendeePhoneNumber",
    "type": "phone",
    "editable": "system-but-optional",
    "defaultLabel": "phone_number",
    "required": False,
    "hidden": True,
    "sources": _DEFAULT_SOURCE,
}
_SYSTEM_EDITABLE = ("system", "system-but-optional")
_OUTPUT_TYPES = {"location": "radioInput", "title": "text", "notes": "textarea", "guests": "multiemail"}


def default_booking_fields() -> list[dict[str, Any]]:
    return [dict(field) for field in SYSTEM_FIELDS.values()]


def _customized(base: Mapping[str, Any], **overrides: Any) -> dict[str, Any]:
    field = dict(base)
    field.update({key: value for key, value in overrides.items() if value is not None})
    return field


def _system_field(field: Any) -> tuple[str, dict[str, Any]] | None:
    """The stored system field an input entry customizes, or None for a custom field."""
    if isinstance(field, NameDefaultFieldInput_2024_06_14):
        return "name", _customized(
            SYSTEM_FIELDS["name"],
            label=field.label,
            placeholder=field.placeholder,
            disableOnPrefill=bool(field.disableOnPrefill),
        )
    if isinstance(field, EmailDefaultFieldInput_2024_06_14):
        return "email", _customized(
            SYSTEM_FIELDS["email"],
            label=field.label,
            placeholder=field.placeholder,
            required=field.required,
            hidden=bool(field.hidden),
            disableOnPrefill=bool(field.disableOnPrefill),
        )
    if isinstance(field, LocationDefaultFieldInput_2024_06_14):
        return "location", _customized(SYSTEM_FIELDS["location"], label=field.label)
    slug = getattr(field, "slug", None)
    if slug in ("title", "notes", "guests", "rescheduleReason"):
        return slug, _customized(
            SYSTEM_FIELDS[slug],
            required=bool(field.required),
            hidden=bool(field.hidden),
            label=field.label,
            placeholder=field.placeholder,
            disableOnPrefill=bool(field.disableOnPrefill),
        )
    if slug == "attendeePhoneNumber" and field.type == "phone":
        return "attendeePhoneNumber", _customized(
            ATTENDEE_PHONE_FIELD,
            required=field.required,
            hidden=bool(field.hidden),
            label=field.label,
            placeholder=field.placeholder,
            disableOnPrefill=bool(field.disableOnPrefill),
        )
    return None


def _custom_field(field: Any) -> dict[str, Any]:
    stored: dict[str, Any] = {
        "name": field.slug,
        "type": field.type,
        "label": field.label,
        "required": field.required,
        "hidden": bool(field.hidden),
        "disableOnPrefill": bool(field.disableOnPrefill),
        "editable": "user",
        "sources": _USER_SOURCE,
    }
    placeholder = getattr(field, "placeholder", None)
    if placeholder is not None:
        stored["placeholder"] = placeholder
    options = getattr(field, "options", None)
    if options is not None:
        stored["options"] = [{"label": option, "value": option} for option in options]
    return stored


def stored_booking_fields(fields: Sequence[Any]) -> list[dict[str, Any]]:
    """Input booking fields as the complete stored list: system fields first, then custom ones.

    System fields not mentioned keep their defaults; the attendee phone field exists only when given.
    """
    systems: dict[str, dict[str, Any]] = {}
    customs: list[dict[str, Any]] = []
    for field in fields:
        system = _system_field(field)
        if system is None:
            customs.append(_custom_field(field))
        else:
            systems[system[0]] = system[1]
    result = [systems.get(name, dict(base)) for name, base in SYSTEM_FIELDS.items()]
    if "attendeePhoneNumber" in systems:
        result.append(systems["attendeePhoneNumber"])
    return [*result, *customs]


def with_guests_hidden(fields: Sequence[Mapping[str, Any]], hidden: bool) -> list[dict[str, Any]]:
    """`disableGuests` hides (or shows) the guests field."""
    return [{**field, "hidden": hidden} if field.get("name") == "guests" else dict(field) for field in fields]


def _is_system(field: Mapping[str, Any]) -> bool:
    return field.get("editable") in _SYSTEM_EDITABLE


def _optional(field: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: field[key] for key in keys if field.get(key) is not None}


def booking_fields_output(stored: Iterable[Mapping[str, Any]], location_count: int) -> list[dict[str, Any]]:
    """Stored booking fields as the API's typed objects (`isDefault` true for system fields).

    The location field is shown only when the event has more than one location.
    """
    result: list[dict[str, Any]] = []
    for field in stored:
        name = field.get("name")
        if _is_system(field):
            if name == "location" and location_count <= 1:
                continue
            if name in SYSTEM_FIELDS:
                entry: dict[str, Any] = {
                    "isDefault": True,
                    "type": _OUTPUT_TYPES.get(str(name), field.get("type")),
                    "slug": name,
                    "required": bool(field.get("required")),
                }
                if name != "name":
                    entry["hidden"] = bool(field.get("hidden"))
                entry.update(_optional(field, "label"))
                if name != "location":
                    entry.update(_optional(field, "placeholder"))
                    entry["disableOnPrefill"] = bool(field.get("disableOnPrefill"))
                result.append(entry)
                continue
            if name == "attendeePhoneNumber":
                result.append(
                    {
                        "isDefault": True,
                        "type": "phone",
                        "slug": name,
                        "label": field.get("label") or "",
                        "required": bool(field.get("required")),
                        "hidden": bool(field.get("hidden")),
                        "disableOnPrefill": bool(field.get("disableOnPrefill")),
                        **_optional(field, "placeholder"),
                    }
                )
                continue
        elif name and field.get("type"):
            entry = {
                "isDefault": False,
                "type": field["type"],
                "slug": name,
                "label": field.get("label") or "",
                "required": bool(field.get("required")),
                "hidden": bool(field.get("hidden")),
                "disableOnPrefill": bool(field.get("disableOnPrefill")),
                **_optional(field, "placeholder"),
            }
            if "options" in field:
                entry["options"] = [option.get("value") for option in field.get("options") or []]
            result.append(entry)
            continue
        result.append(
            {"type": "unknown", "slug": "unknown", "bookingField": json.dumps(dict(field), separators=(",", ":"))}
        )
    return result


def without_hidden_fields(fields: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the public list shows: booking fields not marked hidden."""
    return [field for field in fields if field.get("hidden") is not True]


def booking_field_slugs(stored: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(field["name"]) for field in stored if field.get("name")}


# -- limits, window, policies ---------------------------------------------------------------------

_LIMIT_KEYS = {"day": "PER_DAY", "week": "PER_WEEK", "month": "PER_MONTH", "year": "PER_YEAR"}
_FREQUENCIES = {"yearly": 0, "monthly": 1, "weekly": 2}
_LAYOUTS = {"month": "month_view", "week": "week_view", "column": "column_view"}


def stored_limits(limits: Any) -> dict[str, int] | None:
    """`{day: 2}` -> `{"PER_DAY": 2}`; `{disabled: true}` clears every limit (stored as `{}`)."""
    if limits is None:
        return None
    if isinstance(limits, Disabled_2024_06_14) or getattr(limits, "disabled", False):
        return {}
    return {stored: value for key, stored in _LIMIT_KEYS.items() if (value := getattr(limits, key)) is not None}


def limits_output(stored: Mapping[str, Any] | None) -> dict[str, int] | None:
    if stored is None:
        return None
    return {key: stored[internal] for key, internal in _LIMIT_KEYS.items() if stored.get(internal) is not None}


def _window_columns(window: Any) -> dict[str, Any]:
    cleared: dict[str, Any] = {
        "period_type": UNLIMITED,
        "period_days": None,
        "period_count_calendar_days": None,
        "period_start_date": None,
        "period_end_date": None,
    }
    if isinstance(window, Disabled_2024_06_14) or getattr(window, "disabled", False):
        return cleared
    if isinstance(window, RangeWindow_2024_06_14):
        first, last = _range_dates(window.value)
        return {**cleared, "period_type": RANGE, "period_start_date": first, "period_end_date": last}
    return {
        **cleared,
        "period_type": ROLLING_WINDOW if window.rolling else ROLLING,
        "period_days": window.value,
        "period_count_calendar_days": window.type == "calendarDays",
    }


def _range_dates(values: Sequence[str]) -> tuple[date, date]:
    if len(values) != 2:
        raise BadRequest("bookingWindow: a range needs exactly two dates, [start, end]")
    try:
        first, last = (date.fromisoformat(value[:10]) for value in values)
    except ValueError:
        raise BadRequest("bookingWindow: range values must be dates in format YYYY-MM-DD") from None
    if last < first:
        raise BadRequest("bookingWindow: the range end date must not be before its start date")
    return first, last


def booking_window_output(stored: Stored) -> dict[str, Any]:
    period = stored.get("period_type") or UNLIMITED
    if period == RANGE:
        first, last = stored.get("period_start_date"), stored.get("period_end_date")
        return {"type": "range", "value": [first.isoformat() if first else None, last.isoformat() if last else None]}
    if period in (ROLLING, ROLLING_WINDOW):
        return {
            "type": "calendarDays" if stored.get("period_count_calendar_days") else "businessDays",
            "value": stored.get("period_days"),
            "rolling": period == ROLLING_WINDOW,
        }
    return {"disabled": True}


def confirmation_policy_output(stored: Stored) -> dict[str, Any]:
    threshold = (stored.get("metadata_") or {}).get("requiresConfirmationThreshold")
    block = bool(stored.get("requires_confirmation_will_block_slot"))
    if threshold and threshold.get("unit"):
        return {
            "type": "time",
            "noticeThreshold": {"unit": threshold["unit"], "count": threshold.get("time")},
            "blockUnconfirmedBookingsInBooker": block,
        }
    if stored.get("requires_confirmation"):
        return {"type": "always", "blockUnconfirmedBookingsInBooker": block}
    return {"disabled": True}


def recurrence_output(stored: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not stored:
        return None
    frequency = next((name for name, number in _FREQUENCIES.items() if number == stored.get("freq")), None)
    if frequency is None:
        return None
    return {"interval": stored.get("interval"), "occurrences": stored.get("count"), "frequency": frequency}


def seats_output(stored: Stored) -> dict[str, Any]:
    if stored.get("seats_per_time_slot") is None:
        return {"disabled": True}
    return {
        "seatsPerTimeSlot": stored["seats_per_time_slot"],
        "showAttendeeInfo": bool(stored.get("seats_show_attendees")),
        "showAvailabilityCount": bool(stored.get("seats_show_availability_count")),
    }


def active_bookings_limit_output(stored: Stored) -> dict[str, Any]:
    maximum = stored.get("max_active_bookings_per_booker")
    offer = bool(stored.get("max_active_booking_per_booker_offer_reschedule"))
    if maximum is None and not offer:
        return {"disabled": True}
    result: dict[str, Any] = {"offerReschedule": offer}
    if maximum is not None:
        result["maximumActiveBookings"] = maximum
    return result


def booker_layouts_output(stored: Stored) -> dict[str, Any] | None:
    layouts = (stored.get("metadata_") or {}).get("bookerLayouts")
    if not layouts:
        return None
    to_api = {internal: api for api, internal in _LAYOUTS.items()}
    return {
        "defaultLayout": to_api.get(layouts.get("defaultLayout"), layouts.get("defaultLayout")),
        "enabledLayouts": [to_api.get(layout, layout) for layout in layouts.get("enabledLayouts") or []],
    }


def color_output(stored: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not stored:
        return None
    return {
        "lightThemeHex": stored.get("lightEventTypeColor", ""),
        "darkThemeHex": stored.get("darkEventTypeColor", ""),
    }


def disable_rescheduling_output(stored: Stored) -> dict[str, Any]:
    if stored.get("disable_rescheduling"):
        return {"disabled": True}
    notice = stored.get("minimum_reschedule_notice")
    if notice:
        return {"disabled": False, "minutesBefore": notice}
    return {"disabled": False}


def cal_video_settings_output(stored: Stored) -> dict[str, Any]:
    return {
        **(stored.get("cal_video_settings") or {}),
        "sendTranscriptionEmails": bool(stored.get("can_send_cal_video_transcription_emails", True)),
    }


# -- input -> columns -----------------------------------------------------------------------------


def column_defaults() -> dict[str, Any]:
    """The stored state a new event type starts from (Cal.com's database defaults)."""
    defaults: dict[str, Any] = {}
    for column in EventType.__table__.columns:
        attribute = "metadata_" if column.key == "metadata" else column.key
        default = column.default
        if default is None or attribute in ("id", "created_at", "updated_at"):
            defaults.setdefault(attribute, None)
        elif default.is_callable:
            defaults[attribute] = default.arg(None)
        else:
            defaults[attribute] = default.arg
    defaults.pop("id", None)
    defaults.pop("created_at", None)
    defaults.pop("updated_at", None)
    defaults["locations"] = [dict(CAL_VIDEO_LOCATION)]
    defaults["booking_fields"] = default_booking_fields()
    return defaults


_PLAIN_COLUMNS = {
    "lengthInMinutes": "length",
    "title": "title",
    "description": "description",
    "slotInterval": "slot_interval",
    "minimumBookingNotice": "minimum_booking_notice",
    "beforeEventBuffer": "before_event_buffer",
    "afterEventBuffer": "after_event_buffer",
    "scheduleId": "schedule_id",
    "onlyShowFirstAvailableSlot": "only_show_first_available_slot",
    "offsetStart": "offset_start",
    "requiresBookerEmailVerification": "requires_booker_email_verification",
    "hideCalendarNotes": "hide_calendar_notes",
    "lockTimeZoneToggleOnBookingPage": "lock_time_zone_toggle_on_booking_page",
    "customName": "event_name",
    "useDestinationCalendarEmail": "use_event_type_destination_calendar_email",
    "hideCalendarEventDetails": "hide_calendar_event_details",
    "successRedirectUrl": "success_redirect_url",
    "hideOrganizerEmail": "hide_organizer_email",
    "hidden": "hidden",
    "bookingRequiresAuthentication": "booking_requires_authentication",
    "interfaceLanguage": "interface_language",
    "allowReschedulingPastBookings": "allow_rescheduling_past_bookings",
    "allowReschedulingCancelledBookings": "allow_rescheduling_cancelled_bookings",
    "showOptimizedSlots": "show_optimized_slots",
    "disableGuests": "disable_guests",
}
# Columns a JSON null clears; a null sent for any other column leaves it as it is.
_NULLABLE = {"description", "slot_interval", "schedule_id", "event_name", "success_redirect_url", "interface_language"}


def column_changes(body: BaseEventTypeInput, current: Stored) -> dict[str, Any]:
    """The stored columns that the fields present in `body` change, given the `current` state."""
    sent = body.model_fields_set
    changes: dict[str, Any] = {}
    metadata = dict(current.get("metadata_") or {})

    for field, column in _PLAIN_COLUMNS.items():
        if field not in sent:
            continue
        value = getattr(body, field)
        if value is not None or column in _NULLABLE:
            changes[column] = value
    requested_slug = getattr(body, "slug", None)
    if "slug" in sent and requested_slug is not None:
        slug = slugify(requested_slug)
        if not slug:
            raise BadRequest("slug: must contain at least one letter or digit")
        changes["slug"] = slug
    if "lengthInMinutesOptions" in sent:
        _set_or_drop(metadata, "multipleDuration", body.lengthInMinutesOptions)
    if "locations" in sent and body.locations is not None:
        changes["locations"] = [stored_location(location.model_dump()) for location in body.locations]
    if "bookingFields" in sent and body.bookingFields is not None:
        changes["booking_fields"] = stored_booking_fields(body.bookingFields)
    if "disableGuests" in sent and body.disableGuests is not None:
        fields: Sequence[Mapping[str, Any]] = changes.get("booking_fields") or current.get("booking_fields") or []
        changes["booking_fields"] = with_guests_hidden(fields, body.disableGuests)
    if "bookingLimitsCount" in sent:
        changes["booking_limits"] = stored_limits(body.bookingLimitsCount)
    if "bookingLimitsDuration" in sent:
        changes["duration_limits"] = stored_limits(body.bookingLimitsDuration)
    if "bookerActiveBookingsLimit" in sent and body.bookerActiveBookingsLimit is not None:
        limit = body.bookerActiveBookingsLimit
        if isinstance(limit, Disabled_2024_06_14):
            changes["max_active_bookings_per_booker"] = None
            changes["max_active_booking_per_booker_offer_reschedule"] = False
        else:
            changes["max_active_bookings_per_booker"] = limit.maximumActiveBookings
            changes["max_active_booking_per_booker_offer_reschedule"] = bool(limit.offerReschedule)
    if "bookingWindow" in sent and body.bookingWindow is not None:
        changes.update(_window_columns(body.bookingWindow))
    if "bookerLayouts" in sent:
        layouts = body.bookerLayouts
        _set_or_drop(
            metadata,
            "bookerLayouts",
            None
            if layouts is None
            else {
                "defaultLayout": _LAYOUTS[layouts.defaultLayout],
                "enabledLayouts": [_LAYOUTS[layout] for layout in layouts.enabledLayouts],
            },
        )
    if "confirmationPolicy" in sent and body.confirmationPolicy is not None:
        policy = body.confirmationPolicy
        if isinstance(policy, Disabled_2024_06_14) or policy.disabled:
            changes["requires_confirmation"] = False
            changes["requires_confirmation_will_block_slot"] = False
            metadata.pop("requiresConfirmationThreshold", None)
        else:
            changes["requires_confirmation"] = True
            changes["requires_confirmation_will_block_slot"] = policy.blockUnconfirmedBookingsInBooker
            threshold = policy.noticeThreshold if policy.type == "time" else None
            _set_or_drop(
                metadata,
                "requiresConfirmationThreshold",
                None if threshold is None else {"unit": threshold.unit, "time": threshold.count},
            )
    if "recurrence" in sent:
        recurrence = body.recurrence
        if recurrence is None or isinstance(recurrence, Disabled_2024_06_14) or recurrence.disabled:
            changes["recurring_event"] = None
        else:
            changes["recurring_event"] = {
                "freq": _FREQUENCIES[recurrence.frequency],
                "interval": recurrence.interval,
                "count": recurrence.occurrences,
            }
    if "seats" in sent and body.seats is not None:
        seats = body.seats
        if isinstance(seats, Disabled_2024_06_14) or seats.disabled:
            changes["seats_per_time_slot"] = None
            changes["seats_show_attendees"] = False
            changes["seats_show_availability_count"] = False
        else:
            changes["seats_per_time_slot"] = seats.seatsPerTimeSlot
            changes["seats_show_attendees"] = seats.showAttendeeInfo
            changes["seats_show_availability_count"] = seats.showAvailabilityCount
    if "color" in sent:
        color = body.color
        changes["event_type_color"] = (
            None
            if color is None
            else {"lightEventTypeColor": color.lightThemeHex, "darkEventTypeColor": color.darkThemeHex}
        )
    if "destinationCalendar" in sent:
        calendar = body.destinationCalendar
        changes["destination_calendar"] = None if calendar is None else calendar.model_dump()
    if "calVideoSettings" in sent and body.calVideoSettings is not None:
        settings = body.calVideoSettings.model_dump(exclude_unset=True)
        send_emails = settings.pop("sendTranscriptionEmails", None)
        if settings:
            changes["cal_video_settings"] = {**(current.get("cal_video_settings") or {}), **settings}
        if send_emails is not None:
            changes["can_send_cal_video_transcription_emails"] = send_emails
    if "disableCancelling" in sent and body.disableCancelling is not None:
        changes["disable_cancelling"] = body.disableCancelling.disabled is True
    if "disableRescheduling" in sent and body.disableRescheduling is not None:
        rescheduling = body.disableRescheduling
        changes["disable_rescheduling"] = rescheduling.disabled is True
        changes["minimum_reschedule_notice"] = None if rescheduling.disabled else rescheduling.minutesBefore

    if metadata != (current.get("metadata_") or {}):
        changes["metadata_"] = metadata
    return changes


def _set_or_drop(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


# -- stored -> API --------------------------------------------------------------------------------


def event_type_output(
    stored: Stored,
    *,
    owner_id: int,
    users: Sequence[Mapping[str, Any]],
    booking_url: str,
    public_fields_only: bool = False,
) -> dict[str, Any]:
    """`EventTypeOutput_2024_06_14` of a stored event type; optional fields Cal.com leaves out when
    unset are left out here too."""
    metadata = dict(stored.get("metadata_") or {})
    options = metadata.get("multipleDuration")
    for internal in ("bookerLayouts", "requiresConfirmationThreshold"):
        metadata.pop(internal, None)
    locations = locations_output(stored.get("locations") or [])
    fields = booking_fields_output(stored.get("booking_fields") or [], len(locations))
    output: dict[str, Any] = {
        "id": stored["id"],
        "ownerId": owner_id,
        "lengthInMinutes": stored["length"],
        **({"lengthInMinutesOptions": list(options)} if options else {}),
        "title": stored["title"],
        "slug": stored["slug"],
        "description": stored.get("description") or "",
        "locations": locations,
        "bookingFields": without_hidden_fields(fields) if public_fields_only else fields,
        "recurrence": recurrence_output(stored.get("recurring_event")),
        "disableGuests": bool(stored.get("disable_guests")),
        "slotInterval": stored.get("slot_interval"),
        "minimumBookingNotice": stored.get("minimum_booking_notice"),
        "beforeEventBuffer": stored.get("before_event_buffer"),
        "afterEventBuffer": stored.get("after_event_buffer"),
        "metadata": metadata,
        "price": stored.get("price", 0),
        "currency": stored.get("currency", "usd"),
        "lockTimeZoneToggleOnBookingPage": bool(stored.get("lock_time_zone_toggle_on_booking_page")),
        "forwardParamsSuccessRedirect": stored.get("forward_params_success_redirect"),
        "successRedirectUrl": stored.get("success_redirect_url"),
        "isInstantEvent": bool(stored.get("is_instant_event")),
        "users": list(users),
        "scheduleId": stored.get("schedule_id"),
        "onlyShowFirstAvailableSlot": bool(stored.get("only_show_first_available_slot")),
        "offsetStart": stored.get("offset_start"),
        "bookingWindow": booking_window_output(stored),
        "confirmationPolicy": confirmation_policy_output(stored),
        "requiresBookerEmailVerification": bool(stored.get("requires_booker_email_verification")),
        "hideCalendarNotes": bool(stored.get("hide_calendar_notes")),
        "seats": seats_output(stored),
        "useDestinationCalendarEmail": bool(stored.get("use_event_type_destination_calendar_email")),
        "hideCalendarEventDetails": bool(stored.get("hide_calendar_event_details")),
        "hideOrganizerEmail": bool(stored.get("hide_organizer_email")),
        "calVideoSettings": cal_video_settings_output(stored),
        "hidden": bool(stored.get("hidden")),
        "bookingRequiresAuthentication": bool(stored.get("booking_requires_authentication")),
        "bookerActiveBookingsLimit": active_bookings_limit_output(stored),
        "bookingUrl": booking_url,
        "disableCancelling": {"disabled": bool(stored.get("disable_cancelling"))},
        "disableRescheduling": disable_rescheduling_output(stored),
        "interfaceLanguage": stored.get("interface_language"),
        "allowReschedulingPastBookings": bool(stored.get("allow_rescheduling_past_bookings")),
        "allowReschedulingCancelledBookings": bool(stored.get("allow_rescheduling_cancelled_bookings")),
        "showOptimizedSlots": bool(stored.get("show_optimized_slots")),
    }
    optional = {
        "bookingLimitsCount": limits_output(stored.get("booking_limits")),
        "bookingLimitsDuration": limits_output(stored.get("duration_limits")),
        "bookerLayouts": booker_layouts_output(stored),
        "color": color_output(stored.get("event_type_color")),
        "customName": stored.get("event_name"),
        "destinationCalendar": stored.get("destination_calendar"),
    }
    output.update({key: value for key, value in optional.items() if value is not None})
    return output


def delete_output(stored: Stored) -> dict[str, Any]:
    return {"id": stored["id"], "lengthInMinutes": stored["length"], "title": stored["title"], "slug": stored["slug"]}


# -- stored -> legacy API (2024-04-15) -----------------------------------------------------------

_LEGACY_NAMES = {
    "id": "id",
    "team_id": "teamId",
    "scheduling_type": "schedulingType",
    "owner_id": "userId",
    "description": "description",
    "hidden": "hidden",
    "slug": "slug",
    "length": "length",
    "title": "title",
    "requires_confirmation": "requiresConfirmation",
    "requires_confirmation_will_block_slot": "requiresConfirmationWillBlockSlot",
    "position": "position",
    "offset_start": "offsetStart",
    "event_name": "eventName",
    "parent_id": "parentId",
    "period_type": "periodType",
    "period_days": "periodDays",
    "period_count_calendar_days": "periodCountCalendarDays",
    "lock_time_zone_toggle_on_booking_page": "lockTimeZoneToggleOnBookingPage",
    "requires_booker_email_verification": "requiresBookerEmailVerification",
    "disable_guests": "disableGuests",
    "disable_cancelling": "disableCancelling",
    "disable_rescheduling": "disableRescheduling",
    "allow_rescheduling_cancelled_bookings": "allowReschedulingCancelledBookings",
    "allow_rescheduling_past_bookings": "allowReschedulingPastBookings",
    "hide_calendar_notes": "hideCalendarNotes",
    "hide_calendar_event_details": "hideCalendarEventDetails",
    "hide_organizer_email": "hideOrganizerEmail",
    "minimum_booking_notice": "minimumBookingNotice",
    "before_event_buffer": "beforeEventBuffer",
    "after_event_buffer": "afterEventBuffer",
    "seats_per_time_slot": "seatsPerTimeSlot",
    "seats_show_attendees": "seatsShowAttendees",
    "seats_show_availability_count": "seatsShowAvailabilityCount",
    "only_show_first_available_slot": "onlyShowFirstAvailableSlot",
    "schedule_id": "scheduleId",
    "price": "price",
    "currency": "currency",
    "slot_interval": "slotInterval",
    "success_redirect_url": "successRedirectUrl",
    "is_instant_event": "isInstantEvent",
    "assign_all_team_members": "assignAllTeamMembers",
    "reschedule_with_same_round_robin_host": "rescheduleWithSameRoundRobinHost",
    "use_event_type_destination_calendar_email": "useEventTypeDestinationCalendarEmail",
    "interface_language": "interfaceLanguage",
    "recurring_event": "recurringEvent",
    "locations": "locations",
    "booking_fields": "bookingFields",
    "booking_limits": "bookingLimits",
    "duration_limits": "durationLimits",
    "event_type_color": "eventTypeColor",
}


def legacy_event_type(
    stored: Stored, *, user_ids: Sequence[int], hashed_links: Sequence[Mapping[str, Any]], children: Sequence[int]
) -> dict[str, Any]:
    """An event type as the legacy list returns it: the stored row under Cal.com's database names."""
    output = {legacy: stored.get(column) for column, legacy in _LEGACY_NAMES.items()}
    start, end = stored.get("period_start_date"), stored.get("period_end_date")
    output.update(
        {
            "metadata": stored.get("metadata_") or {},
            "timeZone": None,
            "periodStartDate": f"{start.isoformat()}T00:00:00.000Z" if start else None,
            "periodEndDate": f"{end.isoformat()}T00:00:00.000Z" if end else None,
            "userIds": list(user_ids),
            "hashedLink": [dict(link) for link in hashed_links],
            "children": [{"id": child} for child in children],
        }
    )
    if stored.get("description"):
        output["safeDescription"] = stored["description"]
    return output


# -- the dynamic group event (`?usernames=a,b`) ---------------------------------------------------


def dynamic_event_stored() -> dict[str, Any]:
    """Cal.com's built-in group event shared by several users (`cal.com/alice+bob/dynamic`)."""
    return {
        **column_defaults(),
        "id": 0,
        "length": 30,
        "slug": "dynamic",
        "title": "Group Meeting",
        "event_name": "Group Meeting",
        "description": "Join us for a meeting with multiple people",
        "scheduling_type": "COLLECTIVE",
        "metadata_": {"multipleDuration": [15, 30, 45, 60, 90]},
        "booking_fields": [],
    }
