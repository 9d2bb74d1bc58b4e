"""flows.hosted: no flow-run heartbeats on a temporary server, Prefect's default otherwise."""

from __future__ import annotations

from prefect import flow
from prefect.flow_engine import FlowRunEngine
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    get_current_settings,
    temporary_settings,
)

from flows.hosted import hosted_run_settings, hosts_own_server


@flow
def _noop() -> None:
    pass


def _engine_heartbeat() -> int | None:
    """What Prefect's flow engine would use for a run started now."""
    return FlowRunEngine(flow=_noop).heartbeat_seconds


def test_temporary_server_runs_without_heartbeats() -> None:
    with temporary_settings(updates={PREFECT_API_URL: None}):
        assert hosts_own_server()
        assert _engine_heartbeat() is not None  # Prefect's default: on
        with hosted_run_settings():
            assert _engine_heartbeat() is None
        assert _engine_heartbeat() is not None  # restored afterwards


def test_configured_server_keeps_heartbeats() -> None:
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert not hosts_own_server()
        before = _engine_heartbeat()
        with hosted_run_settings():
            assert _engine_heartbeat() == before is not None


def test_users_heartbeat_setting_wins() -> None:
    updates = {PREFECT_API_URL: None, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 45}
    with temporary_settings(updates=updates):
        with hosted_run_settings():
            assert get_current_settings().flows.heartbeat_frequency == 45
            assert _engine_heartbeat() == 45
