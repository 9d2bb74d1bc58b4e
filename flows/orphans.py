"""Processes a main job starts die with it, however it ends (also ``kill -9``).

Every program started after :func:`arm` (Prefect's temporary server, Dask workers, a
subprocess run, ...) inherits ``ADCM_OWNER=<pid>:<start time>`` in its environment. A
watchdog (this file run as a script: psutil and the standard library only, ~10 MB) polls
its parent and, once the parent is gone, terminates every process carrying the parent's
mark and every descendant it last saw (forked workers share the parent's original
environment, so they carry no mark of their own). :func:`arm` also sweeps processes whose
owner is no longer alive, so a run cleans up what an earlier run left when even its
watchdog was killed.

Why not the alternatives: Prefect starts its server with a plain ``subprocess.Popen``, so a
parent-death signal (``prctl(PR_SET_PDEATHSIG)``) could only be set by copying Prefect's
private ``_run_uvicorn_command``, and it would fire when the *thread* that started the
server ends, not the process; killing our process group would also kill the shell script
or test runner that started the job whenever the job is not a group leader.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterable

import psutil

log = logging.getLogger(__name__)

OWNER_VAR = "ADCM_OWNER"
POLL_S = 0.25  # the watchdog notices its parent's death within this
SNAPSHOT_EVERY = 2  # polls between two listings of the parent's descendants
GRACE_S = 3.0  # SIGTERM, then SIGKILL after this long

_armed: str | None = None  # this process's token once its watchdog runs
_watchdog: subprocess.Popen | None = None


def token_of(pid: int) -> str | None:
    """``<pid>:<start time>``: names one process even after its pid is reused."""
    try:
        return f"{pid}:{psutil.Process(pid).create_time():.2f}"
    except psutil.Error:
        return None


def is_alive(token: str) -> bool:
    pid, _, _ = token.partition(":")
    return pid.isdigit() and token_of(int(pid)) == token


def marked_processes() -> list[tuple[psutil.Process, str]]:
    """Processes of this user carrying an owner mark, with the mark (never this process)."""
    found = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid():
            continue
        try:
            owner = proc.environ().get(OWNER_VAR)
        except psutil.Error:  # another user's process, or gone meanwhile
            continue
        if owner:
            found.append((proc, owner))
    return found


def terminate(procs: Iterable[psutil.Process], grace_s: float = GRACE_S) -> list[int]:
    """SIGTERM each process, SIGKILL what is still there after ``grace_s``; their pids."""
    procs = list(procs)
    for proc in procs:
        try:
            proc.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace_s)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=grace_s)
    return [p.pid for p in procs]


def sweep_orphans() -> list[int]:
    """Terminate marked processes whose owner has died; their pids."""
    return terminate(p for p, owner in marked_processes() if not is_alive(owner))


def arm() -> None:
    """Mark this process's future children and start its watchdog (once per process).

    Also ends processes left by earlier runs whose owner died. Without /proc-style process
    information (psutil cannot read environments) this does nothing and says so.
    """
    global _armed, _watchdog
    token = token_of(os.getpid())
    if _armed == token or token is None:
        return
    try:
        swept = sweep_orphans()
    except (psutil.Error, NotImplementedError) as exc:
        log.debug("process cleanup unavailable here: %s", exc)
        return
    if swept:
        log.warning("ended %d processes left by an earlier run that died: pids %s",
                    len(swept), ", ".join(map(str, swept)))  # fmt: skip
    os.environ[OWNER_VAR] = token
    _watchdog = subprocess.Popen(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-I", os.path.abspath(__file__), token],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # out of the job's process group: Ctrl-C, killpg spare it
        close_fds=True,
    )
    _armed = token


def watch(token: str) -> None:
    """The watchdog: wait for the owner's death, then end what it left."""
    owner = int(token.partition(":")[0])
    seen: list[psutil.Process] = []
    polls = 0
    while os.getppid() == owner and is_alive(token):
        if polls % SNAPSHOT_EVERY == 0:
            try:
                seen = psutil.Process(owner).children(recursive=True)
            except psutil.Error:
                pass
        polls += 1
        time.sleep(POLL_S)
    terminate(left_behind(token, seen))


def left_behind(token: str, seen: Iterable[psutil.Process] = ()) -> list[psutil.Process]:
    """Running processes that ``token``'s owner started: marked with it, or among ``seen``
    (its descendants listed earlier; ``is_running`` also checks their start time)."""
    left = {p.pid: p for p in seen if p.pid != os.getpid() and _running(p)}
    left.update({p.pid: p for p, mark in marked_processes() if mark == token})
    return list(left.values())


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


if __name__ == "__main__":
    watch(sys.argv[1])
