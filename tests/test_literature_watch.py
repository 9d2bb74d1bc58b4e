"""Literature watch: FIRST_PDATE window, cursor paging, state, and failures mid-way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from test_literature_http import make_settings
from werkzeug import Request, Response

from pipeline.literature.watch import read_last_watch, watch_literature, write_last_watch

FIX = Path(__file__).parent / "fixtures" / "http"
PAGES = {
    "*": "epmc_watch_page1.json",
    "AoJwatchcursor2": "epmc_watch_page2.json",
    "AoJwatchcursor3": "epmc_watch_page3.json",
}
TODAY = date(2026, 11, 21)


def install(httpserver, fail_cursor: str = ""):
    def handler(request: Request) -> Response:
        cursor = request.args["cursorMark"]
        if cursor == fail_cursor:
            return Response("{}", status=503)
        return Response(
            (FIX / PAGES[cursor]).read_text(encoding="utf-8"), mimetype="application/json"
        )

    httpserver.expect_request("/europepmc/webservices/rest/search").respond_with_handler(handler)


def test_watch_pages_through_new_papers(httpserver, tmp_path):
    install(httpserver)
    settings = make_settings(tmp_path, httpserver, watch_page_size=2)
    result = watch_literature(settings, since=date(2026, 11, 10), today=TODAY)
    query = httpserver.log[0][0].args["query"]
    assert query.endswith("AND FIRST_PDATE:[2026-11-10 TO 2026-11-21]")
    assert query.startswith('(("antibody-drug conjugate" OR')
    assert len(httpserver.log) == 3 and result.complete
    assert (result.hit_count, result.papers_seen, result.without_abstract) == (5, 5, 1)
    assert len(result.documents) == 4
    doc = result.documents[0]
    assert doc.document.kind == "abstract" and doc.references[0].pmid.startswith("9100000")
    assert result.problems == []


def test_watch_since_comes_from_state_or_first_run_window(httpserver, tmp_path):
    install(httpserver)
    settings = make_settings(tmp_path, httpserver, watch_page_size=2, watch_first_run_days=30)
    assert read_last_watch(settings) is None
    result = watch_literature(settings, today=TODAY)
    assert result.since == "2026-10-22"
    write_last_watch(settings, date.fromisoformat(result.until))
    assert read_last_watch(settings) == TODAY
    later = watch_literature(settings, today=date(2026, 11, 28))
    assert later.since == "2026-11-21"


def test_watch_failure_mid_way_keeps_what_it_has(httpserver, tmp_path):
    install(httpserver, fail_cursor="AoJwatchcursor3")
    settings = make_settings(tmp_path, httpserver, watch_page_size=2, http_max_retries=1)
    result = watch_literature(settings, since=date(2026, 11, 10), today=TODAY)
    assert not result.complete
    assert len(result.documents) == 3  # pages 1 and 2 (one paper there has no abstract)
    assert len(result.problems) == 1 and "HTTP 503" in result.problems[0].message

    # Next run: pages 1-2 come from the cache, only page 3 is asked for.
    httpserver.clear()
    install(httpserver)
    again = watch_literature(settings, since=date(2026, 11, 10), today=TODAY)
    assert again.complete and len(again.documents) == 4
    assert [r.args["cursorMark"] for r, _ in httpserver.log] == ["AoJwatchcursor3"]


def test_watch_offline_without_cache_reports_and_returns_nothing(httpserver, tmp_path):
    settings = make_settings(tmp_path, httpserver, offline=True)
    result = watch_literature(settings, since=date(2026, 11, 10), today=TODAY)
    assert result.documents == [] and not result.complete
    assert "offline mode" in result.problems[0].message
    assert len(httpserver.log) == 0
