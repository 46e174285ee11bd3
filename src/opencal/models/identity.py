"""Users, API keys, teams/organizations and memberships (an organization is a team with a flag)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opencal.models.base import Base, TimestampMixin, utcnow

if TYPE_CHECKING:
    from opencal.models.availability import Schedule


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    week_start: Mapped[str] = mapped_column(String(16), default="Sunday")
    time_format: Mapped[int] = mapped_column(Integer, default=12)
    locale: Mapped[str | None] = mapped_column(String(16))
    bio: Mapped[str | None] = mapped_column(Text)
    avatar_url: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    # No FK: schedules reference users too, and a cycle would complicate deletes; the service
    # keeps it pointing at one of the user's own schedules.
    default_schedule_id: Mapped[int | None] = mapped_column(Integer)
    # Read-only and never loaded implicitly: slots load it eagerly with the hosts, in one query.
    default_schedule: Mapped[Schedule | None] = relationship(
        "Schedule", primaryjoin="foreign(User.default_schedule_id) == Schedule.id", viewonly=True, lazy="raise"
    )
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    oauth_client_id: Mapped[str | None] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True)
    is_system_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_dynamic_booking: Mapped[bool] = mapped_column(Boolean, default=True)
    # Branding of the user's booking pages (organization user profiles).
    theme: Mapped[str | None] = mapped_column(String(32))
    app_theme: Mapped[str | None] = mapped_column(String(32))
    brand_color: Mapped[str | None] = mapped_column(String(32))
    dark_brand_color: Mapped[str | None] = mapped_column(String(32))
    hide_branding: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        # Usernames are unique inside an organization, and globally among users of none.
        UniqueConstraint("organization_id", "username"),
        Index(
            "uq_users_username_no_org",
            "username",
            unique=True,
            postgresql_where=text("organization_id IS NULL"),
            sqlite_where=text("organization_id IS NULL"),
        ),
    )


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    hashed_key: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Team(TimestampMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str | None] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    is_organization: Mapped[bool] = mapped_column(Boolean, default=False)
    is_platform: Mapped[bool] = mapped_column(Boolean, default=False)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    bio: Mapped[str | None] = mapped_column(Text)
    logo_url: Mapped[str | None] = mapped_column(Text)
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    week_start: Mapped[str] = mapped_column(String(16), default="Sunday")
    # Branding and booking-page options of the team's public pages.
    cal_video_logo: Mapped[str | None] = mapped_column(Text)
    app_logo: Mapped[str | None] = mapped_column(Text)
    app_icon_logo: Mapped[str | None] = mapped_column(Text)
    banner_url: Mapped[str | None] = mapped_column(Text)
    hide_branding: Mapped[bool] = mapped_column(Boolean, default=False)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_book_a_team_member: Mapped[bool] = mapped_column(Boolean, default=False)
    theme: Mapped[str | None] = mapped_column(String(32))
    brand_color: Mapped[str | None] = mapped_column(String(32))
    dark_brand_color: Mapped[str | None] = mapped_column(String(32))
    time_format: Mapped[int | None] = mapped_column(Integer)
    # Team-wide booking limits ({"PER_DAY": n, ...}), also counting managed event types when set.
    booking_limits: Mapped[dict[str, Any] | None] = mapped_column()
    include_managed_events_in_limits: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("parent_id", "slug"),
        Index(
            "uq_teams_slug_no_parent",
            "slug",
            unique=True,
            postgresql_where=text("parent_id IS NULL"),
            sqlite_where=text("parent_id IS NULL"),
        ),
    )


class Membership(Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="MEMBER")
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    disable_impersonation: Mapped[bool] = mapped_column(Boolean, default=False)
    # A custom role of the team/organization whose permissions the member also holds.
    custom_role_id: Mapped[str | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("team_id", "user_id"),)


class AppSecret(Base):
    """Server-wide generated secrets (the signing key), shared by every process of a deployment."""

    __tablename__ = "app_secrets"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
