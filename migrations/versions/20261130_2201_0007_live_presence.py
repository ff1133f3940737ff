"""live presence in core: one heartbeat row per process, presence rows point to their process

Lean Coffee's own presence table goes; presence is ephemeral (sockets reconnect and join again),
so no rows are carried over.

Revision ID: 0007
Revises: 0006
Created: 2026-11-30 22:00
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_processes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("started_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("heartbeat_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_processes")),
    )
    with op.batch_alter_table("live_processes") as batch:
        batch.create_index(batch.f("ix_live_processes_heartbeat_at"), ["heartbeat_at"])

    op.create_table(
        "live_presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("process_id", sa.String(length=32), nullable=False),
        sa.Column("connected_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["live_processes.id"],
            name=op.f("fk_live_presence_process_id_live_processes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_presence")),
        sa.UniqueConstraint("kind", "subject_id", "sid", name=op.f("uq_live_presence_kind_subject_id_sid")),
    )
    with op.batch_alter_table("live_presence") as batch:
        batch.create_index(batch.f("ix_live_presence_member_id"), ["member_id"])
        batch.create_index(batch.f("ix_live_presence_process_id"), ["process_id"])
        batch.create_index(batch.f("ix_live_presence_sid"), ["sid"])

    with op.batch_alter_table("lean_coffee_presence") as batch:
        batch.drop_index(batch.f("ix_lean_coffee_presence_sid"))
        batch.drop_index(batch.f("ix_lean_coffee_presence_round_id"))
        batch.drop_index(batch.f("ix_lean_coffee_presence_process_id"))
        batch.drop_index(batch.f("ix_lean_coffee_presence_participant_id"))
    op.drop_table("lean_coffee_presence")


def downgrade():
    op.create_table(
        "lean_coffee_presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("process_id", sa.String(length=32), nullable=False),
        sa.Column("connected_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["lean_coffee_participants.id"],
            name=op.f("fk_lean_coffee_presence_participant_id_lean_coffee_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["lean_coffee_rounds.id"],
            name=op.f("fk_lean_coffee_presence_round_id_lean_coffee_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lean_coffee_presence")),
    )
    with op.batch_alter_table("lean_coffee_presence") as batch:
        batch.create_index(batch.f("ix_lean_coffee_presence_participant_id"), ["participant_id"])
        batch.create_index(batch.f("ix_lean_coffee_presence_process_id"), ["process_id"])
        batch.create_index(batch.f("ix_lean_coffee_presence_round_id"), ["round_id"])
        batch.create_index(batch.f("ix_lean_coffee_presence_sid"), ["sid"])

    with op.batch_alter_table("live_presence") as batch:
        batch.drop_index(batch.f("ix_live_presence_sid"))
        batch.drop_index(batch.f("ix_live_presence_process_id"))
        batch.drop_index(batch.f("ix_live_presence_member_id"))
    op.drop_table("live_presence")
    with op.batch_alter_table("live_processes") as batch:
        batch.drop_index(batch.f("ix_live_processes_heartbeat_at"))
    op.drop_table("live_processes")
