"""The polite client against a real local HTTP server (pytest-httpserver), never the internet."""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime

import pytest
from werkzeug import Request, Response

from pipeline.config import Settings
from pipeline.literature.http import (
    BadResponse,
    HttpError,
    NetworkUnavailable,
    NotCached,
    PoliteClient,
    RequestTimedOut,
    parse_retry_after,
)


def make_settings(tmp_path, httpserver=None, **overrides) -> Settings:
    base = httpserver.url_for("/") if httpserver else "http://127.0.0.1:9/"
    values = dict(
        out_dir=tmp_path,
        http_cache_path=tmp_path / "http_cache.sqlite",
        europepmc_base_url=base + "europepmc/webservices/rest",
        ncbi_base_url=base + "eutils",
        rate_limit_per_s=100.0,
        http_timeout_s=0.4,
        http_max_retries=3,
        http_backoff_s=0.01,
        http_backoff_max_s=2.0,
        contact_email="tester@example.org",
    )
    values.update(overrides)
    return Settings(**values)


def json_response(obj, status=200, headers=None) -> Response:
    return Response(
        json.dumps(obj), status=status, headers=headers or {}, mimetype="application/json"
    )


def sequence_handler(*responses):
    """A handler answering the given responses in turn (the last one repeats)."""
    calls = []

    def handler(request: Request) -> Response:
        calls.append(time.monotonic())
        item = responses[min(len(calls) - 1, len(responses) - 1)]
        return item if isinstance(item, Response) else item()

    handler.calls = calls
    return handler


def test_user_agent_names_the_tool_and_contact(httpserver, tmp_path):
    httpserver.expect_request("/api").respond_with_json({"ok": 1})
    with PoliteClient(make_settings(tmp_path, httpserver)) as client:
        assert client.get_json(httpserver.url_for("/api"), {"q": "x"}) == {"ok": 1}
    request, _ = httpserver.log[0]
    ua = request.headers["User-Agent"]
    assert ua.startswith("adc-resistance-miner/") and "mailto:tester@example.org" in ua


def test_rate_limit_holds_against_the_server(httpserver, tmp_path):
    """Requests per second measured at the server stay at or below the configured rate."""
    stamps: list[float] = []

    def handler(request: Request) -> Response:
        stamps.append(time.monotonic())
        return json_response({"ok": request.args["i"]})

    httpserver.expect_request("/api").respond_with_handler(handler)
    rate = 5.0
    with PoliteClient(make_settings(tmp_path, httpserver, rate_limit_per_s=rate)) as client:
        for i in range(11):
            client.get_json(httpserver.url_for("/api"), {"i": i})
    assert len(stamps) == 11
    # From the 2nd arrival: the 1st also pays for opening the connection (arrives late).
    measured = (len(stamps) - 2) / (stamps[-1] - stamps[1])
    spans = [b - a for a, b in zip(stamps, stamps[4:], strict=False)]
    print(
        f"measured {measured:.2f} req/s (limit {rate}); shortest 5-request span {min(spans):.3f} s"
    )
    assert measured <= rate * 1.05  # arrival jitter on a loaded machine, not a burst
    # No burst: any 5 consecutive requests span ~4 intervals (minus arrival jitter).
    assert min(spans) >= 4 / rate - 0.15


def test_429_honours_retry_after_seconds(httpserver, tmp_path):
    handler = sequence_handler(
        json_response({"error": "slow down"}, 429, {"Retry-After": "1"}), json_response({"ok": 1})
    )
    httpserver.expect_request("/api").respond_with_handler(handler)
    with PoliteClient(make_settings(tmp_path, httpserver)) as client:
        assert client.get_json(httpserver.url_for("/api"), {}) == {"ok": 1}
        assert client.stats.retries == 1
    assert len(handler.calls) == 2
    assert handler.calls[1] - handler.calls[0] >= 0.95  # waited as asked, not the tiny backoff


def test_retry_after_longer_than_the_cap_is_not_waited_for(httpserver, tmp_path):
    httpserver.expect_request("/api").respond_with_response(
        json_response({}, 429, {"Retry-After": "3600"})
    )
    with PoliteClient(make_settings(tmp_path, httpserver)) as client:
        with pytest.raises(HttpError, match="asks to wait 3600"):
            client.get_json(httpserver.url_for("/api"), {})
    assert len(httpserver.log) == 1


