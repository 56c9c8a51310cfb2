"""Alembic environment: migrations run on the connection ``database.open_database`` passes in."""

from __future__ import annotations

from alembic import context

from shengyuan_xl.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` run by hand: use the URL given with -x url=...
    from sqlalchemy import create_engine

    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///shengyuan.db")
    connection = create_engine(url).connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
