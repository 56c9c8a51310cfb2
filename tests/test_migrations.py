"""The migrations make exactly the schema the models describe, on SQLite and PostgreSQL:
a model changed without its migration (or the reverse) fails here."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from office_fixtures import db_url  # noqa: F401 - the fixture

from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Base


def test_the_migrated_schema_is_the_models(db_url):  # noqa: F811
    with opened(db_url) as db, db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    # SQLite reports server defaults and some types loosely: only tables, columns and indexes
    wanted = {
        "add_table",
        "remove_table",
        "add_column",
        "remove_column",
        "add_index",
        "remove_index",
    }
    real = [d for d in differences if isinstance(d, tuple) and d[0] in wanted]
    assert real == []
