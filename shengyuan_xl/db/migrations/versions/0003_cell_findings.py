"""what the roster's cells said when they could not be read

students.cell_findings: per field, the finding of a roster cell that could not
be read (an 18-digit ID stored as a number with its last digits lost, a
formula, an error value). The value itself is unknown, so the finding cannot be
recomputed from it: it is kept until the field gets a real value, and the
built workbook, ``status`` and the merge show it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("students") as batch:
        batch.add_column(sa.Column("cell_findings", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("students") as batch:
        batch.drop_column("cell_findings")
