"""phone calls: the phone-call configuration of an event type

Revision ID: 0011_phone_calls
Revises: 0010_attendee_email_index
Create Date: 2026-11-21 09:41:04.268973
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import opencal.models.base

revision: str = "0011_phone_calls"
down_revision: str | Sequence[str] | None = "0010_attendee_email_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_phone_call_configurations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("template_type", sa.String(length=32), nullable=False),
        sa.Column("scheduler_name", sa.Text(), nullable=True),
        sa.Column("general_prompt", sa.Text(), nullable=True),
        sa.Column("begin_message", sa.Text(), nullable=True),
        sa.Column("your_phone_number", sa.String(length=16), nullable=False),
        sa.Column("number_to_call", sa.String(length=16), nullable=False),
        sa.Column("guest_name", sa.Text(), nullable=True),
        sa.Column("guest_email", sa.Text(), nullable=True),
        sa.Column("guest_company", sa.Text(), nullable=True),
        sa.Column("llm_id", sa.String(length=255), nullable=True),
        sa.Column("agent_id", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at",
            opencal.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            opencal.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["event_type_id"],
            ["event_types.id"],
            name=op.f("fk_ai_phone_call_configurations_event_type_id_event_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_phone_call_configurations")),
        sa.UniqueConstraint("event_type_id", name=op.f("uq_ai_phone_call_configurations_event_type_id")),
    )


def downgrade() -> None:
    op.drop_table("ai_phone_call_configurations")
