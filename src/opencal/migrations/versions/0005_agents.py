"""agents: agents of an organization and the Cal.com accounts they schedule through

Revision ID: 0005_agents
Revises: 0004_platform
Create Date: 2026-11-21 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import opencal.models.base

revision: str = "0005_agents"
down_revision: str | Sequence[str] | None = "0004_platform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("api_base_url", sa.Text(), nullable=False),
        sa.Column("encrypted_api_key", sa.Text(), nullable=False),
        sa.Column("calcom_user_id", sa.Integer(), nullable=True),
        sa.Column("calcom_username", sa.String(length=255), nullable=True),
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
        sa.CheckConstraint("scope IN ('organization', 'agent')", name=op.f("ck_calendar_accounts_scope")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["teams.id"],
            name=op.f("fk_calendar_accounts_organization_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_accounts")),
    )
    with op.batch_alter_table("calendar_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_accounts_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "agents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("calcom_account_id", sa.String(length=36), nullable=True),
        sa.Column("private_account_id", sa.String(length=36), nullable=True),
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
        sa.CheckConstraint(
            "calcom_account_id IS NULL OR private_account_id IS NULL", name=op.f("ck_agents_one_account")
        ),
        sa.ForeignKeyConstraint(
            ["calcom_account_id"],
            ["calendar_accounts.id"],
            name=op.f("fk_agents_calcom_account_id_calendar_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["teams.id"], name=op.f("fk_agents_organization_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["private_account_id"],
            ["calendar_accounts.id"],
            name=op.f("fk_agents_private_account_id_calendar_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
        sa.UniqueConstraint("private_account_id", name=op.f("uq_agents_private_account_id")),
    )
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agents_calcom_account_id"), ["calcom_account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agents_organization_id"), ["organization_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agents_organization_id"))
        batch_op.drop_index(batch_op.f("ix_agents_calcom_account_id"))

    op.drop_table("agents")
    with op.batch_alter_table("calendar_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_accounts_organization_id"))

    op.drop_table("calendar_accounts")
