"""The slot computation end to end: hosts' free time, team aggregation, grid, filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .busy import booking_busy_spans, calendar_busy_spans, open_seat_uids, unbuffered_spans
from .instants import ZoneClock, local_date, to_epoch, zone
from .intervals import Span, normalize, overlaps, subtract
from .limits import count_limit_blocks, duration_limit_blocks
from .models import (
    EventRules,
    HostAvailability,
    LimitBooking,
    RollingAvailableDays,
    SeatAvailability,
    SeatedBooking,
    Slot,
    SlotQuery,
)
from .schedule import expand_schedule
from .seats import SeatTally, seat_availability, seat_tallies
from .slots import generate_slot_starts
from .team import HostFreeTime, aggregate_availability, free_host_ids
from .window import earliest_bookable, future_bounds, outside_bounds

_MINUTE = 60
_DAY = 86_400


def event_length(event: EventRules, duration: int | None = None) -> int:
    """Minutes a booking lasts: the requested duration, else the event length (at least 1)."""
    return max(duration or event.length, 1)


def slot_frequency(event: EventRules, duration: int | None = None) -> int:
    """Minutes between slot starts: slotInterval, else the requested duration, else the length."""
    return max(event.slot_interval or duration or event.length, 1)


def compute_slots(query: SlotQuery, hosts: Sequence[HostAvailability]) -> list[Slot]:
    """Every bookable slot for `query`, ascending, as UTC instants (BEHAVIOR §3.2-3.9)."""
    event = query.event
    length = event_length(event, query.duration)
    start, end, now = to_epoch(query.start), to_epoch(query.end), to_epoch(query.now)
    booker_tz = zone(query.time_zone or "UTC")
    not_before = earliest_bookable(now, event.minimum_notice)
    # Never search the past; Cal.com keeps at least one minute of notice for the search start.
    window = (max(_search_start(query, start, now), now + max(event.minimum_notice, 1) * _MINUTE), end)

    tallies = seat_tallies(event.id, query.seated_bookings, query.reservations) if event.seats_per_slot else {}
    context = _HostContext.build(
        event, window, length, query.reschedule_uid, query.seated_bookings, query.limit_bookings
    )
    free = [context.free_time(host) for host in hosts]
    starts = generate_slot_starts(
        aggregate_availability(free),
        length=length,
        frequency=slot_frequency(event, query.duration),
        offset_start=event.offset_start,
        tz=booker_tz,
        not_before=not_before,
    )

    offered = _offered_slots(starts, length, tallies, query)
    if not offered:
        return []
    booker_clock = ZoneClock(booker_tz)
    days = [booker_clock.local_date(slot_start) for slot_start, _ in offered]
    if event.only_first_slot_per_day:
        offered, days = _first_per_day(offered, days)

    bounds = future_bounds(
        event.booking_window,
        now=now,
        booker_tz=booker_tz,
        event_tz=zone(event.time_zone),
        available_days=set(days),
    )
    # The ROLLING_WINDOW look-back computes days before the request; only the requested dates,
    # as the booker sees them, are returned.
    first_day, last_day = local_date(start, booker_tz), local_date(end, booker_tz)
    return [
        Slot(slot_start, slot_start + length * _MINUTE, seats)
        for (slot_start, seats), day in zip(offered, days, strict=True)
        if slot_start >= not_before and not outside_bounds(slot_start, bounds) and first_day <= day <= last_day
    ]


def host_free_times(
    event: EventRules,
    hosts: Sequence[HostAvailability],
    window_start: datetime,
    window_end: datetime,
    *,
    duration: int | None = None,
    reschedule_uid: str | None = None,
    seated_bookings: Sequence[SeatedBooking] = (),
    limit_bookings: Sequence[LimitBooking] = (),
) -> list[HostFreeTime]:
    """Each host's free time inside [window_start, window_end), buffers and limits applied."""
    window = (to_epoch(window_start), to_epoch(window_end))
    context = _HostContext.build(
        event, window, event_length(event, duration), reschedule_uid, seated_bookings, limit_bookings
    )
    return [context.free_time(host) for host in hosts]


def free_hosts(
    event: EventRules,
    hosts: Sequence[HostAvailability],
    start: datetime,
    *,
    duration: int | None = None,
    reschedule_uid: str | None = None,
    seated_bookings: Sequence[SeatedBooking] = (),
    limit_bookings: Sequence[LimitBooking] = (),
) -> list[int]:
    """Ids of the hosts free for the whole booking starting at `start`, in input order.

    Free means: inside working hours, clear of bookings and calendar blocks with buffers, and
    not in a period blocked by limits. Notice, booking window and reservations are not host
    matters; check them separately.
    """
    end = start + timedelta(minutes=event_length(event, duration))
    free = host_free_times(
        event,
        hosts,
        start,
        end,
        duration=duration,
        reschedule_uid=reschedule_uid,
        seated_bookings=seated_bookings,
        limit_bookings=limit_bookings,
    )
    return free_host_ids(free, to_epoch(start), to_epoch(end))


