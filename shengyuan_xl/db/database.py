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
from sqlalchemy import URL, Engine, create_engine, event, make_url
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
    """The database's address: the one given, else ``SHENGYUAN_DB``, else ./shengyuan.db. A
    plain file path is a SQLite file (what an office clerk types); ``postgres://`` is
    PostgreSQL's other spelling."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" not in url:  # a file's name may hold % or ?: made an address, not read as one
        file = str(Path(url).expanduser().resolve())
        return URL.create("sqlite", database=file).render_as_string(hide_password=False)
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite address (None: another database, or SQLite in memory)."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - said when the database is opened
        return None
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


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


def open_database(url: str | None = None, must_exist: bool = False) -> Database:
    """The database, its schema made or brought up to date. ``must_exist``: a SQLite file
    that is not there is refused, not made (only ``init`` makes one: a mistyped path must
    not give an empty database)."""
    url = database_url(url)
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - any text may be typed
        raise DatabaseError(
            f"数据库地址“{url}”看不懂：SQLite 写文件路径（如 D:/生源/shengyuan.db 或 "
            "sqlite:////srv/shengyuan.db），PostgreSQL 写 postgresql://用户:密码@主机/数据库"
        ) from None
    file = sqlite_file(url)
    if file is not None:
        if not file.parent.is_dir():
            raise DatabaseError(
                f"数据库文件所在的文件夹 {file.parent} 不存在：请先建好它，或换个位置"
            )
        if must_exist and not file.exists():
            raise DatabaseError(
                f"没有找到数据库 {file.resolve()}：请检查 --db 的路径（或环境变量 {ENV_VAR}），"
                "或先用 shengyuan init 建立核对工作"
            )
    try:
        sqlite = parsed.get_backend_name() == "sqlite"
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
        raise DatabaseError(f"打不开数据库 {_safe(url)}：{_reason(exc)}") from None
    except SQLAlchemyError as exc:
        raise DatabaseError(f"数据库 {_safe(url)} 无法使用：{_reason(exc)}") from None
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"缺少数据库驱动 {exc.name}：请安装后再试") from None
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


# what the drivers say, in the office's words (the driver's own text follows for IT)
_REASONS = (
    ('database "', "服务器上没有这个数据库（先用 createdb 建立）"),
    ('role "', "数据库服务器上没有这个用户"),
    ("password authentication failed", "用户名或密码不对"),
    ("connection refused", "连不上数据库服务器（地址、端口对吗？服务器开着吗？）"),
    ("could not translate host name", "找不到这个主机名"),
    ("name or service not known", "找不到这个主机名"),
    ("timeout expired", "连接数据库服务器超时"),
    ("unable to open database file", "打不开这个数据库文件（有写入权限吗？）"),
    ("file is not a database", "这个文件不是数据库"),
    ("can't load plugin", "不认识这种数据库（SQLite 写文件路径，PostgreSQL 写 postgresql://…）"),
)


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    lowered = text.lower()
    for words, said in _REASONS:
        if words.startswith(("database", "role")):  # 'database "x" does not exist'
            found = words in lowered and "does not exist" in lowered
        else:
            found = words in lowered
        if found:
            return f"{said}。（{text.splitlines()[0][:200]}）"
    return text.splitlines()[0][:300] if text else type(exc).__name__


@contextmanager
def opened(url: str | None = None, must_exist: bool = False) -> Iterator[Database]:
    """The database for the length of a command; its connections are closed afterwards."""
    db = open_database(url, must_exist)
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