def test_parse_retry_after_seconds_and_http_date():
    now = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("Sat, 21 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sat, 21 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_500_then_success(httpserver, tmp_path):
    handler = sequence_handler(
        json_response({}, 500), json_response({}, 503), json_response({"ok": 2})
    )
    httpserver.expect_request("/api").respond_with_handler(handler)
    with PoliteClient(make_settings(tmp_path, httpserver)) as client:
        assert client.get_json(httpserver.url_for("/api"), {}) == {"ok": 2}
        assert client.stats.retries == 2 and client.stats.network_requests == 3


def test_5xx_exhausted_raises_and_is_not_cached(httpserver, tmp_path):
    httpserver.expect_request("/api").respond_with_response(json_response({}, 502))
    settings = make_settings(tmp_path, httpserver, http_max_retries=2)
    with PoliteClient(settings) as client:
        with pytest.raises(HttpError, match="HTTP 502 after 3 attempts"):
            client.get_json(httpserver.url_for("/api"), {})
    assert len(httpserver.log) == 3
    with PoliteClient(make_settings(tmp_path, httpserver, offline=True)) as client:
        with pytest.raises(NotCached):
            client.get_json(httpserver.url_for("/api"), {})


def test_other_4xx_is_not_retried(httpserver, tmp_path):
    httpserver.expect_request("/api").respond_with_response(json_response({}, 404))
    with PoliteClient(make_settings(tmp_path, httpserver)) as client:
        with pytest.raises(HttpError, match="HTTP 404 \\(not retried\\)"):
            client.get_json(httpserver.url_for("/api"), {})
    assert len(httpserver.log) == 1


def test_timeout_then_success(httpserver, tmp_path):
    def slow() -> Response:
        time.sleep(0.5)
        return json_response({"late": True})

    handler = sequence_handler(slow, json_response({"ok": 3}))
    httpserver.expect_request("/api").respond_with_handler(handler)
    with PoliteClient(make_settings(tmp_path, httpserver, http_timeout_s=0.3)) as client:
        assert client.get_json(httpserver.url_for("/api"), {}) == {"ok": 3}
        assert client.stats.retries >= 1


def test_timeouts_exhausted_raise(httpserver, tmp_path):
    def slow(request: Request) -> Response:
        time.sleep(0.35)
        return json_response({"late": True})

    httpserver.expect_request("/api").respond_with_handler(slow)
    settings = make_settings(tmp_path, httpserver, http_timeout_s=0.1, http_max_retries=1)
    with PoliteClient(settings) as client:
        with pytest.raises(RequestTimedOut, match="2 attempts"):
            client.get_json(httpserver.url_for("/api"), {})


def test_unreachable_network_is_detected_once_then_cache_only(httpserver, tmp_path):
    httpserver.expect_request("/api").respond_with_json({"ok": "cached"})
    settings = make_settings(tmp_path, httpserver)
    with PoliteClient(settings) as client:
        client.get_json(httpserver.url_for("/api"), {"k": 1})
    # A port nobody listens on: connection refused.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/api"
    with PoliteClient(settings) as client:
        with pytest.raises(NetworkUnavailable):
            client.get_json(dead, {"k": 2})
        attempts = client.stats.network_requests
        assert attempts == settings.http_max_retries + 1
        with pytest.raises(NotCached, match="network unreachable"):
            client.get_json(dead, {"k": 3})
        assert client.stats.network_requests == attempts  # no further attempt
        # What is cached still answers.
        assert client.get_json(httpserver.url_for("/api"), {"k": 1}) == {"ok": "cached"}


def test_malformed_json_is_reported_and_not_kept(httpserver, tmp_path):
    httpserver.expect_request("/api").respond_with_data(
        '{"hitCount": 3, "resultList": {"result": [', content_type="application/json"
    )
    with PoliteClient(make_settings(tmp_path, httpserver)) as client:
        with pytest.raises(BadResponse, match="malformed JSON"):
            client.get_json(httpserver.url_for("/api"), {})
        with pytest.raises(BadResponse):
            client.get_json(httpserver.url_for("/api"), {})
    assert len(httpserver.log) == 2  # asked again: the broken body was not cached


def test_offline_mode_uses_the_cache_only(httpserver, tmp_path):
    httpserver.expect_request("/api").respond_with_json({"ok": "stored"})
    with PoliteClient(make_settings(tmp_path, httpserver)) as client:
        client.get_json(httpserver.url_for("/api"), {"q": "a", "email": "x@example.org"})
    n = len(httpserver.log)
    offline = make_settings(tmp_path, httpserver, offline=True, contact_email="other@example.org")
    with PoliteClient(offline) as client:
        # The contact address is not part of the cache key.
        assert client.get_json(
            httpserver.url_for("/api"), {"q": "a", "email": "y@example.org"}
        ) == {"ok": "stored"}
        with pytest.raises(NotCached, match="offline mode"):
            client.get_json(httpserver.url_for("/api"), {"q": "b"})
        assert client.stats.cache_hits == 1 and client.stats.not_cached == 1
    assert len(httpserver.log) == n


def test_body_cut_short_is_retried_then_reported(httpserver, tmp_path):
    def cut(request: Request) -> Response:
        r = Response('{"hitCount": 1', mimetype="application/json")
        r.headers["Content-Length"] = "5000"  # promises more than it sends
        return r

    httpserver.expect_request("/api").respond_with_handler(cut)
    settings = make_settings(tmp_path, httpserver, http_max_retries=1, http_timeout_s=2.0)
    with PoliteClient(settings) as client:
        with pytest.raises(HttpError, match="broken response: ChunkedEncodingError"):
            client.get_json(httpserver.url_for("/api"), {})
    assert len(httpserver.log) == 2
