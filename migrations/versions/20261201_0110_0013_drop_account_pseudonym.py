"""drop the account-wide pseudonym (groups will keep a pseudonym per group)

Revision ID: 0013
Revises: 0012
Created: 2026-12-01 00:40
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite copies the table without the column; PostgreSQL drops it in place.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("pseudonym")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pseudonym", sa.String(length=60), nullable=False, server_default="")
        )
