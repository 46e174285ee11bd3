"""Conversions between aware datetimes at the edges and the integer epoch seconds used inside."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ONE_DAY = timedelta(days=1)
_BUCKET = 6 * 3600
_DAY = 86400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


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


class ZoneClock:
    """UTC offsets and local dates of many instants in one zone, memoised per six hours.

    No zone changes its offset twice within six hours (since 1970 the closest two changes of any
    zone in the tz database are a week apart), so when two consecutive six-hour
    boundaries have the same offset the whole interval between them has it; an interval with a
    change in it is computed instant by instant.
    """

    __slots__ = ("_boundaries", "tz")

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._boundaries: dict[int, int] = {}

    def _at_boundary(self, bucket: int) -> int:
        offset = self._boundaries.get(bucket)
        if offset is None:
            offset = self._boundaries[bucket] = utc_offset_seconds(bucket * _BUCKET, self.tz)
        return offset

    def offset(self, seconds: int) -> int:
        bucket = seconds // _BUCKET
        offset = self._at_boundary(bucket)
        if offset == self._at_boundary(bucket + 1):
            return offset
        return utc_offset_seconds(seconds, self.tz)

    def local_seconds(self, seconds: int) -> int:
        """Seconds since 1970-01-01T00:00 as a clock in the zone shows it."""
        return seconds + self.offset(seconds)

    def local_date(self, seconds: int) -> date:
        return date.fromordinal(_EPOCH_ORDINAL + self.local_seconds(seconds) // _DAY)


def utc_offset_seconds(seconds: int, tz: tzinfo) -> int:
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
