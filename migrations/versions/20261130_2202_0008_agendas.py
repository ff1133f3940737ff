"""timed agendas: ordered steps on the one timebox (core.agenda)

Revision ID: 0008
Revises: 0007
Created: 2026-11-30 22:00
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agendas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("current_index", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("timebox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["timebox_id"],
            ["timeboxes.id"],
            name=op.f("fk_agendas_timebox_id_timeboxes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agendas")),
        sa.UniqueConstraint(
            "subject_kind", "subject_id", name=op.f("uq_agendas_subject_kind_subject_id")
        ),
    )
    op.create_table(
        "agenda_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("on_expiry", sa.String(length=10), nullable=False),
        sa.Column("holder_kind", sa.String(length=20), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "duration_seconds > 0", name=op.f("ck_agenda_steps_positive_duration")
        ),
        sa.CheckConstraint(
            "on_expiry IN ('advance', 'wait')", name=op.f("ck_agenda_steps_on_expiry")
        ),
        sa.ForeignKeyConstraint(
            ["agenda_id"],
            ["agendas.id"],
            name=op.f("fk_agenda_steps_agenda_id_agendas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_steps")),
        sa.UniqueConstraint(
            "agenda_id", "position", name=op.f("uq_agenda_steps_agenda_id_position")
        ),
    )


def downgrade():
    op.drop_table("agenda_steps")
    op.drop_table("agendas")
