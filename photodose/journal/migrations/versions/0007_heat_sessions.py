"""Whole-body hyperthermia sessions (sauna dome): minutes of heating, chamber settings, core temperature if measured.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heat_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, sa.ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("start_at", sa.DateTime, nullable=False),
        sa.Column("heating_minutes", sa.Float, nullable=False),
        sa.Column("device_id", sa.String(200), nullable=False),
        sa.Column("air_temperature_c", sa.Float),
        sa.Column("mean_radiant_temperature_c", sa.Float),
        sa.Column("relative_humidity_percent", sa.Float),
        sa.Column("core_temperature_c", sa.Float),
        sa.Column("minutes_to_target", sa.Float),
        sa.Column("notes", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("heat_sessions")
