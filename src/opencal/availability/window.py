"""Booking window (period) and minimum notice (BEHAVIOR §3.8)."""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from .instants import ONE_DAY, local_date, local_midnight
from .models import BookingWindow, DateRangeWindow, RollingAvailableDays, RollingDays

_MINUTE = 60
_SATURDAY, _SUNDAY = 6, 7  # isoweekday


def is_business_day(day: date) -> bool:
    return day.isoweekday() not in (_SATURDAY, _SUNDAY)


def add_business_days(day: date, count: int) -> date:
    """`day` moved forward by `count` Monday-Friday days (0 keeps `day`, even on a weekend)."""
    while count > 0:
        day += ONE_DAY
        if is_business_day(day):
            count -= 1
    return day


def earliest_bookable(now: int, minimum_notice: int) -> int:
    """The first instant a slot may start: not in the past and not inside the notice."""
    return now + max(minimum_notice, 0) * _MINUTE


def rolling_available_last_day(today: date, window: RollingAvailableDays, available_days: Set[date]) -> date:
    """The last day of a ROLLING_WINDOW period, counted from `today` over `available_days`."""
    last_found: date | None = None
    found = 0
    day = today
    checked = 0
    while found < window.days:
        if checked >= window.max_days_to_check:
            break
        if day in available_days:
            found += 1
            last_found = day
        day = add_business_days(day, 1) if window.business_days else day + ONE_DAY
        checked += 1
    # Never unlimited: when too few days have slots the window ends where the search stopped.
    return last_found if last_found is not None else day


def future_bounds(
    window: BookingWindow,
    *,
    now: int,
    booker_tz: ZoneInfo,
    event_tz: ZoneInfo,
    available_days: Set[date] | None = None,
) -> tuple[int | None, int | None]:
    """[earliest, latest) instants a booking window allows; None where it sets no bound.

    ROLLING periods end at the end of a day in the booker's zone, so the earliest day a slot shows
    up on for the booker is bookable; RANGE periods are whole days in the event's zone.
    ROLLING_WINDOW needs `available_days` (booker-zone dates that have slots); without them (at
    booking time, as in Cal.com) it is not checked.
    """
    if isinstance(window, RollingDays):
        today = local_date(now, booker_tz)
        last = add_business_days(today, window.days) if window.business_days else today + timedelta(days=window.days)
        return None, local_midnight(last + ONE_DAY, booker_tz)
    if isinstance(window, RollingAvailableDays):
        if available_days is None:
            return None, None
        last = rolling_available_last_day(local_date(now, booker_tz), window, available_days)
        return None, local_midnight(last + ONE_DAY, booker_tz)
    if isinstance(window, DateRangeWindow):
        return local_midnight(window.first, event_tz), local_midnight(window.last + ONE_DAY, event_tz)
    return None, None


def outside_bounds(start: int, bounds: tuple[int | None, int | None]) -> bool:
    """Whether a slot start falls outside [earliest, latest)."""
    earliest, latest = bounds
    return (earliest is not None and start < earliest) or (latest is not None and start >= latest)
