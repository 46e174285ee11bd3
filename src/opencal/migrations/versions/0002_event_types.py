"""event types, hosts, private links

Revision ID: 0002_event_types
Revises: 0001_foundation
Create Date: 2026-11-21 07:54:20.566686
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import opencal.models.base

revision: str = "0002_event_types"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "event_types",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("scheduling_type", sa.String(length=16), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("before_event_buffer", sa.Integer(), nullable=False),
        sa.Column("after_event_buffer", sa.Integer(), nullable=False),
        sa.Column("minimum_booking_notice", sa.Integer(), nullable=False),
        sa.Column("slot_interval", sa.Integer(), nullable=True),
        sa.Column("offset_start", sa.Integer(), nullable=False),
        sa.Column("only_show_first_available_slot", sa.Boolean(), nullable=False),
        sa.Column("period_type", sa.String(length=16), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=True),
        sa.Column("period_count_calendar_days", sa.Boolean(), nullable=True),
        sa.Column("period_start_date", sa.Date(), nullable=True),
        sa.Column("period_end_date", sa.Date(), nullable=True),
        sa.Column("seats_per_time_slot", sa.Integer(), nullable=True),
        sa.Column("seats_show_attendees", sa.Boolean(), nullable=False),
        sa.Column("seats_show_availability_count", sa.Boolean(), nullable=False),
        sa.Column("requires_confirmation", sa.Boolean(), nullable=False),
        sa.Column("requires_confirmation_will_block_slot", sa.Boolean(), nullable=False),
        sa.Column("max_active_bookings_per_booker", sa.Integer(), nullable=True),
        sa.Column("max_active_booking_per_booker_offer_reschedule", sa.Boolean(), nullable=False),
        sa.Column("booking_requires_authentication", sa.Boolean(), nullable=False),
        sa.Column("disable_guests", sa.Boolean(), nullable=False),
        sa.Column("requires_booker_email_verification", sa.Boolean(), nullable=False),
        sa.Column("lock_time_zone_toggle_on_booking_page", sa.Boolean(), nullable=False),
        sa.Column("hide_calendar_notes", sa.Boolean(), nullable=False),
        sa.Column("hide_calendar_event_details", sa.Boolean(), nullable=False),
        sa.Column("hide_organizer_email", sa.Boolean(), nullable=False),
        sa.Column("disable_cancelling", sa.Boolean(), nullable=False),
        sa.Column("disable_rescheduling", sa.Boolean(), nullable=False),
        sa.Column("minimum_reschedule_notice", sa.Integer(), nullable=True),
        sa.Column("allow_rescheduling_past_bookings", sa.Boolean(), nullable=False),
        sa.Column("allow_rescheduling_cancelled_bookings", sa.Boolean(), nullable=False),
        sa.Column("show_optimized_slots", sa.Boolean(), nullable=False),
        sa.Column("event_name", sa.Text(), nullable=True),
        sa.Column("success_redirect_url", sa.Text(), nullable=True),
        sa.Column("forward_params_success_redirect", sa.Boolean(), nullable=False),
        sa.Column("use_event_type_destination_calendar_email", sa.Boolean(), nullable=False),
        sa.Column("can_send_cal_video_transcription_emails", sa.Boolean(), nullable=False),
        sa.Column("interface_language", sa.String(length=16), nullable=True),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("is_instant_event", sa.Boolean(), nullable=False),
        sa.Column("assign_all_team_members", sa.Boolean(), nullable=False),
        sa.Column("reschedule_with_same_round_robin_host", sa.Boolean(), nullable=False),
        sa.Column("locations", _json(), nullable=False),
        sa.Column("booking_fields", _json(), nullable=False),
        sa.Column("booking_limits", _json(), nullable=True),
        sa.Column("duration_limits", _json(), nullable=True),
        sa.Column("recurring_event", _json(), nullable=True),
        sa.Column("metadata", _json(), nullable=False),
        sa.Column("event_type_color", _json(), nullable=True),
        sa.Column("cal_video_settings", _json(), nullable=True),
        sa.Column("destination_calendar", _json(), nullable=True),
        sa.Column("email_settings", _json(), nullable=True),
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
            ["owner_id"], ["users.id"], name=op.f("fk_event_types_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["event_types.id"], name=op.f("fk_event_types_parent_id_event_types"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"], ["schedules.id"], name=op.f("fk_event_types_schedule_id_schedules"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_event_types_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_types")),
        sa.UniqueConstraint("owner_id", "slug", name=op.f("uq_event_types_owner_id_slug")),
        sa.UniqueConstraint("team_id", "slug", name=op.f("uq_event_types_team_id_slug")),
    )
    with op.batch_alter_table("event_types", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_types_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_types_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_types_schedule_id"), ["schedule_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_types_team_id"), ["team_id"], unique=False)

    op.create_table(
        "event_type_private_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("link", sa.String(length=64), nullable=False),
        sa.Column("expires_at", opencal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("max_usage_count", sa.Integer(), nullable=True),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type_id"],
            ["event_types.id"],
            name=op.f("fk_event_type_private_links_event_type_id_event_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_type_private_links")),
        sa.UniqueConstraint("link", name=op.f("uq_event_type_private_links_link")),
    )
    with op.batch_alter_table("event_type_private_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_type_private_links_event_type_id"), ["event_type_id"], unique=False)

    op.create_table(
        "hosts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("is_fixed", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.String(length=64), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type_id"], ["event_types.id"], name=op.f("fk_hosts_event_type_id_event_types"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"], ["schedules.id"], name=op.f("fk_hosts_schedule_id_schedules"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_hosts_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hosts")),
        sa.UniqueConstraint("event_type_id", "user_id", name=op.f("uq_hosts_event_type_id_user_id")),
    )
    with op.batch_alter_table("hosts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hosts_event_type_id"), ["event_type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hosts_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hosts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hosts_user_id"))
        batch_op.drop_index(batch_op.f("ix_hosts_event_type_id"))
    op.drop_table("hosts")
    with op.batch_alter_table("event_type_private_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_type_private_links_event_type_id"))
    op.drop_table("event_type_private_links")
    with op.batch_alter_table("event_types", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_types_team_id"))
        batch_op.drop_index(batch_op.f("ix_event_types_schedule_id"))
        batch_op.drop_index(batch_op.f("ix_event_types_parent_id"))
        batch_op.drop_index(batch_op.f("ix_event_types_owner_id"))
    op.drop_table("event_types")
