"""What slots and bookings load: the frozen scheduling view of an event type and its hosts' hours."""

from __future__ import annotations

import dataclasses
from datetime import date, time

import httpx
import pytest

from opencal.availability import models as avail
from opencal.core.db import Database
from opencal.event_types.scheduling import (
    ConfirmationThreshold,
    Recurrence,
    SchedulingHost,
    load_host_schedules,
    load_scheduling_event_type,
)
from opencal.models import EventType, Host
from opencal.users import bootstrap
from opencal.users.service import get_user
from support import create_event_type, create_user, data

WEEKDAYS = avail.WeeklyRule(days=frozenset({1, 2, 3, 4, 5}), start=time(9), end=time(17))


async def test_personal_event_type(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db, time_zone="America/New_York")
    schedule = data(
        await client.post(
            "/v2/schedules",
            json={
                "name": "Rome",
                "timeZone": "Europe/Rome",
                "isDefault": False,
                "availability": [{"days": ["Saturday"], "startTime": "10:00", "endTime": "12:00"}],
                "overrides": [{"date": "2030-05-20", "startTime": "18:00", "endTime": "21:00"}],
            },
            headers={**user.headers, "cal-api-version": "2024-06-11"},
        ),
        201,
    )
    created = await create_event_type(
        client,
        user,
        length=60,
        lengthInMinutesOptions=[30, 60],
        slotInterval=15,
        beforeEventBuffer=5,
        afterEventBuffer=10,
        minimumBookingNotice=30,
        offsetStart=5,
        scheduleId=schedule["id"],
        bookingWindow={"type": "businessDays", "value": 10, "rolling": False},
        bookingLimitsCount={"day": 2, "week": 5},
        bookingLimitsDuration={"month": 600},
        onlyShowFirstAvailableSlot=True,
        confirmationPolicy={
            "type": "time",
            "noticeThreshold": {"unit": "hours", "count": 12},
            "blockUnconfirmedBookingsInBooker": True,
        },
        recurrence={"frequency": "monthly", "interval": 1, "occurrences": 6},
        bookingRequiresAuthentication=True,
    )
    async with db.read() as session:
        event = await load_scheduling_event_type(session, created["id"])
        assert event is not None
        hours = await load_host_schedules(session, event)

    assert event.rules == avail.EventRules(
        id=created["id"],
        length=60,
        slot_interval=15,
        before_buffer=5,
        after_buffer=10,
        minimum_notice=30,
        offset_start=5,
        seats_per_slot=None,
        only_first_slot_per_day=True,
        booking_window=avail.RollingDays(days=10, business_days=True),
        booking_limits=avail.IntervalLimits(day=2, week=5),
        duration_limits=avail.IntervalLimits(month=600),
        time_zone="Europe/Rome",
    )
    assert (event.time_zone_source, event.length_options, event.owner_id) == ("event schedule", (30, 60), user.id)
    assert event.hosts == (SchedulingHost(user_id=user.id, is_fixed=True, schedule_id=schedule["id"]),)
    assert event.confirmation_threshold == ConfirmationThreshold(unit="hours", count=12)
    assert (event.requires_confirmation, event.unconfirmed_bookings_block_slots) == (True, True)
    assert event.recurrence == Recurrence(frequency="monthly", interval=1, occurrences=6)
    assert event.booking_requires_authentication is True
    assert event.locations == ({"type": "integration", "integration": "cal-video"},)
    assert [field["slug"] for field in event.booking_fields] == [
        "name",
        "email",
        "title",
        "notes",
        "guests",
        "rescheduleReason",
    ]
    assert hours == {
        user.id: avail.Schedule(
            time_zone="Europe/Rome",
            weekly=(avail.WeeklyRule(days=frozenset({6}), start=time(10), end=time(12)),),
            overrides=(avail.DateOverride(day=date(2030, 5, 20), start=time(18), end=time(21)),),
        )
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.length = 5  # type: ignore[misc]


async def test_defaults_use_the_owners_default_schedule(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db, time_zone="Asia/Tokyo")
    created = await create_event_type(
        client, user, bookingWindow={"type": "range", "value": ["2030-01-01", "2030-01-31"]}
    )
    async with db.read() as session:
        event = await load_scheduling_event_type(session, created["id"])
        assert event is not None
        hours = await load_host_schedules(session, event)
    assert event.rules == avail.EventRules(
        id=created["id"],
        length=30,
        booking_window=avail.DateRangeWindow(first=date(2030, 1, 1), last=date(2030, 1, 31)),
        time_zone="Asia/Tokyo",
    )
    assert event.time_zone_source == "host schedule"
    assert hours == {user.id: avail.Schedule(time_zone="Asia/Tokyo", weekly=(WEEKDAYS,))}


async def test_rolling_window_and_seats(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(
        client,
        user,
        bookingWindow={"type": "calendarDays", "value": 3, "rolling": True},
        seats={"seatsPerTimeSlot": 5, "showAttendeeInfo": False, "showAvailabilityCount": True},
    )
    async with db.read() as session:
        event = await load_scheduling_event_type(session, created["id"])
    assert event is not None
    assert event.booking_window == avail.RollingAvailableDays(days=3, business_days=False)
    assert (event.seats_per_time_slot, event.seats_show_attendees, event.seats_show_availability_count) == (
        5,
        False,
        True,
    )
    assert event.rules.seats_per_slot == 5


async def test_team_event_type_hosts(db: Database) -> None:
    owner = await create_user(db, email="owner@example.com", time_zone="Europe/Paris")
    member = await create_user(db, email="member@example.com")
    async with db.write() as session:
        team = await bootstrap.create_team(
            session, name="Sales", slug="sales", owner=await get_user(session, owner.id), organization_id=None
        )
        row = EventType(team_id=team.id, title="Demo", slug="demo", length=45, scheduling_type="ROUND_ROBIN")
        row.hosts = [
            Host(user_id=owner.id, is_fixed=True, priority=2),
            Host(user_id=member.id, is_fixed=False, priority=3, weight=100, group_id="g1"),
        ]
        session.add(row)
        await session.flush()
        event_id, team_id = row.id, team.id
    async with db.read() as session:
        event = await load_scheduling_event_type(session, event_id)
        assert event is not None
        hours = await load_host_schedules(session, event)
    assert event.hosts == (
        SchedulingHost(user_id=owner.id, is_fixed=True, priority=2),
        SchedulingHost(user_id=member.id, is_fixed=False, priority=3, weight=100, group_id="g1"),
    )
    assert (event.scheduling_type, event.team_id, event.owner_id) == ("ROUND_ROBIN", team_id, None)
    assert (event.time_zone, event.time_zone_source) == ("Europe/Paris", "host schedule")
    assert set(hours) == {owner.id, member.id}


async def test_missing_event_type(db: Database) -> None:
    async with db.read() as session:
        assert await load_scheduling_event_type(session, 12345) is None
