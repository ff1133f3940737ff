"""circles: the circle, weekly check-ins and each member's private workspace (goal,
relationships, contributions); members are core memberships of kind "circles.circle"

Revision ID: 0015
Revises: 0014
Created: 2026-12-01 02:00
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "circles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_circles_circle_weekday")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_circles_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circles")),
    )
    with op.batch_alter_table("circles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_circles_created_by_id"), ["created_by_id"], unique=False
        )

    op.create_table(
        "circle_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("meeting_no", sa.Integer(), nullable=False),
        sa.Column("happened", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("need_help", sa.Text(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["circles.id"],
            name=op.f("fk_circle_checkins_circle_id_circles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_circle_checkins_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle_checkins")),
        sa.UniqueConstraint(
            "membership_id", "meeting_no", name=op.f("uq_circle_checkins_membership_id_meeting_no")
        ),
    )
    with op.batch_alter_table("circle_checkins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_circle_checkins_circle_id"), ["circle_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_circle_checkins_membership_id"), ["membership_id"], unique=False
        )

    op.create_table(
        "circle_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("to_whom", sa.String(length=120), nullable=False),
        sa.Column("on_day", sa.Date(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_circle_contributions_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle_contributions")),
    )
    with op.batch_alter_table("circle_contributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_circle_contributions_membership_id"), ["membership_id"], unique=False
        )

    op.create_table(
        "circle_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_circle_goals_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle_goals")),
        sa.UniqueConstraint("membership_id", name=op.f("uq_circle_goals_membership_id")),
    )
    op.create_table(
        "circle_relationships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("closeness", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "closeness BETWEEN 0 AND 5", name=op.f("ck_circle_relationships_closeness_range")
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_circle_relationships_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle_relationships")),
    )
    with op.batch_alter_table("circle_relationships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_circle_relationships_membership_id"), ["membership_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("circle_relationships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_relationships_membership_id"))

    op.drop_table("circle_relationships")
    op.drop_table("circle_goals")
    with op.batch_alter_table("circle_contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_contributions_membership_id"))

    op.drop_table("circle_contributions")
    with op.batch_alter_table("circle_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_checkins_membership_id"))
        batch_op.drop_index(batch_op.f("ix_circle_checkins_circle_id"))

    op.drop_table("circle_checkins")
    with op.batch_alter_table("circles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circles_created_by_id"))

    op.drop_table("circles")
