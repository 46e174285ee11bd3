"""Schedules: a user's weekly hours and date overrides in one time zone (BEHAVIOR.md §3.1).

The user routes (`/v2/schedules`) call the `*_for_user` functions below. Everything else works on
a session and is meant for reuse:

Organization routes (`/v2/organizations/{orgId}/users/{userId}/schedules`), which check the owner
their own way, then call:
    find_schedule(session, schedule_id) -> Schedule | None
    require_owned_schedule(session, user_id, schedule_id) -> Schedule       (Cal.com's 404/403)
    insert_schedule(session, owner, body) / apply_schedule_update(session, owner, schedule, body)
    remove_schedule(session, owner, schedule)
    schedule_output(schedule, default_schedule_id) -> ScheduleOutput_2024_06_11 as a dict
    create_default_schedule(session, user)                                   (Monday-Friday 09:00-17:00)

The availability core (slots, bookings), which needs plain data:
    availability_schedule(schedule, fallback_time_zone) -> opencal.availability.models.Schedule
    load_availability_schedule(session, user, schedule_id=None) -> availability Schedule | None
        the given schedule (event or host schedule) when set, else the user's default schedule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.availability import models as avail
from opencal.core.db import Database
from opencal.core.errors import BadRequest, Forbidden, NotFound
from opencal.models import Availability, Schedule, User
from opencal.schedules.schemas import (
    CreateScheduleInput_2024_06_11,
    ScheduleAvailabilityInput_2024_06_11,
    ScheduleOverrideInput_2024_06_11,
    UpdateScheduleInput_2024_06_11,
)
from opencal.users.bootstrap import DEFAULT_DAYS, DEFAULT_END, DEFAULT_START, create_default_schedule
from opencal.users.service import get_user
from opencal.users.validation import WEEKDAYS, check_time_zone

__all__ = [
    "apply_schedule_update",
    "availability_schedule",
    "city_time_zones",
    "create_default_schedule",
    "find_schedule",
    "insert_schedule",
    "load_availability_schedule",
    "remove_schedule",
    "require_owned_schedule",
    "schedule_output",
]

# Cal.com answers a schedule stored without a zone in London time.
FALLBACK_TIME_ZONE = "Europe/London"
_DAY_NUMBER = {name: number for number, name in enumerate(WEEKDAYS)}


# -- output ---------------------------------------------------------------------------------------


def _hh_mm(value: time) -> str:
    return value.strftime("%H:%M")


def schedule_output(schedule: Schedule, default_schedule_id: int | None) -> dict[str, Any]:
    """`ScheduleOutput_2024_06_11`: each weekly row as one entry, overrides in the order stored."""
    weekly = [row for row in schedule.rows if row.date is None and row.days]
    overrides = [row for row in schedule.rows if row.date is not None]
    return {
        "id": schedule.id,
        "ownerId": schedule.user_id,
        "name": schedule.name,
        "timeZone": schedule.time_zone or FALLBACK_TIME_ZONE,
        "availability": [
            {
                "days": [WEEKDAYS[day] for day in row.days],
                "startTime": _hh_mm(row.start_time),
                "endTime": _hh_mm(row.end_time),
            }
            for row in weekly
        ],
        "isDefault": schedule.id == default_schedule_id,
        "overrides": [
            {"date": row.date.isoformat(), "startTime": _hh_mm(row.start_time), "endTime": _hh_mm(row.end_time)}
            for row in overrides
            if row.date is not None
        ],
    }


# -- rows -----------------------------------------------------------------------------------------


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _weekly_rows(entries: Iterable[ScheduleAvailabilityInput_2024_06_11]) -> list[Availability]:
    # An entry without days would never be used nor shown (Cal.com keeps it invisibly).
    return [
        Availability(
            days=[_DAY_NUMBER[day] for day in entry.days],
            start_time=_clock(entry.startTime),
            end_time=_clock(entry.endTime),
        )
        for entry in entries
        if entry.days
    ]


def _override_rows(entries: Iterable[ScheduleOverrideInput_2024_06_11]) -> list[Availability]:
    return [
        Availability(
            days=[],
            date=date.fromisoformat(entry.date),
            start_time=_clock(entry.startTime),
            end_time=_clock(entry.endTime),
        )
        for entry in entries
    ]


def _default_weekly_rows() -> list[Availability]:
    return [Availability(days=list(DEFAULT_DAYS), start_time=DEFAULT_START, end_time=DEFAULT_END)]


# -- reusable writes and lookups ------------------------------------------------------------------


async def find_schedule(session: AsyncSession, schedule_id: int) -> Schedule | None:
    return await session.get(Schedule, schedule_id)


async def require_owned_schedule(session: AsyncSession, user_id: int, schedule_id: int) -> Schedule:
    """The schedule when `user_id` owns it: 404 when it does not exist, 403 when it is someone else's."""
    schedule = await find_schedule(session, schedule_id)
    if schedule is None:
        raise NotFound(f"Schedule with ID={schedule_id} does not exist.")
    if schedule.user_id != user_id:
        raise Forbidden(f"User with ID={user_id} does not own schedule with ID={schedule_id}")
    return schedule


