"""Parsing of the `GET /v2/slots` query (2024-09-04) and the legacy `/v2/slots/available` one.

Cal.com rejects unknown query parameters here (unlike everywhere else), reads date-only bounds as
UTC day bounds, and moves an `end` at exactly 00:00:00 UTC to 23:59:59 of that day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from opencal.core.errors import BadRequest
from opencal.users.validation import is_valid_time_zone

SLOTS_PARAMETERS = frozenset(
    {
        "start",
        "end",
        "timeZone",
        "duration",
        "format",
        "bookingUidToReschedule",
        "eventTypeId",
        "eventTypeSlug",
        "username",
        "teamSlug",
        "organizationSlug",
        "usernames",
        "rrHostSubsetIds",
    }
)
LEGACY_PARAMETERS = frozenset(
    {
        "startTime",
        "endTime",
        "eventTypeId",
        "eventTypeSlug",
        "usernameList",
        "duration",
        "rescheduleUid",
        "timeZone",
        "orgSlug",
        "slotFormat",
        "isTeamEvent",
        "routedTeamMemberIds",
        "skipContactOwner",
        "teamMemberEmail",
        "orgId",
    }
)
INVALID_RANGE = "Invalid time range given - check the 'start' and 'end' query parameters."
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")


@dataclass(frozen=True)
class SlotsRequest:
    start: datetime
    end: datetime
    time_zone: str | None
    duration: int | None
    range_format: bool
    reschedule_uid: str | None
    event_type_id: int | None
    event_type_slug: str | None
    username: str | None
    team_slug: str | None
    organization_slug: str | None
    usernames: list[str] | None


def parse_instant(value: str, name: str, *, is_end: bool) -> datetime:
    """Strict ISO 8601: a date (UTC day bounds) or a date-time (UTC when it carries no offset)."""
    value = value.strip()
    if _DATE_ONLY.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise BadRequest(f"{name} must be a valid ISO 8601 date string, got '{value}'") from exc
        return datetime.combine(day, time(23, 59, 59) if is_end else time(0, 0), tzinfo=UTC)
    if not _DATE_TIME.fullmatch(value):
        raise BadRequest(f"{name} must be a valid ISO 8601 date string, got '{value}'")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(f"{name} must be a valid ISO 8601 date string, got '{value}'") from exc
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if is_end and parsed.time() == time(0, 0):
        # Cal.com's quirk: an end at exactly midnight UTC means the end of that day.
        parsed = parsed + timedelta(hours=23, minutes=59, seconds=59)
    return parsed


def _positive_int(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or int(value) < 1:
        raise BadRequest(f"{name} must be a positive integer, got '{value}'")
    return int(value)


def reject_unknown(params: Mapping[str, str], allowed: frozenset[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise BadRequest(
            "; ".join(f"{name} property is wrong, it is not an accepted query parameter" for name in unknown)
        )


def check_time_zone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not is_valid_time_zone(value):
        raise BadRequest(f"timeZone must be a valid IANA time zone, got '{value}'")
    return value


def parse_slots_query(params: Mapping[str, str]) -> SlotsRequest:
    reject_unknown(params, SLOTS_PARAMETERS)
    for required in ("start", "end"):
        if not params.get(required):
            raise BadRequest(f"{required} should not be empty; it must be a valid ISO 8601 date string")
    start = parse_instant(params["start"], "start", is_end=False)
    end = parse_instant(params["end"], "end", is_end=True)
    if end < start:
        raise BadRequest(INVALID_RANGE)
    slot_format = params.get("format", "time").lower()
    if slot_format not in ("time", "range"):
        raise BadRequest("slotFormat must be either 'range' or 'time'")
    usernames = (
        [name.strip() for name in params["usernames"].split(",") if name.strip()] if params.get("usernames") else None
    )
    if usernames is not None and len(usernames) < 2:
        raise BadRequest("usernames must contain at least 2 usernames separated by a comma")
    return SlotsRequest(
        start=start,
        end=end,
        time_zone=check_time_zone(params.get("timeZone")),
        duration=_positive_int(params.get("duration"), "duration"),
        range_format=slot_format == "range",
        reschedule_uid=params.get("bookingUidToReschedule") or None,
        event_type_id=_positive_int(params.get("eventTypeId"), "eventTypeId"),
        event_type_slug=params.get("eventTypeSlug") or None,
        username=params.get("username") or None,
        team_slug=params.get("teamSlug") or None,
        organization_slug=params.get("organizationSlug") or None,
        usernames=usernames,
    )


def parse_legacy_query(params: Mapping[str, str]) -> SlotsRequest:
    """`/v2/slots/available`: startTime/endTime, usernameList, slotFormat, rescheduleUid, orgSlug."""
    reject_unknown({k: v for k, v in params.items()}, LEGACY_PARAMETERS)
    for required in ("startTime", "endTime"):
        if not params.get(required):
            raise BadRequest(f"{required} should not be empty; it must be a valid ISO 8601 date string")
    start = parse_instant(params["startTime"], "startTime", is_end=False)
    end = parse_instant(params["endTime"], "endTime", is_end=True)
    if end < start:
        raise BadRequest("Invalid time range given - check the 'startTime' and 'endTime' query parameters.")
    slot_format = (params.get("slotFormat") or "time").lower()
    if slot_format not in ("time", "range"):
        raise BadRequest("slotFormat must be either 'range' or 'time'")
    usernames = [n.strip() for n in params.get("usernameList", "").split(",") if n.strip()] or None
    return SlotsRequest(
        start=start,
        end=end,
        time_zone=check_time_zone(params.get("timeZone")),
        duration=_positive_int(params.get("duration"), "duration"),
        range_format=slot_format == "range",
        reschedule_uid=params.get("rescheduleUid") or None,
        event_type_id=_positive_int(params.get("eventTypeId"), "eventTypeId"),
        event_type_slug=params.get("eventTypeSlug") or None,
        username=usernames[0] if usernames and len(usernames) == 1 else None,
        team_slug=None,
        organization_slug=params.get("orgSlug") or None,
        usernames=usernames if usernames and len(usernames) > 1 else None,
    )
