"""calendar: sequences, cancelled occurrences, invitations, feed keys

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 18:30:00

"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_sequences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_sequences")),
        sa.UniqueConstraint(
            "kind", "subject_id", name=op.f("uq_calendar_sequences_kind_subject_id")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_calendar_sequences_uid")),
    )
    op.create_table(
        "calendar_cancelled_occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("occurrence", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_cancelled_occurrences")),
        sa.UniqueConstraint(
            "uid", "occurrence", name=op.f("uq_calendar_cancelled_occurrences_uid_occurrence")
        ),
    )
    with op.batch_alter_table("calendar_cancelled_occurrences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_cancelled_occurrences_uid"), ["uid"], unique=False
        )
    op.create_table(
        "calendar_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=True),
        sa.Column("partstat", sa.String(length=16), nullable=False),
        sa.Column("invited_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("responded_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("rsvp_salt", sa.String(length=32), nullable=False),
        sa.Column("rsvp_token_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["users.id"],
            name=op.f("fk_calendar_invitations_organizer_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_invitations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_invitations")),
        sa.UniqueConstraint(
            "rsvp_token_hash", name=op.f("uq_calendar_invitations_rsvp_token_hash")
        ),
        sa.UniqueConstraint("uid", "user_id", name=op.f("uq_calendar_invitations_uid_user_id")),
    )
    with op.batch_alter_table("calendar_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_invitations_uid"), ["uid"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_calendar_invitations_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "calendar_feed_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feed_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed_keys")),
        sa.UniqueConstraint("user_id", name=op.f("uq_calendar_feed_keys_user_id")),
    )


def downgrade():
    op.drop_table("calendar_feed_keys")
    with op.batch_alter_table("calendar_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_invitations_user_id"))
        batch_op.drop_index(batch_op.f("ix_calendar_invitations_uid"))
    op.drop_table("calendar_invitations")
    with op.batch_alter_table("calendar_cancelled_occurrences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_cancelled_occurrences_uid"))
    op.drop_table("calendar_cancelled_occurrences")
    op.drop_table("calendar_sequences")
