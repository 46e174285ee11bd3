"""The phone-call configuration of an event type (Cal.com's AIPhoneCallConfiguration)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from opencal.models.base import Base, TimestampMixin


class AIPhoneCallConfiguration(TimestampMixin, Base):
    """What the last `create-phone-call` of an event type used, and the provider objects (the
    Retell LLM and agent) it created, so that later calls of the event type reuse them.

    The Cal.com API key given with a call is not kept: it lives only in the provider's LLM tools.
    """

    __tablename__ = "ai_phone_call_configurations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    template_type: Mapped[str] = mapped_column(String(32), default="CUSTOM_TEMPLATE")
    scheduler_name: Mapped[str | None] = mapped_column(Text)
    general_prompt: Mapped[str | None] = mapped_column(Text)
    begin_message: Mapped[str | None] = mapped_column(Text)
    your_phone_number: Mapped[str] = mapped_column(String(16))
    number_to_call: Mapped[str] = mapped_column(String(16))
    guest_name: Mapped[str | None] = mapped_column(Text)
    guest_email: Mapped[str | None] = mapped_column(Text)
    guest_company: Mapped[str | None] = mapped_column(Text)
    llm_id: Mapped[str | None] = mapped_column(String(255))
    agent_id: Mapped[str | None] = mapped_column(String(255))
