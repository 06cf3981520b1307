"""Initial journal schema: profiles, devices in use, plans, sessions, outcomes.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _owner() -> sa.Column:
    return sa.Column("profile_id", sa.Integer, sa.ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False,
                     index=True)


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("skin_phototype", sa.String(8)),
        sa.Column("body_measurements", sa.JSON),
        sa.Column("contraindication_answers", sa.JSON),
        sa.Column("contraindications_answered_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("device_id", sa.String(200), nullable=False),
        sa.Column("nickname", sa.String(200)),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="SET NULL")),
        sa.Column("start_at", sa.DateTime, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(200), nullable=False),
        sa.Column("channels", sa.JSON),
        sa.Column("distance_mm", sa.Float, nullable=False),
        sa.Column("planned_seconds", sa.Float),
        sa.Column("surface_irradiance_mw_cm2", sa.Float, nullable=False),
        sa.Column("surface_fluence_j_cm2", sa.Float, nullable=False),
        sa.Column("target_depth_mm", sa.Float),
        sa.Column("target_fluence_j_cm2", sa.Float),
        sa.Column("notes", sa.Text),
        sa.Column("warmth_0_10", sa.Integer),
        sa.Column("comfort", sa.Text),
    )
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("instrument", sa.String(50), nullable=False),
        sa.Column("item_scores", sa.JSON),
        sa.Column("total", sa.Float),
        sa.Column("band", sa.String(50)),
        sa.Column("site", sa.String(100)),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("notes", sa.Text),
    )


def downgrade() -> None:
    for table in ("outcomes", "sessions", "plans", "devices", "profiles"):
        op.drop_table(table)
