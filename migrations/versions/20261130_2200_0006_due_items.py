"""due items; outbox: cause key, subject, scheduled mails

Revision ID: 0006
Revises: 0005
Created: 2026-11-30 22:00

Roman votes that are open at upgrade time get their close as a due item (the periodic scan
of open Roman votes is gone).
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    due_items = op.create_table(
        "due_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("subject_kind", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("due_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("done_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("failed_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_due_items")),
    )
    with op.batch_alter_table("due_items") as batch:
        batch.create_index("ix_due_items_pending", ["done_at", "failed_at", "due_at"])
        batch.create_index("ix_due_items_subject", ["subject_kind", "subject_id"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("cause_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("about_kind", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("about_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint(op.f("uq_outbox_cause_key"), ["cause_key"])
        batch.create_index("ix_outbox_about", ["about_kind", "about_id"])

    votes = sa.table(
        "lean_coffee_roman_votes",
        sa.column("id", sa.Integer()),
        sa.column("round_id", sa.Integer()),
        sa.column("closes_at", peerlab.core.types.UTCDateTime()),
        sa.column("closed_at", peerlab.core.types.UTCDateTime()),
    )
    open_votes = (
        op.get_bind()
        .execute(
            sa.select(votes.c.id, votes.c.round_id, votes.c.closes_at).where(
                votes.c.closed_at.is_(None)
            )
        )
        .all()
    )
    if open_votes:
        op.bulk_insert(
            due_items,
            [
                {
                    "kind": "lean_coffee.roman_close",
                    "subject_kind": "lean_coffee.round",
                    "subject_id": round_id,
                    "due_at": closes,
                    "payload": {"vote_id": vote_id},
                    "attempts": 0,
                    "last_error": "",
                    "created_at": closes,
                }
                for vote_id, round_id, closes in open_votes
            ],
        )


def downgrade():
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_about")
        batch.drop_constraint(op.f("uq_outbox_cause_key"), type_="unique")
        batch.drop_column("about_id")
        batch.drop_column("about_kind")
        batch.drop_column("cause_key")
    with op.batch_alter_table("due_items") as batch:
        batch.drop_index("ix_due_items_subject")
        batch.drop_index("ix_due_items_pending")
    op.drop_table("due_items")
