"""lean coffee memberships: a round's participants become memberships (core.spaces)

Each participant row gets a membership row with the SAME id (votes, topics, takeaways, action
items, presence and the author marks of anonymous topics refer to it by that id): person, role,
display name and times move to `memberships`; `lean_coffee_participants` keeps only what Lean
Coffee adds (invited, votes_used, closing_text), its id now referring to the membership.
Status: removed when removed_at was set (left_at = removed_at), active when joined_at was set,
otherwise invited. created_at (not recorded before): the round's creation for invited people,
else the time they joined.

Nothing in the app writes memberships of other kinds yet; should such rows exist, those whose
ids lie in the participants' range are moved above it first (no table refers to a membership
id by foreign key).

Revision ID: 0011
Revises: 0010
Created: 2026-12-01 01:00
"""

import sqlalchemy as sa
from alembic import op

import peerlab.core.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

KIND = "lean_coffee.round"


def _scalar(sql: str, **params):
    return op.get_bind().execute(sa.text(sql), params).scalar()


def _renumber_other_memberships() -> None:
    top = _scalar("SELECT COALESCE(MAX(id), 0) FROM lean_coffee_participants")
    if not _scalar("SELECT COUNT(*) FROM memberships WHERE id <= :top", top=top):
        return
    # above both ranges, so that no new id meets an old one while the rows move
    offset = top + _scalar("SELECT COALESCE(MAX(id), 0) FROM memberships")
    op.execute(sa.text("UPDATE memberships SET id = id + :offset").bindparams(offset=offset))


def _restart_membership_ids() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('memberships', 'id'), "
            "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM memberships"
        )


def upgrade():
    _renumber_other_memberships()
    op.execute(
        sa.text(
            """
            INSERT INTO memberships (id, space_kind, space_id, user_id, guest_id, role, status,
                                     display_name, created_at, joined_at, left_at)
            SELECT p.id, :kind, p.round_id, p.user_id, p.guest_id, p.role,
                   CASE WHEN p.removed_at IS NOT NULL THEN 'removed'
                        WHEN p.joined_at IS NOT NULL THEN 'active'
                        ELSE 'invited' END,
                   p.display_name,
                   CASE WHEN p.invited THEN r.created_at
                        ELSE COALESCE(p.joined_at, r.created_at) END,
                   p.joined_at, p.removed_at
            FROM lean_coffee_participants p
            JOIN lean_coffee_rounds r ON r.id = p.round_id
            """
        ).bindparams(kind=KIND)
    )
    _restart_membership_ids()

    with op.batch_alter_table("lean_coffee_participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_lean_coffee_participants_round_id_guest_id"), type_="unique"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_lean_coffee_participants_round_id_user_id"), type_="unique"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_lean_coffee_participants_guest_id_guest_passes"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_lean_coffee_participants_round_id_lean_coffee_rounds"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("fk_lean_coffee_participants_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_lean_coffee_participants_user_id"))
        batch_op.drop_index(batch_op.f("ix_lean_coffee_participants_round_id"))
        batch_op.drop_index(batch_op.f("ix_lean_coffee_participants_guest_id"))
        for column in (
            "round_id",
            "user_id",
            "guest_id",
            "display_name",
            "role",
            "joined_at",
            "removed_at",
        ):
            batch_op.drop_column(column)
        batch_op.create_foreign_key(
            batch_op.f("fk_lean_coffee_participants_id_memberships"),
            "memberships",
            ["id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("lean_coffee_participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_lean_coffee_participants_id_memberships"), type_="foreignkey"
        )
        batch_op.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("guest_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("display_name", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("role", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("joined_at", peerlab.core.types.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("removed_at", peerlab.core.types.UTCDateTime(), nullable=True)
        )

    def from_membership(expression: str) -> str:
        return f"(SELECT {expression} FROM memberships m WHERE m.id = lean_coffee_participants.id)"

    op.execute(
        "UPDATE lean_coffee_participants SET "
        f"round_id = {from_membership('m.space_id')}, "
        f"user_id = {from_membership('m.user_id')}, "
        f"guest_id = {from_membership('m.guest_id')}, "
        f"display_name = {from_membership('m.display_name')}, "
        f"role = {from_membership('m.role')}, "
        f"joined_at = {from_membership('m.joined_at')}, "
        "removed_at = " + from_membership("CASE WHEN m.status = 'removed' THEN m.left_at END")
    )
    op.execute(sa.text("DELETE FROM memberships WHERE space_kind = :kind").bindparams(kind=KIND))

    with op.batch_alter_table("lean_coffee_participants", schema=None) as batch_op:
        batch_op.alter_column("round_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("display_name", existing_type=sa.String(length=60), nullable=False)
        batch_op.alter_column("role", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_lean_coffee_participants_guest_id_guest_passes"),
            "guest_passes",
            ["guest_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_lean_coffee_participants_round_id_lean_coffee_rounds"),
            "lean_coffee_rounds",
            ["round_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_lean_coffee_participants_user_id_users"),
            "users",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_lean_coffee_participants_round_id_guest_id"), ["round_id", "guest_id"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_lean_coffee_participants_round_id_user_id"), ["round_id", "user_id"]
        )
        batch_op.create_index(
            batch_op.f("ix_lean_coffee_participants_guest_id"), ["guest_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lean_coffee_participants_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lean_coffee_participants_user_id"), ["user_id"], unique=False
        )
