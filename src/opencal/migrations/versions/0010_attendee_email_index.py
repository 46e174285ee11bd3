"""Expression index on lower(attendees.email): attendees are matched case-insensitively.

Revision ID: 0010_attendee_email_index
Revises: 0009_bookings_extra
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_attendee_email_index"
down_revision: str | Sequence[str] | None = "0009_bookings_extra"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_attendees_lower_email", "attendees", [sa.text("lower(email)")])


def downgrade() -> None:
    op.drop_index("ix_attendees_lower_email", table_name="attendees")
