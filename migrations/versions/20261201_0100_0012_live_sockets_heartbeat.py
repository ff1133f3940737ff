"""live sockets hang off the process heartbeat: live_sockets.process_id references live_processes

A process silent for 30 s is swept together with its socket rows (ON DELETE CASCADE), as its
presence rows already were. Socket rows are ephemeral (a socket is recorded again when it
reconnects after a restart), so the rows present at upgrade time are dropped rather than
matched to processes that may no longer exist.

Revision ID: 0012
Revises: 0011
Created: 2026-12-01 01:00
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FK = "fk_live_sockets_process_id_live_processes"


def upgrade():
    op.execute("DELETE FROM live_sockets")
    with op.batch_alter_table("live_sockets", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f(FK), "live_processes", ["process_id"], ["id"], ondelete="CASCADE"
        )


def downgrade():
    with op.batch_alter_table("live_sockets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(FK), type_="foreignkey")
