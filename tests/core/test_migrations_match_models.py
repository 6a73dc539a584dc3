"""Every domain adds its own migration; together they must build exactly the tables, columns
and indexes the models declare (or the app and `kefu db upgrade` disagree in production)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import kefu.models  # noqa: F401  (registers every table)
from kefu.core.db import Base
from kefu.core.migrate import upgrade


def test_migrations_build_what_the_models_declare(tmp_path: Path) -> None:
    upgrade(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
