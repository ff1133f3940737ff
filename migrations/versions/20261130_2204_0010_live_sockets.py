"""live sockets: which process holds which socket, per identity room (kicks on every process)

Revision ID: 0010
Revises: 0009
Created: 2026-11-30 22:00
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_sockets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("room", sa.String(length=64), nullable=False),
        sa.Column("process_id", sa.String(length=32), nullable=False),
        sa.Column("connected_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_sockets")),
    )
    with op.batch_alter_table("live_sockets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_live_sockets_process_id"), ["process_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_live_sockets_room"), ["room"], unique=False)
        batch_op.create_index(batch_op.f("ix_live_sockets_sid"), ["sid"], unique=False)


def downgrade():
    with op.batch_alter_table("live_sockets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_live_sockets_sid"))
        batch_op.drop_index(batch_op.f("ix_live_sockets_room"))
        batch_op.drop_index(batch_op.f("ix_live_sockets_process_id"))
    op.drop_table("live_sockets")
