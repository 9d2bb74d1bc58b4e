"""One refresh at a time: a lock row in the knowledge base naming its holder.

A row (not a file) so that the lock covers every process that reaches the same
knowledge base, including a shared PostgreSQL server. A holder that died (kill -9,
power loss) cannot release it, so a lock is *stale* when its process is gone (same host:
pid not alive or reused, checked with psutil) or, for a holder on another host, when its
heartbeat (renewed with every committed batch) is older than ``stale_after_s``. A stale
lock is broken and its run marked ``aborted``; a live one makes the new run fail at once.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime

import psutil
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError

from pipeline.kb import schema

log = logging.getLogger(__name__)

LOCK_NAME = "refresh"


class RunLockedError(RuntimeError):
    """Another run holds the knowledge base's refresh lock."""


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _proc_started(pid: int) -> float:
    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return 0.0


def stale_reason(holder: object, stale_after_s: float) -> str:
    """Why the lock held by ``holder`` (a run_lock row) is stale, or "" if it is live."""
    if holder.host == socket.gethostname():  # type: ignore[attr-defined]
        pid = holder.pid  # type: ignore[attr-defined]
        if not psutil.pid_exists(pid):
            return f"process {pid} no longer exists"
        started = _proc_started(pid)
        if started and abs(started - holder.proc_started) > 1.0:  # type: ignore[attr-defined]
            return f"pid {pid} now belongs to another process"
        return ""
    age = (_now() - _aware(holder.heartbeat_at)).total_seconds()  # type: ignore[attr-defined]
    if age > stale_after_s:
        return f"no heartbeat for {age:.0f} s (limit {stale_after_s:.0f} s)"
    return ""


def describe(holder: object) -> str:
    h = holder
    return (
        f"run {h.run_id} (pid {h.pid} on {h.host}, started "  # type: ignore[attr-defined]
        f"{_aware(h.acquired_at):%Y-%m-%d %H:%M:%S} UTC, "  # type: ignore[attr-defined]
        f"last heartbeat {_aware(h.heartbeat_at):%H:%M:%S} UTC)"  # type: ignore[attr-defined]
    )


def current_holder(engine: Engine) -> object | None:
    with engine.connect() as conn:
        return conn.execute(
            select(schema.run_lock).where(schema.run_lock.c.name == LOCK_NAME)
        ).first()


def check_not_locked(engine: Engine, stale_after_s: float) -> None:
    """Fail fast (before any work) if a live run holds the lock."""
    holder = current_holder(engine)
    if holder is not None and not stale_reason(holder, stale_after_s):
        raise RunLockedError(f"another run is in progress: {describe(holder)}; try again later")


def acquire(engine: Engine, run_id: str, stale_after_s: float) -> None:
    """Take the refresh lock for ``run_id`` or raise :class:`RunLockedError` naming the holder."""
    pid = os.getpid()
    for _attempt in range(3):
        try:
            with engine.begin() as conn:
                holder = conn.execute(
                    select(schema.run_lock).where(schema.run_lock.c.name == LOCK_NAME)
                ).first()
                if holder is not None:
                    reason = stale_reason(holder, stale_after_s)
                    if not reason:
                        raise RunLockedError(
                            f"another run is in progress: {describe(holder)}; try again later"
                        )
                    log.warning("breaking stale lock of %s: %s", describe(holder), reason)
                    conn.execute(
                        schema.run_lock.delete().where(
                            schema.run_lock.c.name == LOCK_NAME,
                            schema.run_lock.c.run_id == holder.run_id,
                        )
                    )
                    conn.execute(
                        schema.runs.update()
                        .where(schema.runs.c.run_id == holder.run_id)
                        .values(status="aborted", message=f"lock broken by {run_id}: {reason}")
                    )
                now = _now()
                conn.execute(
                    schema.run_lock.insert().values(
                        name=LOCK_NAME,
                        run_id=run_id,
                        host=socket.gethostname(),
                        pid=pid,
                        proc_started=_proc_started(pid),
                        acquired_at=now,
                        heartbeat_at=now,
                    )
                )
            return
        except (IntegrityError, OperationalError) as exc:
            # Lost a race with another starting run: look again, and report who won.
            log.debug("lock race for %s: %s", run_id, exc)
            continue
    holder = current_holder(engine)
    who = describe(holder) if holder is not None else "unknown"
    raise RunLockedError(f"another run is in progress: {who}; try again later")


def heartbeat(conn: Connection, run_id: str) -> None:
    """Renew the lock inside a batch transaction; fail if the lock is no longer ours."""
    n = conn.execute(
        schema.run_lock.update()
        .where(schema.run_lock.c.name == LOCK_NAME, schema.run_lock.c.run_id == run_id)
        .values(heartbeat_at=_now())
    ).rowcount
    if n != 1:
        raise RunLockedError(f"run {run_id} lost the refresh lock (broken as stale?); stopping")


def release(engine: Engine, run_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            schema.run_lock.delete().where(
                schema.run_lock.c.name == LOCK_NAME, schema.run_lock.c.run_id == run_id
            )
        )
