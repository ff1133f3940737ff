"""circle meetings: the live weekly meeting of a circle (roles of the week, plan settings,
notes); core's timed agenda learns step tags and speaking-time accounts (used seconds per
step, the start of a waiting step's overrun)

Revision ID: 0016
Revises: 0015
Created: 2026-12-01 05:20
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "circle_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("timekeeper_id", sa.Integer(), nullable=True),
        sa.Column("total_minutes", sa.Integer(), nullable=False),
        sa.Column("exercise_minutes", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("notes_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("started_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("ended_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "number BETWEEN 1 AND 24", name=op.f("ck_circle_meetings_meeting_number")
        ),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["circles.id"],
            name=op.f("fk_circle_meetings_circle_id_circles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["users.id"],
            name=op.f("fk_circle_meetings_facilitator_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["timekeeper_id"],
            ["users.id"],
            name=op.f("fk_circle_meetings_timekeeper_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle_meetings")),
        sa.UniqueConstraint(
            "circle_id", "number", name=op.f("uq_circle_meetings_circle_id_number")
        ),
    )
    with op.batch_alter_table("circle_meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_circle_meetings_circle_id"), ["circle_id"], unique=False
        )
    with op.batch_alter_table("agendas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("waiting_since", peerlab.core.types.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("agenda_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tag", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("used_seconds", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("agenda_steps", schema=None) as batch_op:
        batch_op.drop_column("used_seconds")
        batch_op.drop_column("tag")
    with op.batch_alter_table("agendas", schema=None) as batch_op:
        batch_op.drop_column("waiting_since")
    with op.batch_alter_table("circle_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_meetings_circle_id"))
    op.drop_table("circle_meetings")
