"""What an event type may point at outside itself: connected conferencing apps and calendars.

Cal Video needs no connection. Other video apps and destination calendars must be connected by the
user; the domains that store those connections register a lookup here (`use_conferencing_lookup`,
`use_calendar_lookup`). Until one is registered a user has none, so such settings are refused
with Cal.com's messages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class ConnectedCalendar:
    integration: str
    external_id: str
    read_only: bool = False
    primary: bool = False


ConferencingLookup = Callable[[AsyncSession, int], Awaitable[frozenset[str]]]
CalendarLookup = Callable[[AsyncSession, int], Awaitable[Sequence[ConnectedCalendar]]]


async def _nothing_connected_apps(_session: AsyncSession, _user_id: int) -> frozenset[str]:
    return frozenset()


async def _nothing_connected_calendars(_session: AsyncSession, _user_id: int) -> Sequence[ConnectedCalendar]:
    return ()


_conferencing: ConferencingLookup = _nothing_connected_apps
_calendars: CalendarLookup = _nothing_connected_calendars


def use_conferencing_lookup(lookup: ConferencingLookup) -> None:
    """Register how to find the conferencing app slugs (`zoom`, `msteams`, ...) a user has connected."""
    global _conferencing
    _conferencing = lookup


def use_calendar_lookup(lookup: CalendarLookup) -> None:
    """Register how to find the calendars a user has connected."""
    global _calendars
    _calendars = lookup


async def connected_conferencing_apps(session: AsyncSession, user_id: int) -> frozenset[str]:
    return await _conferencing(session, user_id)


async def connected_calendars(session: AsyncSession, user_id: int) -> Sequence[ConnectedCalendar]:
    return await _calendars(session, user_id)
