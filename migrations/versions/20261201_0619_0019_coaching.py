"""coaching: peer-coaching sessions, their method, cards and the case giver's keeps; members
are core memberships of kind "coaching.session", phases run on core's agenda

Revision ID: 0019
Revises: 0018
Created: 2026-12-01 05:22
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coaching_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("starts_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("auto_advance", sa.Boolean(), nullable=False),
        sa.Column("case_giver_may_propose", sa.Boolean(), nullable=False),
        sa.Column("anonymous_allowed", sa.Boolean(), nullable=False),
        sa.Column("started_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("deputy_id", sa.Integer(), nullable=True),
        sa.Column("key_question", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("try_line", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_coaching_sessions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["deputy_id"],
            ["memberships.id"],
            name=op.f("fk_coaching_sessions_deputy_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_sessions")),
    )
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_sessions_starts_at"), ["starts_at"])
        batch_op.create_index(batch_op.f("ix_coaching_sessions_group_id"), ["group_id"])
        batch_op.create_index(batch_op.f("ix_coaching_sessions_created_by_id"), ["created_by_id"])

    op.create_table(
        "coaching_phases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "minutes BETWEEN 1 AND 120", name=op.f("ck_coaching_phases_phase_minutes")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coaching_sessions.id"],
            name=op.f("fk_coaching_phases_session_id_coaching_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_phases")),
        sa.UniqueConstraint(
            "session_id", "position", name=op.f("uq_coaching_phases_session_id_position")
        ),
    )
    with op.batch_alter_table("coaching_phases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_phases_session_id"), ["session_id"])

    op.create_table(
        "coaching_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("marked", sa.Boolean(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["memberships.id"],
            name=op.f("fk_coaching_cards_author_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coaching_sessions.id"],
            name=op.f("fk_coaching_cards_session_id_coaching_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_cards")),
    )
    with op.batch_alter_table("coaching_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_cards_session_id"), ["session_id"])

    op.create_table(
        "coaching_keeps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("held_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("key_question", sa.Text(), nullable=False),
        sa.Column("cards", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("try_line", sa.Text(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coaching_keeps_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_keeps")),
    )
    with op.batch_alter_table("coaching_keeps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_keeps_user_id"), ["user_id"])


def downgrade():
    op.drop_table("coaching_keeps")
    op.drop_table("coaching_cards")
    op.drop_table("coaching_phases")
    op.drop_table("coaching_sessions")
