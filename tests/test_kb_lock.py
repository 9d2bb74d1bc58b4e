"""One refresh at a time: the lock row, its holder's name in the error, stale locks."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pipeline.kb import lock, runs, schema
from pipeline.kb.db import get_engine


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _plant_lock(url: str, run_id: str, pid: int, host: str, heartbeat_age_s: float) -> None:
    engine = get_engine(url)
    runs.start_run(engine, run_id, "xv", "corpus")
    beat = datetime.now(UTC) - timedelta(seconds=heartbeat_age_s)
    with engine.begin() as conn:
        conn.execute(
            schema.run_lock.insert().values(
                name=lock.LOCK_NAME, run_id=run_id, host=host, pid=pid, proc_started=0.0,
                acquired_at=beat, heartbeat_at=beat,
            )
        )  # fmt: skip


def test_second_run_fails_fast_naming_the_holder(kb_url: str) -> None:
    engine = get_engine(kb_url)
    lock.acquire(engine, "run-one", 3600)
    with pytest.raises(lock.RunLockedError, match=r"another run is in progress: run run-one \(pid"):
        lock.acquire(engine, "run-two", 3600)
    with pytest.raises(lock.RunLockedError, match="run-one"):
        lock.check_not_locked(engine, 3600)
    lock.release(engine, "run-one")
    lock.acquire(engine, "run-two", 3600)  # free again
    assert lock.current_holder(engine).run_id == "run-two"


def test_lock_of_a_dead_process_is_broken_and_its_run_aborted(kb_url: str) -> None:
    import socket

    _plant_lock(kb_url, "killed-run", _dead_pid(), socket.gethostname(), 0)
    engine = get_engine(kb_url)
    lock.check_not_locked(engine, 3600)  # stale: does not block
    lock.acquire(engine, "next-run", 3600)
    with engine.connect() as conn:
        status, message = conn.execute(
            select(schema.runs.c.status, schema.runs.c.message).where(
                schema.runs.c.run_id == "killed-run"
            )
        ).one()
    assert status == "aborted" and "no longer exists" in message
    # The broken holder cannot write any more.
    with pytest.raises(lock.RunLockedError, match="lost the refresh lock"):
        with engine.begin() as conn:
            lock.heartbeat(conn, "killed-run")


def test_remote_holder_is_stale_only_after_silence(kb_url: str) -> None:
    _plant_lock(kb_url, "remote-run", 12345, "some-other-host", heartbeat_age_s=60)
    engine = get_engine(kb_url)
    with pytest.raises(lock.RunLockedError, match="some-other-host"):
        lock.acquire(engine, "mine", stale_after_s=3600)
    lock.acquire(engine, "mine", stale_after_s=30)  # heartbeat 60 s old > 30 s: stale
    assert lock.current_holder(engine).run_id == "mine"
