"""impulses: short-impulse series, their dates and registrations

Revision ID: 0014
Revises: 0013
Created: 2026-12-01 02:00
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impulse_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("default_minutes", sa.Integer(), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("deadline_hours", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("audience IN ('public', 'network')", name="ck_impulse_series_audience"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 1", name="ck_impulse_series_capacity"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "impulses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("speaker_name", sa.String(length=120), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("starts_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("confirmed_count", sa.Integer(), nullable=False),
        sa.Column("next_position", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "confirmed_count >= 0 AND (capacity IS NULL OR confirmed_count <= capacity)",
            name="ck_impulses_within_capacity",
        ),
        sa.ForeignKeyConstraint(["series_id"], ["impulse_series.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_impulses_series_id", "impulses", ["series_id"])
    op.create_index("ix_impulses_starts_at", "impulses", ["starts_at"])
    op.create_table(
        "impulse_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impulse_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("remind_24h", sa.Boolean(), nullable=False),
        sa.Column("remind_1h", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "status IN ('confirmed', 'waiting', 'cancelled')",
            name="ck_impulse_registration_status",
        ),
        sa.ForeignKeyConstraint(["impulse_id"], ["impulses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("impulse_id", "user_id", name="uq_impulse_registration_person"),
        sa.UniqueConstraint("impulse_id", "position", name="uq_impulse_registration_position"),
    )
    op.create_index("ix_impulse_registrations_user_id", "impulse_registrations", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_impulse_registrations_user_id", table_name="impulse_registrations")
    op.drop_table("impulse_registrations")
    op.drop_index("ix_impulses_starts_at", table_name="impulses")
    op.drop_index("ix_impulses_series_id", table_name="impulses")
    op.drop_table("impulses")
    op.drop_table("impulse_series")
