"""Alembic migrations. Every schema change goes through here."""
