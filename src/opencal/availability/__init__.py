"""The availability core: pure, synchronous time maths behind slots and bookings.

No database, no I/O, no clock: the services load everything and pass it in as the frozen
dataclasses of `models` (re-exported here); `now` is always an argument. Instants are aware
datetimes at the edges and integer UTC epoch seconds inside. Durations are minutes. It reproduces
Cal.com's behaviour as written in BEHAVIOR.md §3.2-3.9; the section numbers below point there.

Slots (the slots service)
    compute_slots(query: SlotQuery, hosts: Sequence[HostAvailability]) -> list[Slot]
        Every bookable slot, ascending, as UTC `Slot(start, end, seats)`.
    group_slots_by_date(slots, time_zone: str | None) -> dict[date, list[Slot]]
        The `date -> slots` map of the response, keyed by dates in the booker's zone.

Hosts (bookings service, round-robin selection)
    free_hosts(event, hosts, start, *, duration=None, reschedule_uid=None, seated_bookings=(),
               limit_bookings=()) -> list[int]
        Ids of the hosts free for the whole booking at `start` (hours, bookings with buffers,
        calendar blocks, limits); notice, window and holds are checked separately.
    host_free_times(event, hosts, window_start, window_end, ...) -> list[HostFreeTime]
        Each host's free time as epoch-second spans, for callers that need the detail.

Booking-time checks
    is_in_past(start, now) -> bool
    violates_minimum_notice(event, start, now) -> bool
    outside_booking_window(event, start, now, booker_time_zone=None) -> bool
        ROLLING_WINDOW is not checked at booking time (as in Cal.com).
    booking_limit_violation(event, start, bookings, *, duration=None, host_id=None,
                            reschedule_uid=None) -> LimitViolation | None
        The count or duration limit (day/week/month/year) a new booking would break.

Helpers
    out_of_office_dates(entries: Iterable[TimeSpan], today: date) -> frozenset[date]
        OOO entries -> the dates to put in `HostAvailability.out_of_office` (Cal.com's counting).
    event_length(event, duration) / slot_frequency(event, duration) -> int (minutes)
    limits.fetch_window(...) -> which bookings to load so limits can be evaluated
    intervals.* -> the interval algebra (normalize, union, intersect, intersect_all, subtract,
    contains, overlaps, drop_contained, intersect_ranges) over `Span = tuple[int, int]`.

How a request is computed (`compute_slots`)
 1. Search window = [max(start, now + max(notice, 1 min)), end]; a ROLLING_WINDOW period looks
    back a month so it can count available days from today.
 2. Per host (§3.2-3.3): schedule expanded in its zone with wall-clock semantics across DST,
    overrides replacing a date's weekly hours, out-of-office dates removed; minus busy time:
    bookings widened crosswise by both events' buffers, external calendar blocks widened by the
    event's buffers, the rescheduled booking ignored, open seated bookings blocking only their
    buffers, `extra_busy`, and periods blocked by booking limits (counts over the event type,
    durations per host, weeks from Sunday, in `EventRules.time_zone`; §3.7).
 3. Team (§3.5): fixed hosts intersected; round-robin hosts side by side per group; the result
    is their intersection. STRICT: fixed hosts with no common time leave no slots.
 4. Slot grid (§3.6) in the booker's zone: alignment to 60/30/20/15/10/5, offsetStart, one grid
    across overlapping ranges, start + length <= range end (+1 s slack, as Cal.com).
 5. Filters in Cal.com's order: holds (§3.4), full seated slots (§3.9), first slot per day,
    booking window (§3.8), notice and past, dates outside the requested dates in the booker's
    zone.

Deliberate differences from Cal.com, all small: ranges are always clipped to the search window
(Cal.com lets date overrides leak outside it when no time zone is given); out-of-office dates are
removed for single hosts too (Cal.com flags those slots `away` and API v2 drops them: same
result); a seat hold at a start without a booking shows `booking_uid=None` (Cal.com invents a
random uid); travel schedules and the restriction schedule are not modelled; ROLLING/RANGE day
ends use the zone's real offset on that day rather than today's offset; the booking-time duration
check is "booked + this booking > limit" (the same rule as the slots), and it counts a booking
ending exactly at midnight as inside its day.
"""

from .booking_checks import (
    booking_limit_violation,
    is_in_past,
    outside_booking_window,
    violates_minimum_notice,
)
from .compute import (
    compute_slots,
    event_length,
    free_hosts,
    group_slots_by_date,
    host_free_times,
    slot_frequency,
)
from .instants import ZoneClock
from .intervals import Span
from .models import (
    BookingWindow,
    BusyBooking,
    DateOverride,
    DateRangeWindow,
    EventRules,
    HostAvailability,
    IntervalLimits,
    LimitBooking,
    LimitUnit,
    LimitViolation,
    Reservation,
    RollingAvailableDays,
    RollingDays,
    Schedule,
    SeatAvailability,
    SeatedBooking,
    Slot,
    SlotQuery,
    TimeSpan,
    Unlimited,
    WeeklyRule,
)
from .schedule import out_of_office_dates
from .team import HostFreeTime

__all__ = [
    "BookingWindow",
    "BusyBooking",
    "DateOverride",
    "DateRangeWindow",
    "EventRules",
    "HostAvailability",
    "HostFreeTime",
    "IntervalLimits",
    "LimitBooking",
    "LimitUnit",
    "LimitViolation",
    "Reservation",
    "RollingAvailableDays",
    "RollingDays",
    "Schedule",
    "SeatAvailability",
    "SeatedBooking",
    "Slot",
    "SlotQuery",
    "Span",
    "TimeSpan",
    "Unlimited",
    "WeeklyRule",
    "ZoneClock",
    "booking_limit_violation",
    "compute_slots",
    "event_length",
    "free_hosts",
    "group_slots_by_date",
    "host_free_times",
    "is_in_past",
    "out_of_office_dates",
    "outside_booking_window",
    "slot_frequency",
    "violates_minimum_notice",
]
