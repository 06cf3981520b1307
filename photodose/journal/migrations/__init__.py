"""Alembic migrations of the journal database (configured in code by photodose.journal.db)."""
