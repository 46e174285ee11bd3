"""Event types, their hosts and their private links.

An event type belongs to a user (`owner_id`) or to a team (`team_id`); a managed event type's
per-member copies point at it through `parent_id`. What the availability and booking code reads on
every request is a scalar column; the rest is stored as JSON in Cal.com's internal shapes
(`integrations:daily` locations, system/custom booking fields, `PER_DAY` limits...), which the
legacy API echoes as is. `opencal.event_types.mapping` is the one place that converts between the
API shape and this stored shape.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opencal.models.base import Base, TimestampMixin, utcnow

# Values of `EventType.scheduling_type` (null for personal event types).
COLLECTIVE = "COLLECTIVE"
ROUND_ROBIN = "ROUND_ROBIN"
MANAGED = "MANAGED"

# Values of `EventType.period_type` (the booking window).
UNLIMITED = "UNLIMITED"
ROLLING = "ROLLING"
ROLLING_WINDOW = "ROLLING_WINDOW"
RANGE = "RANGE"


class EventType(TimestampMixin, Base):
    __tablename__ = "event_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"), index=True)
    scheduling_type: Mapped[str | None] = mapped_column(String(16))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"), index=True)

    title: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)

    # What slots and bookings read on every request.
    length: Mapped[int] = mapped_column(Integer)
    before_event_buffer: Mapped[int] = mapped_column(Integer, default=0)
    after_event_buffer: Mapped[int] = mapped_column(Integer, default=0)
    minimum_booking_notice: Mapped[int] = mapped_column(Integer, default=120)
    slot_interval: Mapped[int | None] = mapped_column(Integer)
    offset_start: Mapped[int] = mapped_column(Integer, default=0)
    only_show_first_available_slot: Mapped[bool] = mapped_column(Boolean, default=False)
    period_type: Mapped[str] = mapped_column(String(16), default=UNLIMITED)
    period_days: Mapped[int | None] = mapped_column(Integer)
    period_count_calendar_days: Mapped[bool | None] = mapped_column(Boolean)
    period_start_date: Mapped[date | None] = mapped_column()
    period_end_date: Mapped[date | None] = mapped_column()
    seats_per_time_slot: Mapped[int | None] = mapped_column(Integer)
    seats_show_attendees: Mapped[bool] = mapped_column(Boolean, default=False)
    seats_show_availability_count: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_confirmation: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_confirmation_will_block_slot: Mapped[bool] = mapped_column(Boolean, default=False)
    max_active_bookings_per_booker: Mapped[int | None] = mapped_column(Integer)
    max_active_booking_per_booker_offer_reschedule: Mapped[bool] = mapped_column(Boolean, default=False)
    booking_requires_authentication: Mapped[bool] = mapped_column(Boolean, default=False)
    disable_guests: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_booker_email_verification: Mapped[bool] = mapped_column(Boolean, default=False)
    lock_time_zone_toggle_on_booking_page: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_calendar_notes: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_calendar_event_details: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_organizer_email: Mapped[bool] = mapped_column(Boolean, default=False)
    disable_cancelling: Mapped[bool] = mapped_column(Boolean, default=False)
    disable_rescheduling: Mapped[bool] = mapped_column(Boolean, default=False)
    minimum_reschedule_notice: Mapped[int | None] = mapped_column(Integer)
    allow_rescheduling_past_bookings: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_rescheduling_cancelled_bookings: Mapped[bool] = mapped_column(Boolean, default=False)
    show_optimized_slots: Mapped[bool] = mapped_column(Boolean, default=False)
    event_name: Mapped[str | None] = mapped_column(Text)
    success_redirect_url: Mapped[str | None] = mapped_column(Text)
    forward_params_success_redirect: Mapped[bool] = mapped_column(Boolean, default=True)
    use_event_type_destination_calendar_email: Mapped[bool] = mapped_column(Boolean, default=False)
    can_send_cal_video_transcription_emails: Mapped[bool] = mapped_column(Boolean, default=True)
    interface_language: Mapped[str | None] = mapped_column(String(16))
    price: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(8), default="usd")
    is_instant_event: Mapped[bool] = mapped_column(Boolean, default=False)
    # Team event types.
    assign_all_team_members: Mapped[bool] = mapped_column(Boolean, default=False)
    reschedule_with_same_round_robin_host: Mapped[bool] = mapped_column(Boolean, default=False)

    # Stored in Cal.com's internal shapes; see `opencal.event_types.mapping`.
    locations: Mapped[list[Any]] = mapped_column(default=list)
    booking_fields: Mapped[list[Any]] = mapped_column(default=list)
    booking_limits: Mapped[dict[str, Any] | None] = mapped_column()
    duration_limits: Mapped[dict[str, Any] | None] = mapped_column()
    recurring_event: Mapped[dict[str, Any] | None] = mapped_column()
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    event_type_color: Mapped[dict[str, Any] | None] = mapped_column()
    cal_video_settings: Mapped[dict[str, Any] | None] = mapped_column()
    destination_calendar: Mapped[dict[str, Any] | None] = mapped_column()
    email_settings: Mapped[dict[str, Any] | None] = mapped_column()

    hosts: Mapped[list[Host]] = relationship(
        back_populates="event_type", cascade="all, delete-orphan", order_by="Host.id", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("owner_id", "slug"), UniqueConstraint("team_id", "slug"))


class Host(Base):
    """A user who can be booked for a team event type."""

    __tablename__ = "hosts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Fixed hosts attend every booking (collective hosts, mandatory round-robin hosts).
    is_fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int | None] = mapped_column(Integer)
    weight: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[str | None] = mapped_column(String(64))
    # A host-specific schedule; null means the host's default schedule.
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event_type: Mapped[EventType] = relationship(back_populates="hosts")

    __table_args__ = (UniqueConstraint("event_type_id", "user_id"),)


class EventTypePrivateLink(Base):
    """A secret booking link (`/d/<link>/<slug>`), limited by time or by number of uses."""

    __tablename__ = "event_type_private_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"), index=True)
    link: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column()
    max_usage_count: Mapped[int | None] = mapped_column(Integer)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
