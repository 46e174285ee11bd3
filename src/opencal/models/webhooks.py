"""Webhooks, and the transactional outbox that delivers their events.

A `WebhookEvent` is written in the same transaction as the change it reports, with one
`WebhookDelivery` per subscribed webhook; dispatchers claim due deliveries, POST them and record
every `WebhookAttempt`. Behaviour lives in `opencal.webhooks`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opencal.models.base import Base, utcnow

# Delivery states. A `delivering` row whose `next_attempt_at` (its lease) has passed belongs to a
# dispatcher that stopped mid-attempt and is due again.
PENDING = "pending"
DELIVERING = "delivering"
SUCCEEDED = "succeeded"
FAILED = "failed"

_ONE_OWNER = (
    "(CASE WHEN user_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN event_type_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN oauth_client_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Exactly one owner (CHECK below). Teams and organizations are both `teams` rows. The unique
    # (owner, subscriber_url) constraints double as the owner indexes.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_type_id: Mapped[int | None] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    oauth_client_id: Mapped[str | None] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"))
    subscriber_url: Mapped[str] = mapped_column(String(2048))
    triggers: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    payload_template: Mapped[str | None] = mapped_column(Text)
    # Encrypted with the server's SecretBox: it is needed in the clear to sign deliveries.
    secret: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(16), default="2021-10-20")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        # One subscriber URL per owner (NULL owners never collide).
        UniqueConstraint("user_id", "subscriber_url"),
        UniqueConstraint("event_type_id", "subscriber_url"),
        UniqueConstraint("team_id", "subscriber_url"),
        UniqueConstraint("oauth_client_id", "subscriber_url"),
    )


class WebhookEvent(Base):
    """One event of the outbox, and the owners whose webhooks it concerned when it was written."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trigger: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)
    event_type_ids: Mapped[list[Any]] = mapped_column(default=list)
    team_ids: Mapped[list[Any]] = mapped_column(default=list)
    oauth_client_id: Mapped[str | None] = mapped_column(String(32))


class WebhookDelivery(Base):
    """The delivery of one event to one webhook, retried until it succeeds or runs out of attempts."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True)
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the next attempt is due; for a `delivering` row, when its claim lapses. None once final.
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    # Set at each claim; a dispatcher records its result only while the claim is still its own.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_webhook_deliveries_state_next_attempt_at", "state", "next_attempt_at"),)


class WebhookAttempt(Base):
    """One HTTP attempt of a delivery (or one lost with the dispatcher that made it)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
