"""Which web account owns a profile (null: the local, no-login user), so the web app keeps users apart.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("owner", sa.String(100)))
        batch.create_index("ix_profiles_owner", ["owner"])


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_index("ix_profiles_owner")
        batch.drop_column("owner")
