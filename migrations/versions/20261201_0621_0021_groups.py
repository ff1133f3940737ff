"""groups: confidential small groups, their members' group identity, invitations (hashed
secrets), threads, posts, shared notes and reports; members are core memberships of kind
"groups.group"

Revision ID: 0021
Revises: 0020
Created: 2026-12-01 05:20
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("size_limit", sa.Integer(), nullable=False),
        sa.Column("allow_real", sa.Boolean(), nullable=False),
        sa.Column("allow_pseudonym", sa.Boolean(), nullable=False),
        sa.Column("allow_anonymous", sa.Boolean(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("members_may_invite", sa.Boolean(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("last_post_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("ended_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("allow_real OR allow_pseudonym", name=op.f("ck_groups_group_identity")),
        sa.CheckConstraint(
            "retention_days IS NULL OR retention_days IN (30, 90, 365)",
            name=op.f("ck_groups_group_retention"),
        ),
        sa.CheckConstraint("size_limit BETWEEN 3 AND 30", name=op.f("ck_groups_group_size")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
    )
    op.create_table(
        "group_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_invitations_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_group_invitations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_group_invitations_token_hash")),
    )
    with op.batch_alter_table("group_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_invitations_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_group_invitations_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("last_post_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_threads_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_threads")),
        sa.UniqueConstraint("public_id", name=op.f("uq_group_threads_public_id")),
    )
    with op.batch_alter_table("group_threads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_threads_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_members",
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=10), nullable=False),
        sa.Column("rule_accepted_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "identity IN ('real', 'pseudonym')", name=op.f("ck_group_members_identity")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_members_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_group_members_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("membership_id", name=op.f("pk_group_members")),
    )
    with op.batch_alter_table("group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_members_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_notes_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["memberships.id"],
            name=op.f("fk_group_notes_updated_by_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_notes")),
        sa.UniqueConstraint("group_id", name=op.f("uq_group_notes_group_id")),
    )
    op.create_table(
        "group_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.Column("edited_at", peerlab.core.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_posts_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_group_posts_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["group_threads.id"],
            name=op.f("fk_group_posts_thread_id_group_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_posts")),
        sa.UniqueConstraint("public_id", name=op.f("uq_group_posts_public_id")),
    )
    with op.batch_alter_table("group_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_posts_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_posts_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_group_posts_membership_id"), ["membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_group_posts_thread_id"), ["thread_id"], unique=False)

    op.create_table(
        "group_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", peerlab.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_group_reports_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["group_posts.id"],
            name=op.f("fk_group_reports_post_id_group_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_reports")),
        sa.UniqueConstraint(
            "post_id", "membership_id", name=op.f("uq_group_reports_post_id_membership_id")
        ),
    )
    with op.batch_alter_table("group_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_reports_membership_id"), ["membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_group_reports_post_id"), ["post_id"], unique=False)

    op.create_table(
        "group_anonymous_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_group_anonymous_counts_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_anonymous_counts")),
        sa.UniqueConstraint(
            "membership_id", "day", name=op.f("uq_group_anonymous_counts_membership_id_day")
        ),
    )
    with op.batch_alter_table("group_anonymous_counts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_anonymous_counts_membership_id"), ["membership_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("group_anonymous_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_anonymous_counts_membership_id"))

    op.drop_table("group_anonymous_counts")
    with op.batch_alter_table("group_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_reports_post_id"))
        batch_op.drop_index(batch_op.f("ix_group_reports_membership_id"))

    op.drop_table("group_reports")
    with op.batch_alter_table("group_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_posts_thread_id"))
        batch_op.drop_index(batch_op.f("ix_group_posts_membership_id"))
        batch_op.drop_index(batch_op.f("ix_group_posts_group_id"))
        batch_op.drop_index(batch_op.f("ix_group_posts_created_at"))

    op.drop_table("group_posts")
    op.drop_table("group_notes")
    with op.batch_alter_table("group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_members_group_id"))

    op.drop_table("group_members")
    with op.batch_alter_table("group_threads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_threads_group_id"))

    op.drop_table("group_threads")
    with op.batch_alter_table("group_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_invitations_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_invitations_group_id"))

    op.drop_table("group_invitations")
    op.drop_table("groups")
