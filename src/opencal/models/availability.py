"""Schedules and their availability rows (a row with `date` is a date override)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opencal.models.base import Base, utcnow


class Schedule(Base):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rows: Mapped[list[Availability]] = relationship(
        back_populates="schedule", cascade="all, delete-orphan", order_by="Availability.id", lazy="selectin"
    )


class Availability(Base):
    __tablename__ = "availability"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"), index=True)
    # Weekdays of a weekly rule, 0 = Sunday; empty for a date override.
    days: Mapped[list[Any]] = mapped_column(default=list)
    start_time: Mapped[time] = mapped_column()
    end_time: Mapped[time] = mapped_column()
    date: Mapped[date | None] = mapped_column()

    schedule: Mapped[Schedule] = relationship(back_populates="rows")
