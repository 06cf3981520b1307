"""Custom metrics on outcomes (name, value, unit, file path) and an index for per-site dose queries.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_METRIC_COLUMNS = (
    ("metric_name", sa.String(200)),
    ("metric_value", sa.Float),
    ("metric_unit", sa.String(50)),
    ("file_path", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("outcomes") as batch:
        for name, type_ in _METRIC_COLUMNS:
            batch.add_column(sa.Column(name, type_))
    op.create_index("ix_sessions_profile_site_start", "sessions", ["profile_id", "site", "start_at"])


def downgrade() -> None:
    op.drop_index("ix_sessions_profile_site_start", table_name="sessions")
    with op.batch_alter_table("outcomes") as batch:
        for name, _ in reversed(_METRIC_COLUMNS):
            batch.drop_column(name)
