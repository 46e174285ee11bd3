"""bookings, attendees, seats, booking hosts, slot reservations

Revision ID: 0008_bookings
Revises: 0007_org_resources
Create Date: 2026-11-21 07:51:43.963922
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import opencal.models.base

revision: str = "0008_bookings"
down_revision: str | Sequence[str] | None = "0007_org_resources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=512), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("start_time", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end_time", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column(
            "responses", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "metadata", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("recurring_booking_uid", sa.String(length=64), nullable=True),
        sa.Column("from_reschedule", sa.String(length=64), nullable=True),
        sa.Column("rescheduled_to_uid", sa.String(length=64), nullable=True),
        sa.Column("rescheduled", sa.Boolean(), nullable=False),
        sa.Column("rescheduling_reason", sa.Text(), nullable=True),
        sa.Column("rescheduled_by_email", sa.String(length=320), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("cancelled_by_email", sa.String(length=320), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("absent_host", sa.Boolean(), nullable=False),
        sa.Column("ics_uid", sa.String(length=255), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_bookings_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("uid", name=op.f("uq_bookings_uid")),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index("ix_bookings_event_type_id_start_time", ["event_type_id", "start_time"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_recurring_booking_uid"), ["recurring_booking_uid"], unique=False)
        batch_op.create_index("ix_bookings_user_id_start_time", ["user_id", "start_time"], unique=False)

    op.create_table(
        "slot_reservations",
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("slot_end", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("release_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("is_seat", sa.Boolean(), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_slot_reservations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_slot_reservations")),
    )
    with op.batch_alter_table("slot_reservations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slot_reservations_event_type_id"), ["event_type_id"], unique=False)
        batch_op.create_index("ix_slot_reservations_user_id_slot_start", ["user_id", "slot_start"], unique=False)

    op.create_table(
        "attendees",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("phone_number", sa.String(length=32), nullable=True),
        sa.Column("absent", sa.Boolean(), nullable=False),
        sa.Column("is_host", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_attendees_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendees")),
    )
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendees_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendees_email"), ["email"], unique=False)

    op.create_table(
        "booking_hosts",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("start_time", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end_time", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_hosts_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_booking_hosts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("booking_id", "user_id", name=op.f("pk_booking_hosts")),
    )
    with op.batch_alter_table("booking_hosts", schema=None) as batch_op:
        batch_op.create_index("ix_booking_hosts_user_id_start_time", ["user_id", "start_time"], unique=False)

    op.create_table(
        "booking_seats",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=False),
        sa.Column(
            "data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "metadata", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["attendee_id"], ["attendees.id"], name=op.f("fk_booking_seats_attendee_id_attendees"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_seats_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_seats")),
        sa.UniqueConstraint("attendee_id", name=op.f("uq_booking_seats_attendee_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_booking_seats_uid")),
    )
    with op.batch_alter_table("booking_seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_seats_booking_id"), ["booking_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("booking_seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_seats_booking_id"))

    op.drop_table("booking_seats")
    with op.batch_alter_table("booking_hosts", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_hosts_user_id_start_time")

    op.drop_table("booking_hosts")
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendees_email"))
        batch_op.drop_index(batch_op.f("ix_attendees_booking_id"))

    op.drop_table("attendees")
    with op.batch_alter_table("slot_reservations", schema=None) as batch_op:
        batch_op.drop_index("ix_slot_reservations_user_id_slot_start")
        batch_op.drop_index(batch_op.f("ix_slot_reservations_event_type_id"))

    op.drop_table("slot_reservations")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_user_id_start_time")
        batch_op.drop_index(batch_op.f("ix_bookings_recurring_booking_uid"))
        batch_op.drop_index("ix_bookings_event_type_id_start_time")

    op.drop_table("bookings")
