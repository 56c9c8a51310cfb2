"""which returned file made each change a merge applied (to tell a later save of a workbook
from a sibling copy)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("returned_file_id", sa.Integer(), nullable=True))
        batch.create_index("ix_audit_log_returned_file_id", ["returned_file_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_returned_file_id")
        batch.drop_column("returned_file_id")
