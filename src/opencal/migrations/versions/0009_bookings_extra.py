"""booking references (a booking's copies in calendar and video integrations)

Revision ID: 0009_bookings_extra
Revises: 0008_bookings
Create Date: 2026-11-22 09:12:05.114233
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import opencal.models.base

revision: str = "0009_bookings_extra"
down_revision: str | Sequence[str] | None = "0008_bookings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_references",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("meeting_id", sa.String(length=255), nullable=True),
        sa.Column("meeting_url", sa.Text(), nullable=True),
        sa.Column("external_calendar_id", sa.String(length=255), nullable=True),
        sa.Column("credential_id", sa.Integer(), nullable=True),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_references_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_references")),
    )
    with op.batch_alter_table("booking_references", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_references_booking_id"), ["booking_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("booking_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_references_booking_id"))
    op.drop_table("booking_references")
