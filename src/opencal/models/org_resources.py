"""Resources an organization owns besides its members and teams: attributes and their assignments,
out-of-office entries, delegation credentials, routing forms and their responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opencal.models.base import Base, JSONType, TimestampMixin, utcnow

# -- attributes ---------------------------------------------------------------------------------


class Attribute(TimestampMixin, Base):
    """A property of organization members (department, seniority, ...); `type` is TEXT, NUMBER,
    SINGLE_SELECT or MULTI_SELECT."""

    __tablename__ = "attributes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    users_can_edit_relation: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("team_id", "slug"),)


class AttributeOption(Base):
    """A value of an attribute: a choice of a select attribute, or a value given to a member of a
    text/number attribute."""

    __tablename__ = "attribute_options"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    attribute_id: Mapped[str] = mapped_column(ForeignKey("attributes.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(Text)
    slug: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttributeAssignment(Base):
    """An option held by an organization membership (Cal.com's AttributeToUser)."""

    __tablename__ = "attribute_assignments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    attribute_option_id: Mapped[str] = mapped_column(ForeignKey("attribute_options.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("membership_id", "attribute_option_id"),)


# -- out of office ------------------------------------------------------------------------------


class OutOfOffice(TimestampMixin, Base):
    """A stretch of whole UTC days when a user is away, optionally redirecting bookings to another user."""

    __tablename__ = "out_of_office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    start_time: Mapped[datetime] = mapped_column()
    end_time: Mapped[datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(String(32), default="unspecified")
    notes: Mapped[str | None] = mapped_column(Text)


# -- delegation credentials ---------------------------------------------------------------------


class DelegationCredential(TimestampMixin, Base):
    """A workspace-wide service account of an organization; the key is stored encrypted."""

    __tablename__ = "delegation_credentials"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    workspace_platform: Mapped[str] = mapped_column(String(64))
    domain: Mapped[str] = mapped_column(String(255), index=True)
    service_account_key: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("organization_id", "domain"),)


# -- routing forms ------------------------------------------------------------------------------


class RoutingForm(TimestampMixin, Base):
    """A form whose answers route a booker to an event type, a page or a message; `fields`, `routes`
    and `settings` keep Cal.com's JSON shapes."""

    __tablename__ = "routing_forms"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    fields: Mapped[Any] = mapped_column(JSONType, nullable=True)
    routes: Mapped[Any] = mapped_column(JSONType, nullable=True)
    settings: Mapped[Any] = mapped_column(JSONType, nullable=True)


class RoutingFormResponse(TimestampMixin, Base):
    """One submission of a routing form: answers keyed by field id, and the booking it led to."""

    __tablename__ = "routing_form_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    form_id: Mapped[str] = mapped_column(ForeignKey("routing_forms.id", ondelete="CASCADE"), index=True)
    form_filler_id: Mapped[str] = mapped_column(String(32))
    response: Mapped[dict[str, Any]] = mapped_column(default=dict)
    routed_to_booking_uid: Mapped[str | None] = mapped_column(String(64), index=True)
