"""A profile's body for whole-body hyperthermia plans: height (m), weight (kg), age (years), sex.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("height_m", sa.Float))
        batch.add_column(sa.Column("weight_kg", sa.Float))
        batch.add_column(sa.Column("age_years", sa.Integer))
        batch.add_column(sa.Column("sex", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("sex")
        batch.drop_column("age_years")
        batch.drop_column("weight_kg")
        batch.drop_column("height_m")
