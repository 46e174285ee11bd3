"""Cal.com's cross-field rules of an event type, checked on the state a request would leave.

Pure: each function receives the stored state (see `mapping`) and the names of the API fields the
request sent, and raises `BadRequest` with Cal.com's message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from typing import Any

from opencal.core.errors import BadRequest
from opencal.event_types.mapping import booking_field_slugs

RECURRENCE_WITH_ACTIVE_LIMIT = (
    "Can't have `recurrence` and `bookerActiveBookingsLimit` enabled at the same time - recurring events do not "
    "support maximum active bookings limit setting."
)
_VARIABLE = re.compile(r"\{([^{}]*)\}")
_NAME_VARIABLES = frozenset(
    {
        "event type title",
        "organiser",
        "organiser first name",
        "organiser given name",
        "scheduler",
        "scheduler first name",
        "scheduler last name",
        "location",
        "event duration",
        "host/attendee",
        "host",
        "attendee",
        "user",
    }
)


def check_length_options(state: Mapping[str, Any], sent: Set[str]) -> None:
    """`lengthInMinutesOptions` must include the `lengthInMinutes` sent with it."""
    if not {"lengthInMinutes", "lengthInMinutesOptions"} <= sent:
        return
    options = (state.get("metadata_") or {}).get("multipleDuration")
    if options and state["length"] not in options:
        raise BadRequest(
            f"lengthInMinutesOptions must include lengthInMinutes ({state['length']}), got {sorted(options)}"
        )


def check_seats(state: Mapping[str, Any], sent: Set[str]) -> None:
    """Seats exclude several locations and a confirmation policy, whichever is set first (§3.9)."""
    if state.get("seats_per_time_slot") is None:
        return
    locations = state.get("locations") or []
    if len(locations) > 1:
        if "locations" in sent and "seats" not in sent:
            raise BadRequest("Locations Validation failed: Multiple locations but seats are enabled.")
        raise BadRequest("Seats Validation failed: Seats are enabled but more than one location provided.")
    if state.get("requires_confirmation"):
        if "confirmationPolicy" in sent and "seats" not in sent:
            raise BadRequest(
                "RequiresConfirmation Validation failed: Seats are enabled but requiresConfirmation is true."
            )
        raise BadRequest("Seats Validation failed: Seats are enabled but requiresConfirmation is true.")


def check_recurrence_and_active_limit(state: Mapping[str, Any]) -> None:
    has_limit = state.get("max_active_bookings_per_booker") is not None or state.get(
        "max_active_booking_per_booker_offer_reschedule"
    )
    if state.get("recurring_event") and has_limit:
        raise BadRequest(RECURRENCE_WITH_ACTIVE_LIMIT)


def check_email_field_accessible(state: Mapping[str, Any]) -> None:
    """User event types need an email field the booker sees and must fill (team events may be phone-only)."""
    email = next((field for field in state.get("booking_fields") or [] if field.get("name") == "email"), None)
    if email is None or not email.get("required") or email.get("hidden"):
        raise BadRequest("checkIsEmailUserAccessible - Email booking field must be required and visible")


def check_contact_field(state: Mapping[str, Any]) -> None:
    """A visible, required email or attendee phone field (the rule for team event types)."""
    fields = {field.get("name"): field for field in state.get("booking_fields") or []}
    if not any(
        (field := fields.get(name)) is not None and field.get("required") and not field.get("hidden")
        for name in ("email", "attendeePhoneNumber")
    ):
        raise BadRequest(
            "Booking fields validation failed: visible and required email or visible and required attendee phone "
            "field is needed."
        )


def check_custom_name(state: Mapping[str, Any]) -> None:
    """Every `{variable}` of `customName` must be a known one or a booking field's slug."""
    name = state.get("event_name")
    if not name:
        return
    slugs = {slug.lower() for slug in booking_field_slugs(state.get("booking_fields") or [])}
    for variable in _VARIABLE.findall(name):
        key = variable.strip().lower()
        if key not in _NAME_VARIABLES and key not in slugs:
            raise BadRequest(f"Invalid event name variables: {{{variable}}}")


def check_state(state: Mapping[str, Any], sent: Set[str]) -> None:
    """The rules every event type (user or team) follows."""
    check_length_options(state, sent)
    check_seats(state, sent)
    check_recurrence_and_active_limit(state)
    check_custom_name(state)
