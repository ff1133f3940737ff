"""live_actions: client actions applied once (action ids per namespace and sender, kept a day)

Revision ID: 0022
Revises: 0021
Created: 2026-12-01 05:20
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("applied_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_actions")),
        sa.UniqueConstraint(
            "namespace", "sender", "request_id", name="uq_live_actions_sender_id"
        ),
    )
    with op.batch_alter_table("live_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_live_actions_applied_at"), ["applied_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("live_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_live_actions_applied_at"))
    op.drop_table("live_actions")
