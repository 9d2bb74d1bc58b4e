"""flows.hosted: the temporary server starts with the project's limit and one retry, and
runs without heartbeats; Prefect's defaults and the user's settings otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from prefect import flow
from prefect.flow_engine import FlowRunEngine
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    get_current_settings,
    temporary_settings,
)

from flows import hosted
from flows.hosted import (
    STARTUP_TIMEOUT_S,
    ServerStartError,
    hosted_run_settings,
    hosts_own_server,
    retry_start,
    startup_timeout_s,
)


@flow
def _noop() -> None:
    pass


def _engine_heartbeat() -> int | None:
    """What Prefect's flow engine would use for a run started now."""
    return FlowRunEngine(flow=_noop).heartbeat_seconds


@pytest.fixture
def starts(monkeypatch) -> list[int]:
    """Server start-ups requested by hosted_run_settings (none really started here)."""
    calls: list[int] = []
    monkeypatch.setattr(hosted, "start_temporary_server", lambda: calls.append(1))
    return calls


def test_temporary_server_started_and_runs_without_heartbeats(starts) -> None:
    with temporary_settings(updates={PREFECT_API_URL: None}):
        assert hosts_own_server()
        assert _engine_heartbeat() is not None  # Prefect's default: on
        with hosted_run_settings():
            assert _engine_heartbeat() is None
        assert _engine_heartbeat() is not None  # restored afterwards
    assert starts == [1]


def test_configured_server_keeps_heartbeats(starts) -> None:
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert not hosts_own_server()
        before = _engine_heartbeat()
        with hosted_run_settings():
            assert _engine_heartbeat() == before is not None
    assert starts == []


def test_users_heartbeat_setting_wins(starts) -> None:
    updates = {PREFECT_API_URL: None, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 45}
    with temporary_settings(updates=updates):
        with hosted_run_settings():
            assert get_current_settings().flows.heartbeat_frequency == 45
            assert _engine_heartbeat() == 45


def test_startup_limit_is_the_projects_unless_the_user_set_one() -> None:
    assert startup_timeout_s() == STARTUP_TIMEOUT_S > 20  # Prefect's default is 20
    with temporary_settings(updates={PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: 7}):
        assert startup_timeout_s() == 7


def test_one_retry_after_stopping_the_failed_start() -> None:
    events: list[str] = []

    def start(limit: int) -> str:
        events.append(f"start {limit}")
        if len(events) == 1:
            raise RuntimeError("Timed out while attempting to connect")
        return "server"

    assert retry_start(start, lambda: events.append("stop"), "server") == "server"
    assert events == [f"start {STARTUP_TIMEOUT_S}", "stop", f"start {STARTUP_TIMEOUT_S}"]


def test_two_failed_starts_give_one_clear_error() -> None:
    def start(limit: int) -> None:
        raise RuntimeError("Timed out while attempting to connect.\nstdout: ...")

    with pytest.raises(ServerStartError) as err:
        retry_start(start, lambda: None, "Prefect's temporary server")
    message = str(err.value)
    assert "\n" not in message and f"within {STARTUP_TIMEOUT_S} s, 2 attempts" in message
    assert "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in message


def test_a_real_server_that_misses_its_limit_is_stopped_each_time(tmp_path) -> None:
    """Against Prefect's real server with a 1-s limit (it needs several): both attempts fail
    and neither server process is left running."""
    script = textwrap.dedent(
        """
        import psutil
        from flows.hosted import ServerStartError, start_temporary_server
        try:
            start_temporary_server()
        except ServerStartError as exc:
            print("error:", exc)
        print("children:", [p.pid for p in psutil.Process().children() if p.is_running()
                            and p.status() != psutil.STATUS_ZOMBIE])
        """
    )
    env = {**os.environ, "PREFECT_HOME": str(tmp_path), "PREFECT_API_URL": "",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert "error: Prefect's temporary server did not start within 1 s, 2 attempts" in out.stdout
    assert "children: []" in out.stdout, out.stdout + out.stderr
