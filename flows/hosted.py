"""Prefect settings and start-up for a flow run this process hosts itself (ephemeral mode).

With no ``PREFECT_API_URL``, Prefect starts a temporary API server (a uvicorn subprocess)
the first time a client needs it, waits ``PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS``
(20 by default) for it, and stops it when the process exits. On a busy 2-core machine that
limit is missed, so :func:`hosted_run_settings` starts the server itself with the project's
limit (or the user's own Prefect setting) and one retry, and arms :mod:`flows.orphans` so
that the server and any worker die with this process, even on ``kill -9``.

Flow-run heartbeats exist so that a server's automations can mark a run whose process
died as crashed; a temporary server dies with that process, so no one is left to act on
them. They still cost time: the engine joins the heartbeat thread at the end of every run,
and that thread sleeps in 1-s steps, so an unchanged rerun of the main job on ``corpus/``
waited ~0.85 s of its 1.14 s for it (measured).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flows import orphans
from pipeline.exit_status import ExpectedError

log = logging.getLogger(__name__)

# Seconds one start-up attempt may take. Start-ups measured 18 s (existing Prefect
# database) and 32-36 s (new database: migrations) with two spinning processes on this
# 2-core VM, against Prefect's 20. Prefect counts its 0.1-s polls, so wall time is longer.
STARTUP_TIMEOUT_S = 90
STARTUP_ATTEMPTS = 2  # one retry on a fresh server


class ServerStartError(ExpectedError, RuntimeError):
    """Prefect's temporary server did not answer within its limit, twice."""


def require_api() -> None:
    """With ``PREFECT_API_URL`` in the environment, its server must answer before a run
    starts anything (:class:`~pipeline.exit_status.ExpectedError` otherwise). Read from the
    environment, not Prefect's settings: importing those costs seconds, and an unchanged
    rerun needs no Prefect at all."""
    import os

    import httpx

    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        return
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        raise ExpectedError(f"the Prefect API at {url} (PREFECT_API_URL) does not answer: "
                            f"{type(exc).__name__}: {exc}") from None  # fmt: skip


def hosts_own_server() -> bool:
    """Whether a flow run started here would use a temporary in-process Prefect server."""
    from prefect.settings import PREFECT_API_URL, get_current_settings

    return not PREFECT_API_URL.value() and get_current_settings().server.ephemeral.enabled


def startup_timeout_s() -> int:
    """The user's ``PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS`` if set, else ours."""
    from prefect.settings import get_current_settings

    ephemeral = get_current_settings().server.ephemeral
    if "startup_timeout_seconds" in ephemeral.model_fields_set:
        return ephemeral.startup_timeout_seconds
    return STARTUP_TIMEOUT_S


def retry_start(start: Any, stop: Any, what: str) -> Any:
    """``start(timeout)`` with one retry after ``stop()``; :class:`ServerStartError` if
    both attempts fail. Shared by the main job and the tests' harness."""
    limit = startup_timeout_s()
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        try:
            return start(limit)
        except RuntimeError as exc:
            stop()
            if attempt == STARTUP_ATTEMPTS:
                raise ServerStartError(
                    f"{what} did not start within {limit} s, {STARTUP_ATTEMPTS} attempts "
                    "(the machine may be overloaded; raise "
                    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS or set PREFECT_API_URL "
                    f"to a running server): {str(exc).splitlines()[0]}"
                ) from exc
            log.warning("%s did not start within %d s; trying once more", what, limit)
    raise AssertionError("unreachable")


def start_temporary_server() -> Any:
    """Start the temporary server Prefect's clients will use (no-op if it is running)."""
    from prefect.server.api.server import SubprocessASGIServer

    def start(limit: int) -> Any:
        server = SubprocessASGIServer()  # the default instance Prefect's clients look up
        if server.running:
            return server
        began = time.perf_counter()
        server.start(timeout=limit)
        log.info("Prefect's temporary server answered after %.1f s", time.perf_counter() - began)
        return server

    # stop() kills a half-started process and forgets the instance: the retry is fresh
    return retry_start(start, lambda: SubprocessASGIServer().stop(), "Prefect's temporary server")


@contextmanager
def hosted_run_settings() -> Iterator[None]:
    """Children die with this process; on a temporary server: start it (see the module
    docstring) and switch heartbeats off.

    Heartbeats are unchanged when an API server is configured (deployments, ``flows.serve``,
    tests' ``prefect_test_harness``) or when the user set
    ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``.
    """
    from prefect.settings import (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    orphans.arm()
    if not hosts_own_server():
        yield
        return
    start_temporary_server()
    if "heartbeat_frequency" in get_current_settings().flows.model_fields_set:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
