"""Agents of an organization and the Cal.com accounts they schedule through (`/api/v1/calcom`).

An account is either organization-level (shared; agents link to it) or private to one agent (that
agent's own API key). An agent uses at most one of the two, which the database itself enforces.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from opencal.models.base import Base, TimestampMixin

ORGANIZATION_SCOPE = "organization"
AGENT_SCOPE = "agent"


class CalendarAccount(TimestampMixin, Base):
    __tablename__ = "calendar_accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(16), default=ORGANIZATION_SCOPE)
    name: Mapped[str] = mapped_column(String(255))
    api_base_url: Mapped[str] = mapped_column(Text)
    # SecretBox-encrypted: the key is needed in the clear to call the server.
    encrypted_api_key: Mapped[str] = mapped_column(Text)
    # Who the key acts as, read from `GET /v2/me` when the account was connected.
    calcom_user_id: Mapped[int | None] = mapped_column(Integer)
    calcom_username: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (CheckConstraint(f"scope IN ('{ORGANIZATION_SCOPE}', '{AGENT_SCOPE}')", name="scope"),)


class Agent(TimestampMixin, Base):
    __tablename__ = "agents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    # The organization-level account the agent is linked to.
    calcom_account_id: Mapped[str | None] = mapped_column(
        ForeignKey("calendar_accounts.id", ondelete="SET NULL"), index=True
    )
    # The agent's own account (its private API key).
    private_account_id: Mapped[str | None] = mapped_column(
        ForeignKey("calendar_accounts.id", ondelete="SET NULL"), unique=True
    )

    __table_args__ = (CheckConstraint("calcom_account_id IS NULL OR private_account_id IS NULL", name="one_account"),)