def group_slots_by_date(slots: Sequence[Slot], time_zone: str | None = None) -> dict[date, list[Slot]]:
    """Slots keyed by their start date in `time_zone` (UTC when None), dates ascending."""
    tz = zone(time_zone or "UTC")
    grouped: dict[date, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: s.start):
        grouped.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return grouped


@dataclass(frozen=True, slots=True)
class _HostContext:
    """What every host's free-time computation of one request shares."""

    event: EventRules
    window: Span
    length: int
    reschedule_uid: str | None
    open_seats: frozenset[str]
    not_busy_uids: frozenset[str]
    count_blocks: list[Span]
    limit_bookings: Sequence[LimitBooking]
    event_tz: ZoneInfo

    @classmethod
    def build(
        cls,
        event: EventRules,
        window: Span,
        length: int,
        reschedule_uid: str | None,
        seated_bookings: Sequence[SeatedBooking],
        limit_bookings: Sequence[LimitBooking],
    ) -> _HostContext:
        event_tz = zone(event.time_zone)
        counted = [b for b in limit_bookings if reschedule_uid is None or b.uid != reschedule_uid]
        open_seats = open_seat_uids(event, {b.uid: b.attendees for b in seated_bookings})
        count_blocks = (
            count_limit_blocks(event.booking_limits, _spans(counted), window, event_tz) if event.booking_limits else []
        )
        not_busy = open_seats | {reschedule_uid} if reschedule_uid else open_seats
        return cls(event, window, length, reschedule_uid, open_seats, not_busy, count_blocks, counted, event_tz)

    def free_time(self, host: HostAvailability) -> HostFreeTime:
        working = expand_schedule(host.schedule, self.window, host.out_of_office)
        if working:
            working = subtract(working, self._busy(host))
        return HostFreeTime(host.host_id, working, host.is_fixed, host.group_id)

    def _busy(self, host: HostAvailability) -> list[Span]:
        busy = booking_busy_spans(
            host.bookings, self.event, reschedule_uid=self.reschedule_uid, open_seats=self.open_seats
        )
        if host.calendar_busy:
            not_busy = unbuffered_spans(host.bookings, self.not_busy_uids) if self.not_busy_uids else []
            busy.extend(calendar_busy_spans(host.calendar_busy, self.event, not_busy=not_busy))
        busy.extend((to_epoch(block.start), to_epoch(block.end)) for block in host.extra_busy)
        busy.extend(self.count_blocks)
        if self.event.duration_limits:
            own = _spans(b for b in self.limit_bookings if b.host_id == host.host_id)
            busy.extend(duration_limit_blocks(self.event.duration_limits, own, self.window, self.event_tz, self.length))
        return normalize(busy)


def _spans(bookings: Iterable[LimitBooking]) -> list[Span]:
    return [(to_epoch(b.start), to_epoch(b.end)) for b in bookings]


def _search_start(query: SlotQuery, start: int, now: int) -> int:
    """Where expansion starts; ROLLING_WINDOW looks back a month to count available days from today."""
    if not isinstance(query.event.booking_window, RollingAvailableDays):
        return start
    start_of_yesterday = now - now % _DAY - _DAY
    if start < start_of_yesterday:
        return start
    return to_epoch(_one_month_earlier(query.start))


def _one_month_earlier(moment: datetime) -> datetime:
    year, month = (moment.year - 1, 12) if moment.month == 1 else (moment.year, moment.month - 1)
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _offered_slots(
    starts: Sequence[int], length: int, tallies: dict[int, SeatTally], query: SlotQuery
) -> list[tuple[int, SeatAvailability | None]]:
    """Starts left after holds (§3.4) and full seated slots (§3.9) are taken out."""
    held = normalize((to_epoch(hold.start), to_epoch(hold.end)) for hold in query.reservations if not hold.is_seat)
    seats_per_slot = query.event.seats_per_slot
    offered: list[tuple[int, SeatAvailability | None]] = []
    for slot_start in starts:
        # A start that already has a seated booking stays open to join despite other holds.
        if held and slot_start not in tallies and overlaps(held, slot_start, slot_start + length * _MINUTE):
            continue
        if not seats_per_slot:
            offered.append((slot_start, None))
            continue
        seats = seat_availability(tallies.get(slot_start), seats_per_slot)
        if seats is not None:
            offered.append((slot_start, seats))
    return offered


def _first_per_day(
    offered: list[tuple[int, SeatAvailability | None]], days: list[date]
) -> tuple[list[tuple[int, SeatAvailability | None]], list[date]]:
    kept: list[tuple[int, SeatAvailability | None]] = []
    kept_days: list[date] = []
    for slot, day in zip(offered, days, strict=True):
        if not kept_days or kept_days[-1] != day:
            kept.append(slot)
            kept_days.append(day)
    return kept, kept_days
