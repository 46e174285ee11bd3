"""Custom roles and their permissions, team invitations, and managed organizations.

Teams, organizations and memberships themselves live in `identity.py` (an organization is a team
row with `is_organization`); a membership may carry one custom role (`Membership.custom_role_id`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opencal.models.base import Base, TimestampMixin, utcnow


class Role(TimestampMixin, Base):
    """A custom role of an organization or of a team (`team_id` is the organization's or team's id)."""

    __tablename__ = "roles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    color: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16), default="CUSTOM")

    permissions: Mapped[list[RolePermission]] = relationship(
        cascade="all, delete-orphan", order_by="RolePermission.id", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("team_id", "name"),)


class RolePermission(Base):
    """One `resource.action` permission of a role; ids keep the order permissions were granted in."""

    __tablename__ = "role_permissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    resource: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("role_id", "resource", "action"),)


class TeamInvite(Base):
    """An invitation link to a team; only a hash of its token is kept."""

    __tablename__ = "team_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ManagedOrganization(Base):
    """Links an organization to the (platform) organization that created and manages it."""

    __tablename__ = "managed_organizations"

    managed_organization_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    manager_organization_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
