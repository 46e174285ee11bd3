"""The occurrences of a recurring booking (BEHAVIOR.md §4.4).

Occurrences are spaced in the attendee's wall-clock time: a weekly 09:00 meeting stays at 09:00
local across a DST change, so its UTC instant moves by the DST delta. Months and years are added
one step at a time from the previous occurrence, a day past the month's end clamped to its last day
(Jan 31 -> Feb 28 -> Mar 28), as Cal.com's date library does.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Frequency = Literal["yearly", "monthly", "weekly"]


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _step(moment: datetime, frequency: Frequency, interval: int) -> datetime:
    if frequency == "weekly":
        return moment + timedelta(weeks=interval)
    return _add_months(moment, interval * (12 if frequency == "yearly" else 1))


def occurrence_starts(
    start: datetime, time_zone: str, frequency: Frequency, interval: int, count: int
) -> list[datetime]:
    """`count` UTC starts, the first being `start`, `interval` `frequency` units apart in `time_zone`."""
    zone = ZoneInfo(time_zone)
    local = start.astimezone(zone).replace(tzinfo=None)
    starts: list[datetime] = []
    for _ in range(count):
        starts.append(local.replace(tzinfo=zone).astimezone(UTC))
        local = _step(local, frequency, interval)
    return starts
