"""platform tokens: managed-user access and refresh tokens, stored hashed

Revision ID: 0004_platform
Revises: 0003_webhooks
Create Date: 2026-11-21 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import opencal.models.base

revision: str = "0004_platform"
down_revision: str | Sequence[str] | None = "0003_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_clients.id"],
            name=op.f("fk_platform_tokens_client_id_oauth_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_platform_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_platform_tokens_token_hash")),
    )
    with op.batch_alter_table("platform_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_platform_tokens_client_id_user_id", ["client_id", "user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_platform_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("platform_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_tokens_user_id"))
        batch_op.drop_index("ix_platform_tokens_client_id_user_id")
    op.drop_table("platform_tokens")
