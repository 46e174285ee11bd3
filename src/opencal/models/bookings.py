"""Bookings, their attendees and seats, the hosts each booking occupies, slot reservations, and the
references calendar and video integrations keep to their copies of a booking."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opencal.models.base import Base, TimestampMixin, utcnow

# Statuses as stored; the API shows them in lower case.
ACCEPTED = "ACCEPTED"
PENDING = "PENDING"
CANCELLED = "CANCELLED"
REJECTED = "REJECTED"
AWAITING_HOST = "AWAITING_HOST"
BLOCKING_STATUSES = (ACCEPTED,)


class Booking(TimestampMixin, Base):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    # Plain integer (no FK): a booking outlives its event type, as in Cal.com.
    event_type_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(512))
    description: Mapped[str | None] = mapped_column(Text)
    start_time: Mapped[datetime] = mapped_column()
    end_time: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default=ACCEPTED)
    location: Mapped[str | None] = mapped_column(Text)
    responses: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    recurring_booking_uid: Mapped[str | None] = mapped_column(String(64), index=True)
    from_reschedule: Mapped[str | None] = mapped_column(String(64))
    rescheduled_to_uid: Mapped[str | None] = mapped_column(String(64))
    rescheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    rescheduling_reason: Mapped[str | None] = mapped_column(Text)
    rescheduled_by_email: Mapped[str | None] = mapped_column(String(320))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by_email: Mapped[str | None] = mapped_column(String(320))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    absent_host: Mapped[bool] = mapped_column(Boolean, default=False)
    ics_uid: Mapped[str | None] = mapped_column(String(255))
    rating: Mapped[int | None] = mapped_column(Integer)

    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", order_by="Attendee.id", lazy="selectin"
    )

    __table_args__ = (
        Index("ix_bookings_user_id_start_time", "user_id", "start_time"),
        Index("ix_bookings_event_type_id_start_time", "event_type_id", "start_time"),
    )


class Attendee(Base):
    __tablename__ = "attendees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str] = mapped_column(String(255))
    time_zone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    phone_number: Mapped[str | None] = mapped_column(String(32))
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    # A collective event's other fixed hosts are listed as attendees after the booker.
    is_host: Mapped[bool] = mapped_column(Boolean, default=False)

    booking: Mapped[Booking] = relationship(back_populates="attendees")

    # Attendees are matched case-insensitively (busy time, booking lists): an expression index keeps it cheap.
    __table_args__ = (Index("ix_attendees_lower_email", func.lower(email)),)


class BookingSeat(Base):
    __tablename__ = "booking_seats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    attendee_id: Mapped[int] = mapped_column(ForeignKey("attendees.id", ondelete="CASCADE"), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)


class BookingHost(Base):
    """Every host a live booking occupies, and when: what the no-double-booking guarantee protects."""

    __tablename__ = "booking_hosts"

    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    start_time: Mapped[datetime] = mapped_column()
    end_time: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_booking_hosts_user_id_start_time", "user_id", "start_time"),)


class SlotReservation(Base):
    """A temporary hold on a slot (`/v2/slots/reservations`); expired rows are ignored and deleted lazily."""

    __tablename__ = "slot_reservations"

    uid: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    slot_start: Mapped[datetime] = mapped_column()
    slot_end: Mapped[datetime] = mapped_column()
    release_at: Mapped[datetime] = mapped_column()
    is_seat: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_slot_reservations_user_id_slot_start", "user_id", "slot_start"),)


class BookingReference(Base):
    """A booking's copy in an external system (a calendar event, a video meeting), written by the
    integration that created it; `uid` is that system's id for it (a Cal Video room: its name)."""

    __tablename__ = "booking_references"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    # google_calendar, office365_calendar, daily_video, google_video, office365_video, zoom_video, ...
    type: Mapped[str] = mapped_column(String(64))
    uid: Mapped[str] = mapped_column(String(255))
    meeting_id: Mapped[str | None] = mapped_column(String(255))
    meeting_url: Mapped[str | None] = mapped_column(Text)
    # A secret of the meeting (Cal Video: the organizer's owner token), encrypted with the server key.
    meeting_password: Mapped[str | None] = mapped_column(Text)
    external_calendar_id: Mapped[str | None] = mapped_column(String(255))
    credential_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
