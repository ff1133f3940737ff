"""action items: done mark set by their owner

Revision ID: 0005
Revises: 0004
Created: 2026-11-22 19:50
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("lean_coffee_action_items") as batch:
        batch.add_column(sa.Column("done_at", peerlab.core.types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("lean_coffee_action_items") as batch:
        batch.drop_column("done_at")
