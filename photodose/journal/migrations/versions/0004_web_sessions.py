"""Web accounts: server-side login sessions (revocable), and profile names unique per owner instead of across
the whole journal (a name taken by another web user must not be revealed by a refusal).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# 0001 created ``profiles.name`` with an unnamed UNIQUE; SQLite reflects it without a name, so batch mode needs a
# naming convention to find it. PostgreSQL names it ``profiles_name_key``.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
OWNER_NAME_INDEX = "uq_profiles_owner_name"


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the cookie's session token
        sa.Column("user", sa.String(100), nullable=False, index=True),
        sa.Column("credential", sa.String(64), nullable=False),  # fingerprint of the password hash at login
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("profiles", naming_convention=_NAMING) as batch:
            batch.drop_constraint("uq_profiles_name", type_="unique")
    else:
        op.drop_constraint("profiles_name_key", "profiles", type_="unique")
    op.create_index(OWNER_NAME_INDEX, "profiles", [sa.text("coalesce(owner, '')"), "name"], unique=True)


def downgrade() -> None:
    op.drop_index(OWNER_NAME_INDEX, table_name="profiles")
    with op.batch_alter_table("profiles") as batch:
        batch.create_unique_constraint("uq_profiles_name", ["name"])
    op.drop_table("web_sessions")
