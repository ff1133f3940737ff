"""circles: changed dates (skip/move), "can't this week" marks, reminder switch, closing
reflections and renewals

Revision ID: 0017
Revises: 0016
Created: 2026-12-01 05:20
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

UTC = peerlab.core.types.UTCDateTime


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _index(table, column, unique=False):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=unique)


def upgrade():
    t = "circle_schedule_changes"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", UTC(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("moved_to", UTC(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('append', 'drop', 'move')", name=op.f(f"ck_{t}_change_kind")
        ),
        _fk(t, "circle_id", "circles", "CASCADE"),
        _fk(t, "by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("circle_id", "occurrence", name=op.f(f"uq_{t}_circle_id_occurrence")),
    )
    _index(t, "circle_id")

    t = "circle_absences"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", UTC(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        _fk(t, "circle_id", "circles", "CASCADE"),
        _fk(t, "membership_id", "memberships", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint(
            "membership_id", "occurrence", name=op.f(f"uq_{t}_membership_id_occurrence")
        ),
    )
    _index(t, "circle_id")
    _index(t, "membership_id")

    t = "circle_reminder_optouts"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        _fk(t, "membership_id", "memberships", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("membership_id", name=op.f(f"uq_{t}_membership_id")),
    )

    t = "circle_reflections"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        _fk(t, "circle_id", "circles", "CASCADE"),
        _fk(t, "membership_id", "memberships", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("membership_id", name=op.f(f"uq_{t}_membership_id")),
    )
    _index(t, "circle_id")

    t = "circle_renewals"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        _fk(t, "circle_id", "circles", "CASCADE"),
        _fk(t, "successor_id", "circles", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("circle_id", name=op.f(f"uq_{t}_circle_id")),
    )
    _index(t, "successor_id")


def downgrade():
    for table, columns in (
        ("circle_renewals", ("successor_id",)),
        ("circle_reflections", ("circle_id",)),
        ("circle_reminder_optouts", ()),
        ("circle_absences", ("membership_id", "circle_id")),
        ("circle_schedule_changes", ("circle_id",)),
    ):
        if columns:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for column in columns:
                    batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
