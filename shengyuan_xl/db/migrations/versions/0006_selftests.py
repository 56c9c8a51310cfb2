"""自检: which client ran on which Excel or WPS, and what did not work

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "selftests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client", sa.String(40), nullable=False),
        sa.Column("client_version", sa.String(40), nullable=False),
        sa.Column("host", sa.String(80), nullable=False),
        sa.Column("host_version", sa.String(80), nullable=False),
        sa.Column("platform", sa.String(120), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("failed_kinds", sa.String(200), nullable=False),
        sa.Column("failures", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_selftests_at", "selftests", ["at"])


def downgrade() -> None:
    op.drop_index("ix_selftests_at", table_name="selftests")
    op.drop_table("selftests")
