"""impulse people: speakers (members or guests with a personal link), questions before the
date, anonymous feedback in two unlinked tables (who answered / what was answered, no rowid)

Revision ID: 0018
Revises: 0017
Created: 2026-12-01 05:20
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "impulse_feedback_answers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("impulse_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "rating BETWEEN 1 AND 5", name=op.f("ck_impulse_feedback_answers_rating")
        ),
        sa.ForeignKeyConstraint(
            ["impulse_id"],
            ["impulses.id"],
            name=op.f("fk_impulse_feedback_answers_impulse_id_impulses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impulse_feedback_answers")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("impulse_feedback_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impulse_feedback_answers_impulse_id"), ["impulse_id"], unique=False
        )

    op.create_table(
        "impulse_feedback_givers",
        sa.Column("impulse_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["impulse_id"],
            ["impulses.id"],
            name=op.f("fk_impulse_feedback_givers_impulse_id_impulses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_impulse_feedback_givers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("impulse_id", "user_id", name=op.f("pk_impulse_feedback_givers")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("impulse_feedback_givers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impulse_feedback_givers_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "impulse_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impulse_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=280), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("handed_on_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("handed_round_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["impulse_id"],
            ["impulses.id"],
            name=op.f("fk_impulse_questions_impulse_id_impulses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_impulse_questions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impulse_questions")),
    )
    with op.batch_alter_table("impulse_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impulse_questions_impulse_id"), ["impulse_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_impulse_questions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "impulse_speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impulse_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("link_nonce", sa.String(length=32), nullable=True),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR (name <> '' AND email <> '')",
            name=op.f("ck_impulse_speakers_who"),
        ),
        sa.ForeignKeyConstraint(
            ["impulse_id"],
            ["impulses.id"],
            name=op.f("fk_impulse_speakers_impulse_id_impulses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_impulse_speakers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impulse_speakers")),
        sa.UniqueConstraint("impulse_id", "user_id", name="uq_impulse_speaker_member"),
    )
    with op.batch_alter_table("impulse_speakers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impulse_speakers_impulse_id"), ["impulse_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_impulse_speakers_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("impulse_speakers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impulse_speakers_user_id"))
        batch_op.drop_index(batch_op.f("ix_impulse_speakers_impulse_id"))

    op.drop_table("impulse_speakers")
    with op.batch_alter_table("impulse_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impulse_questions_user_id"))
        batch_op.drop_index(batch_op.f("ix_impulse_questions_impulse_id"))

    op.drop_table("impulse_questions")
    with op.batch_alter_table("impulse_feedback_givers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impulse_feedback_givers_user_id"))

    op.drop_table("impulse_feedback_givers")
    with op.batch_alter_table("impulse_feedback_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impulse_feedback_answers_impulse_id"))

    op.drop_table("impulse_feedback_answers")
