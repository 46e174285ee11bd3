"""Conversions between aware datetimes at the edges and the integer epoch seconds used inside."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ONE_DAY = timedelta(days=1)


def to_epoch(moment: datetime) -> int:
    """Whole UTC epoch seconds of an aware datetime (sub-second parts are dropped)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: the availability core only accepts aware datetimes")
    # timestamp() is the fastest exact path for whole seconds, and this runs per booking.
    return math.floor(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    """The UTC datetime of an epoch second."""
    return datetime.fromtimestamp(seconds, UTC)


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; ValueError if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def local_date(seconds: int, tz: ZoneInfo) -> date:
    """The calendar date in `tz` at an instant."""
    return datetime.fromtimestamp(seconds, tz).date()


def utc_offset_seconds(seconds: int, tz: ZoneInfo) -> int:
    """Offset of `tz` from UTC at an instant, in seconds."""
    offset = datetime.fromtimestamp(seconds, tz).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def wall_clock(day: date, hour: int, minute: int, tz: ZoneInfo) -> int:
    """The instant a clock in `tz` shows `day hour:minute`.

    A time skipped by a spring-forward change is read with the offset in force before the change
    (zoneinfo's fold=0), so 02:30 on a New York spring-forward day is 03:30 EDT; a time repeated by
    a fall-back change is its first occurrence.
    """
    # Wall-clock times are whole minutes, so the float timestamp is exact.
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).timestamp())


def local_midnight(day: date, tz: ZoneInfo) -> int:
    """The instant `day` starts in `tz`."""
    return wall_clock(day, 0, 0, tz)


def minutes_of(clock: time) -> int:
    """Minutes since midnight of a wall-clock time (seconds ignored, as Cal.com does)."""
    return clock.hour * 60 + clock.minute
