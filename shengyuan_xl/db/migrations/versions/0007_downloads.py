"""files made for a user (the letter's documents, a marked copy) kept in the database for a
while, so that every server behind one address serves every link

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "downloads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_downloads_key", "downloads", ["key"])
    op.create_index("ix_downloads_created_at", "downloads", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_downloads_created_at", "downloads")
    op.drop_index("ix_downloads_key", "downloads")
    op.drop_table("downloads")
