"""org resources: attributes, out of office, delegation credentials, routing forms

Revision ID: 0007_org_resources
Revises: 0006_organizations
Create Date: 2026-11-21 07:53:29.794777
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import opencal.models.base

revision: str = "0007_org_resources"
down_revision: str | Sequence[str] | None = "0006_organizations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attributes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("users_can_edit_relation", sa.Boolean(), nullable=False),
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
            ["team_id"], ["teams.id"], name=op.f("fk_attributes_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributes")),
        sa.UniqueConstraint("team_id", "slug", name=op.f("uq_attributes_team_id_slug")),
    )
    with op.batch_alter_table("attributes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attributes_team_id"), ["team_id"], unique=False)

    op.create_table(
        "delegation_credentials",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("workspace_platform", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("service_account_key", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
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
            ["organization_id"],
            ["teams.id"],
            name=op.f("fk_delegation_credentials_organization_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegation_credentials")),
        sa.UniqueConstraint("organization_id", "domain", name=op.f("uq_delegation_credentials_organization_id_domain")),
    )
    with op.batch_alter_table("delegation_credentials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegation_credentials_domain"), ["domain"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_delegation_credentials_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "attribute_options",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("attribute_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attributes.id"],
            name=op.f("fk_attribute_options_attribute_id_attributes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute_options")),
    )
    with op.batch_alter_table("attribute_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attribute_options_attribute_id"), ["attribute_id"], unique=False)

    op.create_table(
        "out_of_office",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("start_time", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end_time", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
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
            ["to_user_id"], ["users.id"], name=op.f("fk_out_of_office_to_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_out_of_office_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_out_of_office")),
        sa.UniqueConstraint("uuid", name=op.f("uq_out_of_office_uuid")),
    )
    with op.batch_alter_table("out_of_office", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_out_of_office_to_user_id"), ["to_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_out_of_office_user_id"), ["user_id"], unique=False)

    op.create_table(
        "routing_forms",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column(
            "fields", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column(
            "routes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column(
            "settings", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
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
            ["team_id"], ["teams.id"], name=op.f("fk_routing_forms_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_routing_forms_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_forms")),
    )
    with op.batch_alter_table("routing_forms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_forms_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_routing_forms_user_id"), ["user_id"], unique=False)

    op.create_table(
        "attribute_assignments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("attribute_option_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", opencal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attribute_option_id"],
            ["attribute_options.id"],
            name=op.f("fk_attribute_assignments_attribute_option_id_attribute_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_attribute_assignments_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute_assignments")),
        sa.UniqueConstraint(
            "membership_id",
            "attribute_option_id",
            name=op.f("uq_attribute_assignments_membership_id_attribute_option_id"),
        ),
    )
    with op.batch_alter_table("attribute_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attribute_assignments_attribute_option_id"), ["attribute_option_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attribute_assignments_membership_id"), ["membership_id"], unique=False)

    op.create_table(
        "routing_form_responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("form_id", sa.String(length=36), nullable=False),
        sa.Column("form_filler_id", sa.String(length=32), nullable=False),
        sa.Column(
            "response", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("routed_to_booking_uid", sa.String(length=64), nullable=True),
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
            ["form_id"],
            ["routing_forms.id"],
            name=op.f("fk_routing_form_responses_form_id_routing_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_form_responses")),
    )
    with op.batch_alter_table("routing_form_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_form_responses_form_id"), ["form_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_routing_form_responses_routed_to_booking_uid"), ["routed_to_booking_uid"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("routing_form_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_form_responses_routed_to_booking_uid"))
        batch_op.drop_index(batch_op.f("ix_routing_form_responses_form_id"))

    op.drop_table("routing_form_responses")
    with op.batch_alter_table("attribute_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribute_assignments_membership_id"))
        batch_op.drop_index(batch_op.f("ix_attribute_assignments_attribute_option_id"))

    op.drop_table("attribute_assignments")
    with op.batch_alter_table("routing_forms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_forms_user_id"))
        batch_op.drop_index(batch_op.f("ix_routing_forms_team_id"))

    op.drop_table("routing_forms")
    with op.batch_alter_table("out_of_office", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_out_of_office_user_id"))
        batch_op.drop_index(batch_op.f("ix_out_of_office_to_user_id"))

    op.drop_table("out_of_office")
    with op.batch_alter_table("attribute_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribute_options_attribute_id"))

    op.drop_table("attribute_options")
    with op.batch_alter_table("delegation_credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegation_credentials_organization_id"))
        batch_op.drop_index(batch_op.f("ix_delegation_credentials_domain"))

    op.drop_table("delegation_credentials")
    with op.batch_alter_table("attributes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attributes_team_id"))

    op.drop_table("attributes")
