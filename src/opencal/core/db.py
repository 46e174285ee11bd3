"""Engine, sessions and the transaction helpers every service uses.

Reads use `db.read()`; every write is one `db.write()` block, committed when the block ends and
rolled back on any exception. On SQLite a write transaction starts with `BEGIN IMMEDIATE`, so
writers are serialized by the database itself (this is half of the no-double-booking guarantee;
PostgreSQL gets row locks instead) and never fail half-way with "database is locked".

Hot read paths that run many small queries (slots) use `db.run_read(work)` with synchronous code:
on SQLite the whole unit runs in one worker thread, because the async driver pays several thread
round trips per query; on PostgreSQL it runs on the async session through SQLAlchemy's greenlet.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from opencal.config import normalize_database_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
_IMMEDIATE = "opencal_immediate"
T = TypeVar("T")


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_database_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self._sync_engine: Engine | None = None
        if self.is_sqlite:
            _configure_sqlite(self.engine.sync_engine)
            self._sync_engine = create_engine(
                self.url.replace("sqlite+aiosqlite:", "sqlite:", 1), connect_args=kwargs["connect_args"], echo=echo
            )
            _configure_sqlite(self._sync_engine)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        self._sync_sessions = sessionmaker(self._sync_engine, expire_on_commit=False, autoflush=False)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads; closing it returns the connection (the pool rolls it back), and the
        objects it loaded stay usable, detached."""
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction: commit at the end of the block, roll back on any exception."""
        async with self._sessions() as session:
            if self.is_sqlite:
                await session.connection(execution_options={_IMMEDIATE: True})
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def run_read(self, work: Callable[[Session], T]) -> T:
        """`work(session)` in one read transaction; the objects it returns stay usable, detached."""
        if self._sync_engine is None:
            async with self.read() as session:
                return await session.run_sync(work)
        return await asyncio.to_thread(self._read_in_thread, work)

    def _read_in_thread(self, work: Callable[[Session], T]) -> T:
        with self._sync_sessions() as session:
            return work(session)

    @property
    def engines(self) -> list[Engine]:
        """Every synchronous engine statements go through (for event listeners)."""
        return [self.engine.sync_engine, *([self._sync_engine] if self._sync_engine is not None else [])]

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._sync_engine is not None:
            self._sync_engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN is ours (see `_on_begin`).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