async def insert_schedule(session: AsyncSession, owner: User, body: CreateScheduleInput_2024_06_11) -> Schedule:
    """A new schedule of `owner` (Monday-Friday 09:00-17:00 when no availability is given)."""
    check_time_zone(body.timeZone)
    schedule = Schedule(user_id=owner.id, name=body.name, time_zone=body.timeZone)
    weekly = _default_weekly_rows() if body.availability is None else _weekly_rows(body.availability)
    schedule.rows.extend([*weekly, *_override_rows(body.overrides or [])])
    session.add(schedule)
    await session.flush()
    if body.isDefault:
        owner.default_schedule_id = schedule.id
        await session.flush()
    return schedule


async def apply_schedule_update(
    session: AsyncSession, owner: User, schedule: Schedule, body: UpdateScheduleInput_2024_06_11
) -> Schedule:
    """Apply the fields present in `body`; `availability`/`overrides` replace what was there.

    `isDefault: false` leaves the owner's default schedule unchanged, as in Cal.com.
    """
    if body.timeZone is not None:
        check_time_zone(body.timeZone)
        schedule.time_zone = body.timeZone
    if body.name is not None:
        schedule.name = body.name
    if body.availability is not None or body.overrides is not None:
        weekly = (
            _weekly_rows(body.availability)
            if body.availability is not None
            else [row for row in schedule.rows if row.date is None]
        )
        overrides = (
            _override_rows(body.overrides)
            if body.overrides is not None
            else [row for row in schedule.rows if row.date is not None]
        )
        schedule.rows = [*weekly, *overrides]
    if body.isDefault:
        owner.default_schedule_id = schedule.id
    await session.flush()
    return schedule


async def remove_schedule(session: AsyncSession, owner: User, schedule: Schedule) -> None:
    """Delete the schedule; event types using it fall back to the owner's default schedule.

    Deleting the default schedule makes the owner's oldest remaining schedule the default.
    """
    await session.delete(schedule)
    await session.flush()
    if owner.default_schedule_id == schedule.id:
        owner.default_schedule_id = await session.scalar(
            select(Schedule.id).where(Schedule.user_id == owner.id).order_by(Schedule.id).limit(1)
        )
        await session.flush()


# -- the /v2/schedules operations -----------------------------------------------------------------


async def create_for_user(db: Database, user_id: int, body: CreateScheduleInput_2024_06_11) -> dict[str, Any]:
    async with db.write() as session:
        owner = await get_user(session, user_id)
        schedule = await insert_schedule(session, owner, body)
        return schedule_output(schedule, owner.default_schedule_id)


async def list_for_user(db: Database, user_id: int) -> list[dict[str, Any]]:
    async with db.read() as session:
        owner = await get_user(session, user_id)
        schedules = await session.scalars(select(Schedule).where(Schedule.user_id == user_id).order_by(Schedule.id))
        return [schedule_output(schedule, owner.default_schedule_id) for schedule in schedules]


