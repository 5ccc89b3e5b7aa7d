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
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys enforced,
            # dropping `reviews` would cascade-delete every row that refers to it. The pragma only
            # takes effect outside a transaction, so it is set before Alembic begins one.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,  # SQLite needs batch mode for column changes.
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} rows pointing at nothing")
            connection.commit()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations()
