"""spaces and memberships, unlinkable author marks, per-series feed tokens

Revision ID: 0009
Revises: 0008
Created: 2026-11-30 21:42
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "author_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_marks")),
        sa.UniqueConstraint(
            "subject_kind", "subject_id", name=op.f("uq_author_marks_subject_kind_subject_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_author_marks_token_hash")),
    )
    with op.batch_alter_table("author_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_author_marks_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "calendar_series_feed_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("series_kind", sa.String(length=40), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_series_feed_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_series_feed_keys")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_series_feed_keys_token_hash")),
        sa.UniqueConstraint(
            "user_id",
            "series_kind",
            "series_id",
            name=op.f("uq_calendar_series_feed_keys_user_id_series_kind_series_id"),
        ),
    )
    with op.batch_alter_table("calendar_series_feed_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_series_feed_keys_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_kind", sa.String(length=40), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("guest_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("joined_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("left_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('invited', 'active', 'left', 'removed')",
            name=op.f("ck_memberships_known_status"),
        ),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (guest_id IS NULL)", name=op.f("ck_memberships_one_person")
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"],
            ["guest_passes.id"],
            name=op.f("fk_memberships_guest_id_guest_passes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint(
            "space_kind",
            "space_id",
            "guest_id",
            name=op.f("uq_memberships_space_kind_space_id_guest_id"),
        ),
        sa.UniqueConstraint(
            "space_kind",
            "space_id",
            "user_id",
            name=op.f("uq_memberships_space_kind_space_id_user_id"),
        ),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_guest_id"), ["guest_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_guest_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("calendar_series_feed_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_series_feed_keys_user_id"))

    op.drop_table("calendar_series_feed_keys")
    with op.batch_alter_table("author_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_author_marks_expires_at"))

    op.drop_table("author_marks")
