"""An event type as the slots and bookings engines need it: plain, frozen, loaded in one call.

    event = await load_scheduling_event_type(session, event_type_id)     # None when it does not exist
    event.rules                       -> availability.models.EventRules (length, buffers, notice,
                                         interval, offset, window, limits, seats, time zone)
    event.hosts                       -> who can be booked: the owner of a personal event type, the
                                         hosts of a team event type (fixed or round robin, priority,
                                         weight, group, own schedule)
    await load_host_schedules(session, event)
                                      -> {user_id: availability.models.Schedule | None}, each host's
                                         hours: the host's own schedule, else the event's, else the
                                         host's default (None: "availability not found")
    event.locations / booking_fields  -> the API-shaped lists bookings validate against (§4.2, §4.6)

`time_zone` is the event's zone for limits and RANGE windows (§3.7): its schedule's zone, else the
first host's schedule zone, else the first host's own zone, else UTC; `time_zone_source` says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from opencal.availability import models as avail
from opencal.event_types import mapping
from opencal.models import EventType, User
from opencal.models.event_types import RANGE, ROLLING, ROLLING_WINDOW
from opencal.schedules.service import find_schedule, load_availability_schedule

TimeZoneSource = Literal["event schedule", "host schedule", "host", "default"]


@dataclass(frozen=True, slots=True)
class SchedulingHost:
    user_id: int
    # Fixed hosts attend every booking (the owner, collective hosts, mandatory round-robin hosts).
    is_fixed: bool
    priority: int | None = None
    weight: int | None = None
    group_id: str | None = None
    # The host's schedule for this event; None means the host's default schedule.
    schedule_id: int | None = None


@dataclass(frozen=True, slots=True)
class Recurrence:
    frequency: Literal["yearly", "monthly", "weekly"]
    interval: int
    occurrences: int


@dataclass(frozen=True, slots=True)
class ConfirmationThreshold:
    """Confirmation is required only for bookings made less than `count` `unit` ahead."""

    unit: Literal["minutes", "hours"]
    count: int


@dataclass(frozen=True, slots=True)
class SchedulingEventType:
    id: int
    slug: str
    title: str
    owner_id: int | None
    team_id: int | None
    parent_id: int | None
    scheduling_type: str | None
    length: int
    length_options: tuple[int, ...]
    slot_interval: int | None
    before_buffer: int
    after_buffer: int
    minimum_notice: int
    offset_start: int
    booking_window: avail.BookingWindow
    booking_limits: avail.IntervalLimits | None
    duration_limits: avail.IntervalLimits | None
    only_first_slot_per_day: bool
    seats_per_time_slot: int | None
    seats_show_attendees: bool
    seats_show_availability_count: bool
    requires_confirmation: bool
    confirmation_threshold: ConfirmationThreshold | None
    unconfirmed_bookings_block_slots: bool
    max_active_bookings_per_booker: int | None
    offer_reschedule_at_active_limit: bool
    recurrence: Recurrence | None
    booking_requires_authentication: bool
    requires_booker_email_verification: bool
    hidden: bool
    lock_time_zone_toggle: bool
    schedule_id: int | None
    hosts: tuple[SchedulingHost, ...]
    time_zone: str
    time_zone_source: TimeZoneSource
    locations: tuple[Mapping[str, Any], ...]
    booking_fields: tuple[Mapping[str, Any], ...]

    @property
    def rules(self) -> avail.EventRules:
        return avail.EventRules(
            id=self.id,
            length=self.length,
            slot_interval=self.slot_interval,
            before_buffer=self.before_buffer,
            after_buffer=self.after_buffer,
            minimum_notice=self.minimum_notice,
            offset_start=self.offset_start,
            seats_per_slot=self.seats_per_time_slot,
            only_first_slot_per_day=self.only_first_slot_per_day,
            booking_window=self.booking_window,
            booking_limits=self.booking_limits,
            duration_limits=self.duration_limits,
            time_zone=self.time_zone,
        )


def booking_window(row: EventType) -> avail.BookingWindow:
    days = row.period_days or 0
    business = not row.period_count_calendar_days
    if row.period_type == ROLLING:
        return avail.RollingDays(days=days, business_days=business)
    if row.period_type == ROLLING_WINDOW:
        return avail.RollingAvailableDays(days=days, business_days=business)
    if row.period_type == RANGE and row.period_start_date and row.period_end_date:
        return avail.DateRangeWindow(first=row.period_start_date, last=row.period_end_date)
    return avail.Unlimited()


def interval_limits(stored: Mapping[str, Any] | None) -> avail.IntervalLimits | None:
    limits = mapping.limits_output(stored)
    if not limits:
        return None
    return avail.IntervalLimits(
        day=limits.get("day"), week=limits.get("week"), month=limits.get("month"), year=limits.get("year")
    )


def _hosts(row: EventType) -> tuple[SchedulingHost, ...]:
    if row.hosts:
        return tuple(
            SchedulingHost(
                user_id=host.user_id,
                is_fixed=host.is_fixed,
                priority=host.priority,
                weight=host.weight,
                group_id=host.group_id,
                schedule_id=host.schedule_id or row.schedule_id,
            )
            for host in row.hosts
        )
    if row.owner_id is not None:
        return (SchedulingHost(user_id=row.owner_id, is_fixed=True, schedule_id=row.schedule_id),)
    return ()


async def _time_zone(
    session: AsyncSession, row: EventType, hosts: tuple[SchedulingHost, ...]
) -> tuple[str, TimeZoneSource]:
    if row.schedule_id is not None:
        schedule = await find_schedule(session, row.schedule_id)
        if schedule is not None and schedule.time_zone:
            return schedule.time_zone, "event schedule"
    if hosts:
        user = await session.get(User, hosts[0].user_id)
        if user is not None:
            schedule_id = hosts[0].schedule_id or user.default_schedule_id
            schedule = await find_schedule(session, schedule_id) if schedule_id is not None else None
            if schedule is not None and schedule.time_zone:
                return schedule.time_zone, "host schedule"
            return user.time_zone, "host"
    return "UTC", "default"


def _recurrence(stored: Mapping[str, Any] | None) -> Recurrence | None:
    output = mapping.recurrence_output(stored)
    if output is None:
        return None
    return Recurrence(frequency=output["frequency"], interval=output["interval"], occurrences=output["occurrences"])


def _threshold(metadata: Mapping[str, Any]) -> ConfirmationThreshold | None:
    threshold = metadata.get("requiresConfirmationThreshold")
    if not threshold or threshold.get("unit") not in ("minutes", "hours"):
        return None
    return ConfirmationThreshold(unit=threshold["unit"], count=int(threshold.get("time") or 0))


async def load_scheduling_event_type(session: AsyncSession, event_type_id: int) -> SchedulingEventType | None:
    row = await session.get(EventType, event_type_id)
    if row is None:
        return None
    hosts = _hosts(row)
    time_zone, source = await _time_zone(session, row, hosts)
    metadata = row.metadata_ or {}
    locations = mapping.locations_output(row.locations or [])
    return SchedulingEventType(
        id=row.id,
        slug=row.slug,
        title=row.title,
        owner_id=row.owner_id,
        team_id=row.team_id,
        parent_id=row.parent_id,
        scheduling_type=row.scheduling_type,
        length=row.length,
        length_options=tuple(metadata.get("multipleDuration") or ()),
        slot_interval=row.slot_interval,
        before_buffer=row.before_event_buffer,
        after_buffer=row.after_event_buffer,
        minimum_notice=row.minimum_booking_notice,
        offset_start=row.offset_start,
        booking_window=booking_window(row),
        booking_limits=interval_limits(row.booking_limits),
        duration_limits=interval_limits(row.duration_limits),
        only_first_slot_per_day=row.only_show_first_available_slot,
        seats_per_time_slot=row.seats_per_time_slot,
        seats_show_attendees=row.seats_show_attendees,
        seats_show_availability_count=row.seats_show_availability_count,
        requires_confirmation=row.requires_confirmation,
        confirmation_threshold=_threshold(metadata),
        unconfirmed_bookings_block_slots=row.requires_confirmation_will_block_slot,
        max_active_bookings_per_booker=row.max_active_bookings_per_booker,
        offer_reschedule_at_active_limit=row.max_active_booking_per_booker_offer_reschedule,
        recurrence=_recurrence(row.recurring_event),
        booking_requires_authentication=row.booking_requires_authentication,
        requires_booker_email_verification=row.requires_booker_email_verification,
        hidden=row.hidden,
        lock_time_zone_toggle=row.lock_time_zone_toggle_on_booking_page,
        schedule_id=row.schedule_id,
        hosts=hosts,
        time_zone=time_zone,
        time_zone_source=source,
        locations=tuple(locations),
        booking_fields=tuple(mapping.booking_fields_output(row.booking_fields or [], len(locations))),
    )


async def load_host_schedules(session: AsyncSession, event: SchedulingEventType) -> dict[int, avail.Schedule | None]:
    """Each host's working hours for this event (None when the host has no schedule at all)."""
    schedules: dict[int, avail.Schedule | None] = {}
    for host in event.hosts:
        user = await session.get(User, host.user_id)
        schedules[host.user_id] = (
            await load_availability_schedule(session, user, host.schedule_id) if user is not None else None
        )
    return schedules
