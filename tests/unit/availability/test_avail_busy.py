"""Busy time of a host (BEHAVIOR §3.3): buffers crosswise, calendars, reschedule, open seats."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from opencal.availability import (
    BusyBooking,
    EventRules,
    HostAvailability,
    Schedule,
    SeatedBooking,
    SlotQuery,
    TimeSpan,
    WeeklyRule,
    compute_slots,
)
from opencal.availability.busy import booking_busy_spans, calendar_busy_spans
from opencal.availability.instants import to_epoch


def at(hour: int, minute: int = 0, day: int = 5) -> datetime:
    return datetime(2050, 9, day, hour, minute, tzinfo=UTC)


def ts(hour: int, minute: int = 0, day: int = 5) -> int:
    return to_epoch(at(hour, minute, day))


def hhmm(slot_start: datetime) -> str:
    return slot_start.strftime("%H:%M")


UTC_NINE_TO_FIVE = Schedule("UTC", weekly=[WeeklyRule(frozenset({1, 2, 3, 4, 5}), time(9), time(17))])


def slots_for(event: EventRules, host: HostAvailability, **query: object) -> list[str]:
    request = SlotQuery(
        event=event,
        start=at(0),
        end=at(23, 59) + timedelta(seconds=59),
        now=datetime(2050, 1, 1, tzinfo=UTC),
        **query,  # type: ignore[arg-type]
    )
    return [hhmm(slot.start) for slot in compute_slots(request, [host])]


def test_buffers_are_crosswise() -> None:
    # Booking of an event with before 10 / after 20; the new event has before 5 / after 15.
    booking = BusyBooking(at(12), at(13), uid="b", event_type_id=2, before_buffer=10, after_buffer=20)
    event = EventRules(id=1, length=30, before_buffer=5, after_buffer=15)
    assert booking_busy_spans([booking], event) == [(ts(11, 35), ts(13, 25))]


def test_buffers_crosswise_in_slots() -> None:
    booking = BusyBooking(at(12), at(13), uid="b", event_type_id=2, before_buffer=10, after_buffer=20)
    event = EventRules(id=1, length=30, slot_interval=5, before_buffer=5, after_buffer=15, minimum_notice=0)
    got = slots_for(event, HostAvailability(1, UTC_NINE_TO_FIVE, bookings=[booking]))
    # Last start before: 11:05 (ends 11:35 = busy start). First after: 13:25.
    assert "11:05" in got
    assert "11:10" not in got
    assert "13:20" not in got
    assert "13:25" in got


def test_rescheduled_booking_is_ignored() -> None:
    booking = BusyBooking(at(10), at(11), uid="old", event_type_id=1)
    assert booking_busy_spans([booking], EventRules(id=1, length=60), reschedule_uid="old") == []
    host = HostAvailability(1, UTC_NINE_TO_FIVE, bookings=[booking])
    event = EventRules(id=1, length=60, minimum_notice=0)
    assert "10:00" not in slots_for(event, host)
    assert "10:00" in slots_for(event, host, reschedule_uid="old")


def test_calendar_blocks_use_the_events_buffers_only() -> None:
    event = EventRules(id=1, length=30, before_buffer=5, after_buffer=15)
    block = TimeSpan(at(12), at(13))
    assert calendar_busy_spans([block], event) == [(ts(11, 45), ts(13, 5))]


def test_calendar_blocks_exclude_open_seats_and_the_rescheduled_booking() -> None:
    event = EventRules(id=1, length=30)
    blocks = [TimeSpan(at(10), at(12))]
    assert calendar_busy_spans(blocks, event, not_busy=[(ts(10, 30), ts(11))]) == [
        (ts(10), ts(10, 30)),
        (ts(11), ts(12)),
    ]


def test_open_seated_booking_blocks_only_its_buffers() -> None:
    event = EventRules(id=1, length=60, before_buffer=10, after_buffer=10, seats_per_slot=3, minimum_notice=0)
    booking = BusyBooking(at(11), at(12), uid="s", event_type_id=1, before_buffer=10, after_buffer=10)
    calendar = [TimeSpan(at(11), at(12))]  # the seated booking itself, on the external calendar
    host = HostAvailability(1, UTC_NINE_TO_FIVE, bookings=[booking], calendar_busy=calendar)

    open_seat = slots_for(event, host, seated_bookings=[SeatedBooking("s", at(11), 1)])
    # Busy only 10:40-11:00 and 12:00-12:20 (20 minutes of buffers on each side).
    assert open_seat == ["09:00", "11:00", "13:00", "14:00", "15:00", "16:00"]

    full = slots_for(event, host, seated_bookings=[SeatedBooking("s", at(11), 3)])
    assert full == ["09:00", "13:00", "14:00", "15:00", "16:00"]


def test_booking_of_another_event_type_always_blocks_a_seated_event() -> None:
    event = EventRules(id=1, length=60, seats_per_slot=3, minimum_notice=0)
    booking = BusyBooking(at(11), at(12), uid="s", event_type_id=2)
    host = HostAvailability(1, UTC_NINE_TO_FIVE, bookings=[booking])
    assert "11:00" not in slots_for(event, host, seated_bookings=[SeatedBooking("s", at(11), 1)])


def test_touching_booking_does_not_cut() -> None:
    event = EventRules(id=1, length=60, minimum_notice=0)
    host = HostAvailability(1, UTC_NINE_TO_FIVE, bookings=[BusyBooking(at(10), at(11), uid="b")])
    assert slots_for(event, host) == ["09:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]


def test_extra_busy_blocks_without_buffers() -> None:
    event = EventRules(id=1, length=60, before_buffer=30, after_buffer=30, minimum_notice=0)
    host = HostAvailability(1, UTC_NINE_TO_FIVE, extra_busy=[TimeSpan(at(12), at(13))])
    assert slots_for(event, host) == ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]
