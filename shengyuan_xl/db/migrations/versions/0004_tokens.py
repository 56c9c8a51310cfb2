"""who may call the server: college tokens and the office's personal tokens

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id"), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("college_id", sa.Integer(), sa.ForeignKey("colleges.id"), nullable=True),
        sa.Column("holder", sa.String(100), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_tokens_campaign_id", "tokens", ["campaign_id"])
    op.create_index("ix_tokens_college_id", "tokens", ["college_id"])


def downgrade() -> None:
    op.drop_index("ix_tokens_college_id", "tokens")
    op.drop_index("ix_tokens_campaign_id", "tokens")
    op.drop_table("tokens")
