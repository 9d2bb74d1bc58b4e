"""Dead services: a circuit breaker per service and one HTTP time budget per run.

The services are a tiny threaded HTTP server on 127.0.0.1 that answers 500 to everything,
hangs past the client's timeout, or answers slowly; the corpus is the real one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from test_literature_expansion import R_DOI, R_PMCID, R_PMID, install
from test_literature_http import make_settings

from pipeline.commands.cli import main
from pipeline.literature.expansion import expand_references
from pipeline.literature.health import ServiceHealth


class FaultServer(ThreadingHTTPServer):
    """Counts requests; ``mode`` is "500" or "hang" (until the server closes)."""

    daemon_threads = True

    def __init__(self, mode: str):
        self.mode, self.requests, self.released = mode, 0, threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        server: FaultServer = self.server  # type: ignore[assignment]
        server.requests += 1
        if server.mode == "hang":
            server.released.wait(600)
            return
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fault_server(request) -> Iterator[FaultServer]:
    server = FaultServer(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize("fault_server", ["500", "hang"], indirect=True)
def test_expand_against_a_dead_service_gives_it_up_and_keeps_every_reference(
    fault_server: FaultServer, monkeypatch, tmp_path, capsys
) -> None:
    """Issue 18's case, with the default HTTP settings (20 s timeout, 4 retries): 110
    reference slots of the corpus, 43 of them filled."""
    for var in ("ADCM_EUROPEPMC_BASE_URL", "ADCM_NCBI_BASE_URL"):
        monkeypatch.setenv(var, fault_server.url + "/api")
    for var in ("ADCM_HTTP_CACHE_PATH", "ADCM_OFFLINE", "ADCM_HTTP_TIMEOUT_S"):
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(["expand", "--corpus", "corpus", "--out", str(out), "--max-references", "110"])
    elapsed = time.monotonic() - started
    printed = capsys.readouterr().out
    assert code == 4 and "expand: completed with problems" in printed
    assert elapsed < 90 and fault_server.requests <= 25, (elapsed, fault_server.requests)
    assert f"{fault_server.url} given up for the rest of the run" in printed
    refs = pd.read_csv(out / "references_resolved.csv", keep_default_na=False, dtype=str)
    tried = refs[refs["resolution_status"] != ""]
    assert len(tried) == 110 and (tried["filled"] == "True").sum() == 43
    filled = tried[tried["filled"] == "True"]
    # nothing settled, nothing lost: one failed (the call that gave the service up), the
    # rest deferred to the next run
    assert set(filled["resolution_status"]) <= {"error", "deferred"}
    assert (filled["resolution_status"] == "deferred").sum() >= 41
    assert (tried[tried["filled"] == "False"]["resolution_message"] == "empty slot").all()
    assert len(refs) > 200  # every slot of the corpus is still listed


def test_breaker_opens_after_n_failures_and_a_success_resets_it() -> None:
    now = [0.0]
    health = ServiceHealth(give_up_after=3, give_up_after_s=60, clock=lambda: now[0])
    url = "http://a.example/x"
    assert not health.failed(url, "HTTP 500", 0.0)
    assert not health.failed(url, "HTTP 500", 0.0)
    health.succeeded(url)  # the streak starts again
    assert not health.failed(url, "HTTP 500", 0.0)
    assert not health.failed(url, "HTTP 500", 0.0)
    health.check("http://b.example/y")  # another service is not affected
    assert health.failed(url, "HTTP 503", 0.0)
    with pytest.raises(Exception, match="a.example given up"):
        health.check(url + "?other")
    assert health.problems() == [
        "http://a.example given up for the rest of the run after 3 consecutive failures "
        "in 0 s, last: HTTP 503"
    ]


def test_breaker_opens_after_failing_for_long_enough() -> None:
    """A hanging service costs a whole timeout per request: time counts, not only failures."""
    now = [0.0]
    health = ServiceHealth(give_up_after=5, give_up_after_s=60, clock=lambda: now[0])
    url = "http://slow.example/"
    for sent in (0.0, 21.0):
        now[0] = sent + 20
        assert not health.failed(url, "timed out after 20 s", sent)
    now[0] = 62.0
    assert health.failed(url, "timed out after 20 s", 42.0)


def test_the_budget_counts_only_http_work() -> None:
    now = [0.0]
    health = ServiceHealth(budget_s=10, clock=lambda: now[0])
    with health.working():
        now[0] = 6.0
    now[0] = 100.0  # NLP between two batches: not HTTP work
    assert health.remaining_s() == 4.0
    with health.working():
        now[0] = 105.0
        assert health.budget_spent
        with pytest.raises(Exception, match="budget of 10 s"):
            health.check("http://a.example/")
    assert health.problems() == ["HTTP time budget of 10 s (ADCM_HTTP_BUDGET_S) spent"]


def test_budget_spent_defers_the_rest_and_the_next_run_asks_only_for_those(
    httpserver, tmp_path
) -> None:
    install(httpserver)
    settings = make_settings(tmp_path, httpserver, http_budget_s=0.0)
    first = expand_references([R_PMCID, R_PMID, R_DOI], settings)
    assert [r.status for r in first.resolved] == ["deferred"] * 3
    assert first.unsettled == 3 and not first.completed and len(httpserver.log) == 0
    assert any("budget" in p.message for p in first.problems)
    assert any("3 references deferred to the next run" in p.message for p in first.problems)

    second = expand_references([R_PMCID, R_PMID, R_DOI], make_settings(tmp_path, httpserver))
    assert [r.status for r in second.resolved] == ["resolved"] * 3 and second.completed


def test_one_health_is_shared_by_the_batches_of_a_run(tmp_path) -> None:
    """A service given up in one batch is not asked again by the next one."""
    server = FaultServer("500")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = make_settings(
            tmp_path, None, europepmc_base_url=server.url + "/e", ncbi_base_url=server.url + "/n",
            http_give_up_after=3, http_max_retries=4,
        )  # fmt: skip
        health = ServiceHealth.from_settings(settings)
        first = expand_references([R_PMCID], settings, health=health)
        assert server.requests == 3 and server.url in health.given_up
        second = expand_references([R_PMID, R_DOI], settings, health=health)
        assert server.requests == 3  # nothing sent
        assert [r.status for r in second.resolved] == ["deferred", "deferred"]
        assert not any("given up" in p.message for p in second.problems)  # said once
        assert any("given up" in p.message for p in first.problems)
    finally:
        server.shutdown()
        server.server_close()
