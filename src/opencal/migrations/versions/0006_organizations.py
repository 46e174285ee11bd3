"""organizations: custom roles and permissions, team invites, managed organizations, team and user branding

Revision ID: 0006_organizations
Revises: 0005_agents
Create Date: 2026-11-21 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import opencal.models.base

revision: str = "0006_organizations"
down_revision: str | Sequence[str] | None = "0005_agents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "managed_organizations",
        sa.Column("managed_organization_id", sa.Integer(), nullable=False),
        sa.Column("manager_organization_id", sa.Integer(), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["managed_organization_id"],
            ["teams.id"],
            name=op.f("fk_managed_organizations_managed_organization_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["manager_organization_id"],
            ["teams.id"],
            name=op.f("fk_managed_organizations_manager_organization_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("managed_organization_id", name=op.f("pk_managed_organizations")),
    )
    with op.batch_alter_table("managed_organizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_managed_organizations_manager_organization_id"), ["manager_organization_id"], unique=False
        )

    op.create_table(
        "roles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("color", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", opencal.models.base.UTCDateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_roles_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("team_id", "name", name=op.f("uq_roles_team_id_name")),
    )
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roles_team_id"), ["team_id"], unique=False)

    op.create_table(
        "role_permissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("role_id", sa.String(length=32), nullable=False),
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_role_permissions_role_id_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_permissions")),
        sa.UniqueConstraint("role_id", "resource", "action", name=op.f("uq_role_permissions_role_id_resource_action")),
    )
    with op.batch_alter_table("role_permissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_permissions_role_id"), ["role_id"], unique=False)

    op.create_table(
        "team_invites",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_team_invites_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_invites_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_team_invites_token_hash")),
    )
    with op.batch_alter_table("team_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_invites_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("custom_role_id", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_memberships_custom_role_id"), ["custom_role_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_memberships_custom_role_id_roles"), "roles", ["custom_role_id"], ["id"], ondelete="SET NULL"
        )

    # Existing rows get false for the new flags.
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cal_video_logo", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("app_logo", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("app_icon_logo", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("banner_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("hide_branding", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("is_private", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(
            sa.Column("hide_book_a_team_member", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("theme", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("brand_color", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("dark_brand_color", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("time_format", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "booking_limits",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("include_managed_events_in_limits", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("theme", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("app_theme", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("brand_color", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("dark_brand_color", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("hide_branding", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("hide_branding")
        batch_op.drop_column("dark_brand_color")
        batch_op.drop_column("brand_color")
        batch_op.drop_column("app_theme")
        batch_op.drop_column("theme")

    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("include_managed_events_in_limits")
        batch_op.drop_column("booking_limits")
        batch_op.drop_column("time_format")
        batch_op.drop_column("dark_brand_color")
        batch_op.drop_column("brand_color")
        batch_op.drop_column("theme")
        batch_op.drop_column("hide_book_a_team_member")
        batch_op.drop_column("is_private")
        batch_op.drop_column("hide_branding")
        batch_op.drop_column("banner_url")
        batch_op.drop_column("app_icon_logo")
        batch_op.drop_column("app_logo")
        batch_op.drop_column("cal_video_logo")

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_memberships_custom_role_id_roles"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_memberships_custom_role_id"))
        batch_op.drop_column("custom_role_id")

    with op.batch_alter_table("team_invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_invites_team_id"))
    op.drop_table("team_invites")

    with op.batch_alter_table("role_permissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_permissions_role_id"))
    op.drop_table("role_permissions")

    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roles_team_id"))
    op.drop_table("roles")

    with op.batch_alter_table("managed_organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_managed_organizations_manager_organization_id"))
    op.drop_table("managed_organizations")
