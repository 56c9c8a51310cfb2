"""Open the central database, creating or migrating its schema (Alembic) on first use.

Where it is: ``--db URL``, else the environment variable ``SHENGYUAN_DB``,
else the SQLite file ``shengyuan.db`` in the current folder. Any SQLAlchemy
URL works (PostgreSQL in production: ``postgresql+psycopg://user@host/db``).

Two jobs at once (two merges, a merge and an import) must not both read the
same students and decide on them: the later one waits for the earlier one,
up to ``SHENGYUAN_DB_WAIT`` seconds (default 60), then gives up with a
message that says the database was busy. On SQLite every transaction takes
the write lock when it begins (BEGIN IMMEDIATE); on PostgreSQL the jobs lock
their campaign's row (``lock_campaign``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ShengyuanError

DEFAULT_URL = "sqlite:///shengyuan.db"
ENV_VAR = "SHENGYUAN_DB"
WAIT_VAR = "SHENGYUAN_DB_WAIT"
DEFAULT_WAIT = 60.0
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(ShengyuanError):
    """The database cannot be opened or used."""


def busy_wait() -> float:
    """Seconds a job waits for another one holding the database before it gives up."""
    try:
        return max(0.0, float(os.environ.get(WAIT_VAR, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def is_busy(exc: BaseException) -> bool:
    """Did the database refuse because another job held it too long?"""
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) == "55P03":  # PostgreSQL lock_not_available
        return True
    return "database is locked" in str(orig or exc)


def is_unreachable(exc: BaseException) -> bool:
    """Could the database not be reached at all (server down, network, SQLite file gone)?"""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(
        words in text
        for words in (
            "connection refused",
            "could not connect",
            "server closed the connection",
            "terminating connection",
            "connection to server",
            "unable to open database file",
            "timeout expired",
            "no such host",
            "name or service not known",
        )
    )


UNREACHABLE_MESSAGE = "数据库暂时连不上，请稍后再试（如一直这样，请告诉招生就业处）。"


def database_url(url: str | None = None) -> str:
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # the driver's own BEGIN is deferred: a job would read, then fail to write when another
    # job wrote meanwhile. Transactions are begun by _sqlite_begin instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # a crash mid-merge leaves the file consistent
    cursor.close()


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    # take the write lock first, waiting (the driver's timeout) while another job holds it;
    # a look that writes nothing (is the schema current?) need not wait for anyone
    read_only = connection.get_execution_options().get("read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _migrate(engine: Engine) -> None:
    """Create or upgrade the schema; only when it is not current, so that a database another
    job is busy with can still be opened."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect().execution_options(read_only=True) as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(url: str | None = None) -> Database:
    url = database_url(url)
    try:
        sqlite = make_url(url).get_backend_name() == "sqlite"
        engine = create_engine(url, connect_args={"timeout": busy_wait()} if sqlite else {})
        if sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        _migrate(engine)
    except OperationalError as exc:
        if is_busy(exc):
            raise DatabaseError(
                f"数据库 {_safe(url)} 正忙（另一个任务正在更新它），等了 {busy_wait():.0f} 秒：请稍后再试"
            ) from None
        raise DatabaseError(f"打不开数据库 {_safe(url)}：{exc.orig}") from None
    except SQLAlchemyError as exc:
        raise DatabaseError(f"数据库 {_safe(url)} 无法使用：{exc}") from None
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"缺少数据库驱动 {exc.name}：请安装后再试") from None
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


@contextmanager
def opened(url: str | None = None) -> Iterator[Database]:
    """The database for the length of a command; its connections are closed afterwards."""
    db = open_database(url)
    try:
        yield db
    finally:
        db.close()


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "（无法解析的地址）"
