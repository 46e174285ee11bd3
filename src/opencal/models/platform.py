"""Platform OAuth clients and the managed-user tokens they issue; behaviour lives in `opencal.platform`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from opencal.models.base import Base, utcnow

ACCESS_TOKEN = "access"
REFRESH_TOKEN = "refresh"


class OAuthClient(Base):
    __tablename__ = "oauth_clients"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    # Only a hash of the secret is kept (Cal.com stores it in plain text).
    secret_hash: Mapped[str] = mapped_column(String(64))
    redirect_uris: Mapped[list[Any]] = mapped_column(default=list)
    permissions: Mapped[int] = mapped_column(Integer, default=0)
    logo: Mapped[str | None] = mapped_column(Text)
    booking_redirect_uri: Mapped[str | None] = mapped_column(Text)
    booking_cancel_redirect_uri: Mapped[str | None] = mapped_column(Text)
    booking_reschedule_redirect_uri: Mapped[str | None] = mapped_column(Text)
    are_emails_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    are_default_event_types_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    are_calendar_events_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlatformToken(Base):
    """An issued managed-user access or refresh token, kept as a hash so it can be revoked.

    A token is valid while its row exists and `expires_at` is ahead; revoking deletes the row.
    """

    __tablename__ = "platform_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_platform_tokens_client_id_user_id", "client_id", "user_id"),)
