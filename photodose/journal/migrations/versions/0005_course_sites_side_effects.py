"""The journal as people use it: a plan's course start (``log plan --start``), one session over several sites
(rows sharing ``session_group``), and side effects per session (JSON list of {effect, severity}).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("course_start", sa.DateTime))
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("session_group", sa.String(64)))
        batch.add_column(sa.Column("side_effects", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("side_effects")
        batch.drop_column("session_group")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("course_start")
