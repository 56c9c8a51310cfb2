"""what a merge needs to never give a student another's data

- conflicts.payload: the values of a returned row that could not be matched to
  its student, so the office can add it as a student or dismiss it;
- conflicts.detail: the resolution's reason (a dismissed conflict says why);
- students.roster_values: what the roster said at the last import, the base
  of the import's own three-way rule;
- returned_files.snapshot_id: the snapshot a return was made from, to order
  returns and to tell another return's change from an office correction.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 22:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conflicts") as batch:
        batch.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("detail", sa.Text(), nullable=True))
    with op.batch_alter_table("students") as batch:
        batch.add_column(sa.Column("roster_values", sa.JSON(), nullable=True))
    with op.batch_alter_table("returned_files") as batch:
        batch.add_column(sa.Column("snapshot_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("returned_files") as batch:
        batch.drop_column("snapshot_id")
    with op.batch_alter_table("students") as batch:
        batch.drop_column("roster_values")
    with op.batch_alter_table("conflicts") as batch:
        batch.drop_column("detail")
        batch.drop_column("payload")
