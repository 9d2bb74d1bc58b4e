"""flows.orphans: what a main job starts dies with it (kill -9 included), and a later run
ends what a dead run left."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from flows import orphans

# A stand-in main job: arms, starts a program (marked through its environment) and forks a
# child (unmarked: a fork keeps the parent's original environment), then waits.
JOB = textwrap.dedent(
    """
    import os, subprocess, sys, time
    from flows import orphans
    orphans.arm()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    if os.fork() == 0:
        time.sleep(300)
        os._exit(0)
    print(child.pid, flush=True)
    time.sleep(300)
    """
)


def _sleeper(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"], env=env)


def _gone_within(procs: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while (left := [p for p in procs if orphans._running(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_kill_9_of_the_job_ends_what_it_started() -> None:
    job = subprocess.Popen([sys.executable, "-c", JOB], stdout=subprocess.PIPE, text=True)
    try:
        marked = psutil.Process(int(job.stdout.readline()))
        token = orphans.token_of(job.pid)
        assert marked.environ()[orphans.OWNER_VAR] == token
        time.sleep(2 * orphans.POLL_S * orphans.SNAPSHOT_EVERY)  # the watchdog saw the fork
        started = psutil.Process(job.pid).children(recursive=True)
        assert len(started) == 3  # the program, the fork, the watchdog
    finally:
        job.kill()
        job.wait()
    assert not _gone_within(started, 10.0)
    assert not orphans.left_behind(token)


def test_sweep_ends_processes_whose_owner_died_only() -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_token = orphans.token_of(dead.pid)
    dead.wait()
    assert dead_token is None or not orphans.is_alive(dead_token)
    dead_token = dead_token or f"{dead.pid}:0.00"
    orphan = _sleeper({**os.environ, orphans.OWNER_VAR: dead_token})
    kept = _sleeper({**os.environ, orphans.OWNER_VAR: orphans.token_of(os.getpid())})
    try:
        time.sleep(0.3)  # both have exec'd python (their environment is readable)
        assert orphan.pid in orphans.sweep_orphans()
        orphan.wait(timeout=10)  # ended (terminate() reaped it, so no exit code here)
        assert kept.poll() is None
    finally:
        for p in (orphan, kept):
            p.kill()
            p.wait()


def test_arm_is_once_per_process() -> None:
    script = (
        "from flows import orphans; import psutil; orphans.arm(); orphans.arm();"
        "print(len(psutil.Process().children()))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "1", out.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="process environments read from /proc")
def test_token_names_one_process() -> None:
    token = orphans.token_of(os.getpid())
    assert token and token.startswith(f"{os.getpid()}:") and orphans.is_alive(token)
    assert not orphans.is_alive(f"{os.getpid()}:1.00")  # same pid, another start time
