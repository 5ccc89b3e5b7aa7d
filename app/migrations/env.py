"""Alembic environment: uses the engine handed over in config.attributes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        # Only for developers running `alembic` by hand against a scratch database.
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///scratch.sqlite3")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite needs batch mode for column changes.
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
