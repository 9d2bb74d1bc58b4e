"""Prefect settings for a flow run this process hosts itself (Prefect's ephemeral mode).

With no ``PREFECT_API_URL``, Prefect starts a temporary API server inside the process and
stops it when the process ends. Flow-run heartbeats exist so that a server's automations
can mark a run whose process died as crashed; a temporary server dies with that process,
so no one is left to act on them. They still cost time: the engine joins the heartbeat
thread at the end of every run, and that thread sleeps in 1-s steps, so an unchanged
rerun of the main job on ``corpus/`` waited ~0.85 s of its 1.14 s for it (measured).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    get_current_settings,
    temporary_settings,
)


def hosts_own_server() -> bool:
    """Whether a flow run started here would use a temporary in-process Prefect server."""
    return not PREFECT_API_URL.value()


@contextmanager
def hosted_run_settings() -> Iterator[None]:
    """Heartbeats off for a run on a temporary server (see the module docstring).

    Unchanged when an API server is configured (deployments, ``flows.serve``, tests'
    ``prefect_test_harness``) or when the user set ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``.
    """
    chosen = "heartbeat_frequency" in get_current_settings().flows.model_fields_set
    if chosen or not hosts_own_server():
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
