"""booking_references.meeting_password: the secret of a video meeting (a Cal Video owner token).

Revision ID: 0012_reference_password
Revises: 0011_phone_calls
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_reference_password"
down_revision: str | Sequence[str] | None = "0011_phone_calls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking_references", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_password", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("booking_references", schema=None) as batch_op:
        batch_op.drop_column("meeting_password")
