"""Plain data passed into and out of the availability core.

Everything the services load from the database arrives as these frozen dataclasses. Instants are
aware datetimes (any zone; UTC is customary), wall-clock times are `datetime.time`, calendar days
are `datetime.date`, and every duration is in minutes, as in the Cal.com API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Literal

LimitUnit = Literal["day", "week", "month", "year"]

DEFAULT_MINIMUM_NOTICE = 120
"""Cal.com's database default for `minimumBookingNotice`, in minutes."""

ROLLING_WINDOW_MAX_DAYS_TO_CHECK = 30 + 31
"""How far Cal.com looks for enough available days in a ROLLING_WINDOW period."""


# --- schedules -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """Working hours on some weekdays, as wall-clock times in the schedule's zone.

    `days` uses the stored numbering 0 = Sunday … 6 = Saturday. An `end` of 23:59 means midnight.
    """

    days: frozenset[int]
    start: time
    end: time

    def __post_init__(self) -> None:
        if any(not 0 <= day <= 6 for day in self.days):
            raise ValueError(f"weekdays must be 0 (Sunday) … 6 (Saturday), got {sorted(self.days)}")


@dataclass(frozen=True, slots=True)
class DateOverride:
    """Hours for one calendar date that replace all weekly hours of that date.

    00:00-00:00 makes the date unavailable; an `end` of 23:59 means midnight.
    """

    day: date
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Schedule:
    """A host's working hours in the zone `time_zone` (IANA name)."""

    time_zone: str
    weekly: Sequence[WeeklyRule] = ()
    overrides: Sequence[DateOverride] = ()


# --- what makes a host busy ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A half-open stretch of time [start, end)."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class BusyBooking:
    """A booking that blocks its host: ACCEPTED, or PENDING of an event that blocks slots.

    The host may be its organizer or an attendee, and it may belong to any event type.
    `before_buffer`/`after_buffer` are the buffers of the booking's own event type.
    """

    start: datetime
    end: datetime
    uid: str | None = None
    event_type_id: int | None = None
    before_buffer: int = 0
    after_buffer: int = 0


@dataclass(frozen=True, slots=True)
class SeatedBooking:
    """A booking of the seated event being computed, with its attendee count.

    For team events the count must exclude the hosts' own emails (§3.9).
    """

    uid: str
    start: datetime
    attendees: int


@dataclass(frozen=True, slots=True)
class Reservation:
    """An unexpired slot hold (§3.4) of any event type owned by one of the hosts.

    The caller leaves out the booker's own hold. A seat hold (`is_seat`) of the event being
    computed counts as an attendee of that start; any other hold blocks overlapping slots.
    """

    start: datetime
    end: datetime
    is_seat: bool = False
    event_type_id: int | None = None


@dataclass(frozen=True, slots=True)
class LimitBooking:
    """An ACCEPTED booking of the event type being computed, for booking/duration limits.

    `host_id` is the organizer; duration limits are per host, count limits per event type (§3.7).
    """

    start: datetime
    end: datetime
    host_id: int | None = None
    uid: str | None = None


@dataclass(frozen=True, slots=True)
class IntervalLimits:
    """At most this many bookings (or minutes) per calendar day / week / month / year."""

    day: int | None = None
    week: int | None = None
    month: int | None = None
    year: int | None = None

    def of(self, unit: LimitUnit) -> int | None:
        """The limit for `unit`, None when not set."""
        limit: int | None = getattr(self, unit)
        return limit or None

    def largest_unit_first(self) -> list[tuple[LimitUnit, int]]:
        """The limits that are set, year first, as Cal.com evaluates them."""
        units: tuple[LimitUnit, ...] = ("year", "month", "week", "day")
        return [(unit, limit) for unit in units if (limit := self.of(unit))]


# --- booking window (period) ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unlimited:
    """No future limit (periodType UNLIMITED)."""


