"""impulse materials: files (stored under instance/ by a random name) and links per date

Revision ID: 0020
Revises: 0019
Created: 2026-12-01 05:20
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impulse_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impulse_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("file_type", sa.String(length=8), nullable=False),
        sa.Column("download_name", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('file', 'link')", name="ck_impulse_materials_kind"),
        sa.ForeignKeyConstraint(["impulse_id"], ["impulses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("impulse_materials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impulse_materials_impulse_id"), ["impulse_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("impulse_materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impulse_materials_impulse_id"))
    op.drop_table("impulse_materials")
