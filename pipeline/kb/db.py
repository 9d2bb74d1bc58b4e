"""Opening the knowledge base: one URL, the same code for SQLite and PostgreSQL."""

from __future__ import annotations

import functools
import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from pipeline.kb import schema

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer, and a killed writer leaves the file consistent.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.close()


def checkpoint(engine: Engine) -> None:
    """Fold SQLite's write-ahead log into the main file at the end of a run.

    Engines live for the process, so the WAL would otherwise stay beside ``kb.sqlite``
    and a copy of that file alone (a backup, a commit) would miss the run's data.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@functools.cache
def get_engine(url: str) -> Engine:
    """An engine for ``url`` with the tables created (idempotent); SQLite parents made."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 60}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    init_schema(engine)
    return engine


def init_schema(engine: Engine, attempts: int = 5) -> None:
    """Create missing tables and record the schema version.

    Two processes opening a new knowledge base at once race to create the same tables;
    the loser sees "already exists" and simply looks again.
    """
    for attempt in range(attempts):
        try:
            _create(engine)
            return
        except (OperationalError, ProgrammingError, IntegrityError) as exc:
            if attempt == attempts - 1 or not _is_creation_race(exc):
                raise
            log.info("knowledge base being created by another process; retrying (%s)", exc)
            time.sleep(0.2 * (attempt + 1))


def _is_creation_race(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("already exists", "unique", "duplicate", "locked"))


def _create(engine: Engine) -> None:
    schema.metadata.create_all(engine, checkfirst=True)
    _widen_run_status(engine)
    with engine.begin() as conn:
        row = conn.execute(
            select(schema.kb_meta.c.value).where(schema.kb_meta.c.key == "schema_version")
        ).first()
        if row is None:
            conn.execute(
                schema.kb_meta.insert().values(key="schema_version", value=schema.SCHEMA_VERSION)
            )
        elif row.value in MIGRATIONS:
            MIGRATIONS[row.value](conn)
            conn.execute(
                schema.kb_meta.update()
                .where(schema.kb_meta.c.key == "schema_version")
                .values(value=schema.SCHEMA_VERSION)
            )
            log.info("knowledge base %s: schema %s -> %s", engine.url, row.value,
                     schema.SCHEMA_VERSION)  # fmt: skip
        elif row.value != schema.SCHEMA_VERSION:
            raise RuntimeError(
                f"knowledge base {engine.url!r} has schema version {row.value}, this code "
                f"expects {schema.SCHEMA_VERSION}: rebuild it (delete the SQLite file or "
                "drop the tables) and rerun"
            )


def _counters_from_content(conn: Any) -> None:
    from pipeline.kb.counters import fill_counters

    _add_polarity(conn)
    fill_counters(conn)


def _add_polarity(conn: Any) -> None:
    """Schema 3 marks a triple whose every evidence is negated (``triples.polarity``)."""
    if "polarity" not in {c["name"] for c in inspect(conn).get_columns("triples")}:
        conn.exec_driver_sql(
            "ALTER TABLE triples ADD COLUMN polarity VARCHAR(16) NOT NULL DEFAULT 'affirmed'"
        )
    t = schema.triples
    conn.execute(
        t.update()
        .where(t.c.n_evidence > 0, t.c.n_negated == t.c.n_evidence)
        .values(polarity="negated")
    )


# Schema version -> the step that brings a knowledge base of it to SCHEMA_VERSION (the
# tables it lacks are created first).
MIGRATIONS = {"1": _counters_from_content, "2": _add_polarity}


def _widen_run_status(engine: Engine) -> None:
    """``runs.status`` was 16 characters; "completed with problems" has 23. PostgreSQL
    enforces the length (SQLite does not), so an older knowledge base is widened in place."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        length = conn.exec_driver_sql(
            "SELECT character_maximum_length FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'runs' "
            "AND column_name = 'status'"
        ).scalar()
        if length is not None and length < 32:
            conn.exec_driver_sql("ALTER TABLE runs ALTER COLUMN status TYPE VARCHAR(32)")