@dataclass(frozen=True, slots=True)
class RollingDays:
    """Bookable until the end of today + `days` in the booker's zone (periodType ROLLING).

    With `business_days` only Monday-Friday are counted.
    """

    days: int
    business_days: bool = False


@dataclass(frozen=True, slots=True)
class RollingAvailableDays:
    """Bookable until `days` days that actually have slots have been seen (ROLLING_WINDOW).

    Counting starts today in the booker's zone; with `business_days` weekends are stepped over.
    The search gives up after `max_days_to_check` days and ends at the last available day found.
    """

    days: int
    business_days: bool = False
    max_days_to_check: int = ROLLING_WINDOW_MAX_DAYS_TO_CHECK


@dataclass(frozen=True, slots=True)
class DateRangeWindow:
    """Bookable from the start of `first` to the end of `last`, in the event's zone (RANGE)."""

    first: date
    last: date


BookingWindow = Unlimited | RollingDays | RollingAvailableDays | DateRangeWindow


# --- the event type and the hosts ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventRules:
    """The scheduling settings of one event type.

    `time_zone` is the event's zone (its schedule's, else the first host's, else UTC); booking
    limits and a RANGE booking window are read in it.
    """

    id: int
    length: int
    slot_interval: int | None = None
    before_buffer: int = 0
    after_buffer: int = 0
    minimum_notice: int = DEFAULT_MINIMUM_NOTICE
    offset_start: int = 0
    seats_per_slot: int | None = None
    only_first_slot_per_day: bool = False
    booking_window: BookingWindow = field(default_factory=Unlimited)
    booking_limits: IntervalLimits | None = None
    duration_limits: IntervalLimits | None = None
    time_zone: str = "UTC"


@dataclass(frozen=True, slots=True)
class HostAvailability:
    """One host's hours and everything that makes them busy.

    `is_fixed` is True for every host of a personal or collective event and for mandatory hosts of
    a round robin; round-robin hosts are False and are grouped by `group_id` (None = the default
    group). `out_of_office` are dates in the schedule's zone. `extra_busy` is blocked as is,
    without buffers (e.g. team-level booking-limit blocks computed by the caller).
    """

    host_id: int
    schedule: Schedule
    bookings: Sequence[BusyBooking] = ()
    calendar_busy: Sequence[TimeSpan] = ()
    out_of_office: frozenset[date] = frozenset()
    is_fixed: bool = True
    group_id: str | None = None
    extra_busy: Sequence[TimeSpan] = ()


@dataclass(frozen=True, slots=True)
class SlotQuery:
    """One request for slots.

    `start`/`end` are the requested instants (the HTTP layer has already turned date-only values
    into UTC day bounds). `time_zone` is the booker's zone, UTC when None. `duration` is the
    requested length for variable-length events.
    """

    event: EventRules
    start: datetime
    end: datetime
    now: datetime
    time_zone: str | None = None
    duration: int | None = None
    reschedule_uid: str | None = None
    reservations: Sequence[Reservation] = ()
    seated_bookings: Sequence[SeatedBooking] = ()
    limit_bookings: Sequence[LimitBooking] = ()


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeatAvailability:
    """Seat counts of one start of a seated event."""

    booked: int
    remaining: int
    total: int
    booking_uid: str | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable start and its end (start + event length), as UTC epoch seconds.

    `start` and `end` give them as aware UTC datetimes; output code that formats many slots reads
    the epoch seconds directly.
    """

    start_epoch: int
    end_epoch: int
    seats: SeatAvailability | None = None

    @property
    def start(self) -> datetime:
        return datetime.fromtimestamp(self.start_epoch, UTC)

    @property
    def end(self) -> datetime:
        return datetime.fromtimestamp(self.end_epoch, UTC)


@dataclass(frozen=True, slots=True)
class LimitViolation:
    """Why a booking would break a booking limit."""

    kind: Literal["count", "duration"]
    unit: LimitUnit
    limit: int
