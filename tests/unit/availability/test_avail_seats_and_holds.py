"""Seats (BEHAVIOR §3.9) and reserved slots (§3.4) in the slot output."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from opencal.availability import (
    BusyBooking,
    EventRules,
    HostAvailability,
    Reservation,
    Schedule,
    SeatAvailability,
    SeatedBooking,
    Slot,
    SlotQuery,
    WeeklyRule,
    compute_slots,
)

HOST = HostAvailability(1, Schedule("UTC", weekly=[WeeklyRule(frozenset({1}), time(9), time(13))]))
SEATED = EventRules(id=7, length=60, minimum_notice=0, seats_per_slot=3)
PLAIN = EventRules(id=7, length=60, minimum_notice=0)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2050, 9, 5, hour, minute, tzinfo=UTC)


def run(event: EventRules, hosts: list[HostAvailability] | None = None, **extra: object) -> dict[int, Slot]:
    request = SlotQuery(
        event=event,
        start=at(0),
        end=at(23, 59),
        now=datetime(2050, 1, 1, tzinfo=UTC),
        **extra,  # type: ignore[arg-type]
    )
    return {slot.start.hour: slot for slot in compute_slots(request, hosts or [HOST])}


def seat_hold(hour: int, event_type_id: int = 7) -> Reservation:
    return Reservation(at(hour), at(hour + 1), is_seat=True, event_type_id=event_type_id)


def test_seat_counts_and_booking_uid() -> None:
    got = run(SEATED, seated_bookings=[SeatedBooking("b1", at(10), 1)])
    assert got[10].seats == SeatAvailability(booked=1, remaining=2, total=3, booking_uid="b1")
    assert got[9].seats == SeatAvailability(booked=0, remaining=3, total=3, booking_uid=None)
    assert sorted(got) == [9, 10, 11, 12]


def test_seat_holds_add_attendees() -> None:
    got = run(
        SEATED,
        seated_bookings=[SeatedBooking("b1", at(10), 1)],
        reservations=[seat_hold(10), seat_hold(11), seat_hold(12, event_type_id=8)],
    )
    assert got[10].seats == SeatAvailability(booked=2, remaining=1, total=3, booking_uid="b1")
    assert got[11].seats == SeatAvailability(booked=1, remaining=2, total=3, booking_uid=None)
    assert got[12].seats == SeatAvailability(booked=0, remaining=3, total=3, booking_uid=None)


def test_a_full_slot_disappears() -> None:
    by_bookings = run(SEATED, seated_bookings=[SeatedBooking("b1", at(10), 3)])
    assert sorted(by_bookings) == [9, 11, 12]
    by_holds = run(SEATED, seated_bookings=[SeatedBooking("b1", at(10), 2)], reservations=[seat_hold(10)])
    assert sorted(by_holds) == [9, 11, 12]


def test_an_open_seated_booking_does_not_block_its_time() -> None:
    booking = BusyBooking(at(10), at(11), uid="b1", event_type_id=7)
    host = HostAvailability(1, HOST.schedule, bookings=[booking])
    assert sorted(run(SEATED, [host], seated_bookings=[SeatedBooking("b1", at(10), 2)])) == [9, 10, 11, 12]
    assert sorted(run(SEATED, [host], seated_bookings=[SeatedBooking("b1", at(10), 3)])) == [9, 11, 12]


def test_plain_events_have_no_seat_data() -> None:
    assert all(slot.seats is None for slot in run(PLAIN).values())


def test_a_hold_blocks_overlapping_slots_only() -> None:
    hold = Reservation(at(10, 30), at(11), event_type_id=99)
    assert sorted(run(PLAIN, reservations=[hold])) == [9, 11, 12]


def test_a_hold_does_not_hide_a_start_that_already_has_a_seated_booking() -> None:
    hold = Reservation(at(10), at(11), event_type_id=99)
    got = run(SEATED, seated_bookings=[SeatedBooking("b1", at(10), 1)], reservations=[hold])
    assert sorted(got) == [9, 10, 11, 12]


def test_a_hold_blocks_the_slot_for_every_round_robin_host() -> None:
    hosts = [
        HostAvailability(1, HOST.schedule, is_fixed=False),
        HostAvailability(2, HOST.schedule, is_fixed=False),
    ]
    assert sorted(run(PLAIN, hosts, reservations=[Reservation(at(10), at(11))])) == [9, 11, 12]


def test_slot_end_is_start_plus_length() -> None:
    got = run(PLAIN, duration=30)
    assert got[9].end - got[9].start == timedelta(minutes=30)