async def default_for_user(db: Database, user_id: int) -> dict[str, Any] | None:
    async with db.read() as session:
        owner = await get_user(session, user_id)
        if owner.default_schedule_id is None:
            return None
        schedule = await find_schedule(session, owner.default_schedule_id)
        return schedule_output(schedule, owner.default_schedule_id) if schedule is not None else None


async def get_for_user(db: Database, user_id: int, schedule_id: int) -> dict[str, Any]:
    async with db.read() as session:
        owner = await get_user(session, user_id)
        schedule = await require_owned_schedule(session, user_id, schedule_id)
        return schedule_output(schedule, owner.default_schedule_id)


async def update_for_user(
    db: Database, user_id: int, schedule_id: int, body: UpdateScheduleInput_2024_06_11
) -> dict[str, Any]:
    async with db.write() as session:
        owner = await get_user(session, user_id)
        schedule = await require_owned_schedule(session, user_id, schedule_id)
        await apply_schedule_update(session, owner, schedule, body)
        return schedule_output(schedule, owner.default_schedule_id)


async def delete_for_user(db: Database, user_id: int, schedule_id: int) -> None:
    async with db.write() as session:
        owner = await get_user(session, user_id)
        schedule = await find_schedule(session, schedule_id)
        if schedule is None:
            # Cal.com answers a missing schedule on delete with 400, not 404.
            raise BadRequest(f"Schedule with ID={schedule_id} does not exist.")
        if schedule.user_id != user_id:
            raise Forbidden(f"User with ID={user_id} does not own schedule with ID={schedule_id}")
        await remove_schedule(session, owner, schedule)


# -- plain data for the availability core ---------------------------------------------------------


def availability_schedule(schedule: Schedule, fallback_time_zone: str) -> avail.Schedule:
    """The schedule as the availability core's frozen `Schedule` (weekdays 0 = Sunday)."""
    return avail.Schedule(
        time_zone=schedule.time_zone or fallback_time_zone,
        weekly=tuple(
            avail.WeeklyRule(days=frozenset(int(day) for day in row.days), start=row.start_time, end=row.end_time)
            for row in schedule.rows
            if row.date is None and row.days
        ),
        overrides=tuple(
            avail.DateOverride(day=row.date, start=row.start_time, end=row.end_time)
            for row in schedule.rows
            if row.date is not None
        ),
    )


async def load_availability_schedule(
    session: AsyncSession, user: User, schedule_id: int | None = None
) -> avail.Schedule | None:
    """`schedule_id` (an event's or a host's own schedule) when set, else `user`'s default schedule.

    None when the user has no schedule at all (Cal.com then reports "availability not found").
    """
    chosen = schedule_id if schedule_id is not None else user.default_schedule_id
    if chosen is None:
        return None
    schedule = await find_schedule(session, chosen)
    if schedule is None:
        return None
    return availability_schedule(schedule, user.time_zone)


async def schedule_time_zones(session: AsyncSession, schedule_ids: Sequence[int]) -> dict[int, str | None]:
    """The zone of each schedule, for callers that only need it (event time zone resolution)."""
    if not schedule_ids:
        return {}
    rows = await session.execute(select(Schedule.id, Schedule.time_zone).where(Schedule.id.in_(schedule_ids)))
    return {schedule_id: zone for schedule_id, zone in rows.tuples()}


# -- GET /v2/timezones ----------------------------------------------------------------------------

_CONTINENTS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
)
_city_zones: list[dict[str, str]] | None = None


def city_time_zones() -> list[dict[str, str]]:
    """Every geographic IANA zone as `{city, timezone}`, the city being the zone's own name."""
    global _city_zones
    if _city_zones is None:
        zones = sorted(name for name in available_timezones() if name.split("/", 1)[0] in _CONTINENTS and "/" in name)
        _city_zones = [{"city": name.rsplit("/", 1)[1].replace("_", " "), "timezone": name} for name in zones]
    return _city_zones
