"""The one HTTP client for scholarly APIs: polite, cached, and with exactly one retry layer.

Why one class: every request to Europe PMC or NCBI must carry a descriptive User-Agent,
respect a rate limit, time out, retry the failures worth retrying, and be remembered so
that a refresh asks only for what it has not seen. Spreading that over urllib3 ``Retry``,
Prefect task retries and ad-hoc loops stacks the retry layers (3 x 3 x 3 attempts against
an overloaded server). Here the transport adapter never retries (``max_retries=0``) and
callers (Prefect tasks included) must not retry a call of this client either.

Order of one ``get``:

1. look in the persistent cache (requests-cache, SQLite) with ``only_if_cached``; a hit
   costs no request and no rate-limit slot;
2. offline mode, or the network already found unreachable in this run: raise
   :class:`NotCached` / :class:`NetworkUnavailable` instead of sending;
3. the service given up in this run, or the run's HTTP time budget spent
   (:mod:`.health`): raise :class:`ServiceGivenUp` / :class:`BudgetSpent` instead of sending;
4. otherwise wait for the rate limiter, send with a timeout, and retry with exponential
   backoff + jitter on timeouts, connection errors, 429 (``Retry-After`` in seconds or as
   an HTTP date is honoured) and 5xx; other 4xx fail at once (:class:`HttpError`). Every
   request that brings no answer (all but 2xx and 404) counts towards giving the service up,
   which also ends the retries.

Only HTTP 200 responses are stored; a 200 whose body is not what the caller expected is
removed again with :meth:`PoliteClient.forget`, so a later run asks again.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter
from requests_cache import NEVER_EXPIRE, CachedSession

from pipeline.config import Settings
from pipeline.literature.errors import (  # noqa: F401  (re-exported: callers import them here)
    BadResponse,
    BudgetSpent,
    Deferred,
    HttpError,
    LiteratureHttpError,
    NetworkUnavailable,
    NotCached,
    RequestTimedOut,
    ServiceGivenUp,
)
from pipeline.literature.health import ServiceHealth, origin

log = logging.getLogger(__name__)
T = TypeVar("T")

TOOL_NAME = "adc-resistance-miner"
TOOL_VERSION = "0.1.0"
PROJECT_URL = "https://github.com/adc-resistance-miner"
# Identifying parameters that must not split the cache (a new contact address is the same query).
_NOT_IN_CACHE_KEY = ["email", "tool", "api_key"]


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class RateLimiter:
    """Thread-safe minimum interval between requests: never more than ``rate_per_s`` a second.

    Each caller reserves the next free slot under a lock and sleeps outside it, so parallel
    threads queue up instead of bursting.
    """

    def __init__(self, rate_per_s: float, clock: Callable[[], float] = time.monotonic):
        if rate_per_s <= 0:
            raise ValueError(f"rate_limit_per_s must be > 0, got {rate_per_s}")
        self.interval = 1.0 / rate_per_s
        self._clock = clock
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        delay = slot - now
        if delay > 0:
            time.sleep(delay)


@dataclass
class ClientStats:
    """Counts for the run summary: how much was asked of the network vs the cache."""

    network_requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    not_cached: int = 0


def user_agent(contact_email: str) -> str:
    """Descriptive User-Agent: tool, version, project page and a contact address (NCBI asks)."""
    return f"{TOOL_NAME}/{TOOL_VERSION} (+{PROJECT_URL}; mailto:{contact_email})"


class PoliteClient:
    """GET JSON/text from scholarly APIs politely; see the module docstring for the policy."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        health: ServiceHealth | None = None,
    ):
        self.settings = settings
        # shared with the run's other clients when given: breakers and time budget per run
        self.health = health or ServiceHealth.from_settings(settings)
        self.timeout = settings.http_timeout_s
        self.max_retries = max(0, settings.http_max_retries)
        self.backoff_s = settings.http_backoff_s
        self.backoff_max_s = settings.http_backoff_max_s
        self.offline = settings.offline
        self.network_down = ""  # reason, once the network was found unreachable in this run
        self.stats = ClientStats()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._limiter = RateLimiter(settings.rate_limit_per_s)
        settings.http_cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.session = CachedSession(
            str(settings.http_cache_path),
            backend="sqlite",
            expire_after=NEVER_EXPIRE,
            allowable_codes=(200,),
            allowable_methods=("GET",),
            ignored_parameters=_NOT_IN_CACHE_KEY,
            match_headers=False,
            stale_if_error=False,
        )
        # The single retry layer is ours: the transport must not retry on its own.
        adapter = HTTPAdapter(max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers["User-Agent"] = user_agent(settings.contact_email)
        self.session.headers["Accept-Encoding"] = "gzip, deflate"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ---------------------------------------------------------------------------

    def get_json(
        self, url: str, params: Mapping[str, Any], parse: Callable[[Any], T] | None = None
    ) -> Any:
        """GET, decode JSON and (optionally) ``parse`` it; see :meth:`get_text` for ``parse``."""
        response = self.get(url, params)
        try:
            data = response.json()
        except (json.JSONDecodeError, ValueError) as exc:
            self.forget(response)
            raise BadResponse(
                f"malformed JSON from {_short(response.url)}: {exc} "
                f"(body starts {response.text[:80]!r})"
            ) from exc
        return self._parsed(response, data, parse)

    def get_text(
        self, url: str, params: Mapping[str, Any], parse: Callable[[str], T] | None = None
    ) -> Any:
        """GET the body as text; ``parse`` raising :class:`BadResponse` un-caches the response.

        A 200 carrying an error object (Europe PMC's ``errCode``, NCBI's ``ERROR``) or
        broken XML must not be served from the cache on the next run.
        """
        response = self.get(url, params)
        return self._parsed(response, response.text, parse)

    def _parsed(self, response: requests.Response, data: Any, parse: Callable | None) -> Any:
        if parse is None:
            return data
        try:
            return parse(data)
        except BadResponse:
            self.forget(response)
            raise

    def forget(self, response: requests.Response) -> None:
        """Drop a stored response whose body turned out unusable, so a later run asks again."""
        key = getattr(response, "cache_key", None)
        if key:
            self.session.cache.delete(key)
        elif response.request is not None:
            self.session.cache.delete(requests=[response.request])

    def get(self, url: str, params: Mapping[str, Any]) -> requests.Response:
        """A 200 response from the cache or the network; raises a ``LiteratureHttpError``."""
        cached = self.session.get(url, params=dict(params), only_if_cached=True)
        if not (cached.status_code == 504 and cached.reason == "Not Cached"):
            self.stats.cache_hits += 1
            return cached
        if self.offline or self.network_down:
            self.stats.not_cached += 1
            why = "offline mode" if self.offline else f"network unreachable ({self.network_down})"
            raise NotCached(f"{why}: not in the HTTP cache: {_short(cached.url)}")
        return self._fetch(url, params)

    # -- internals ------------------------------------------------------------------------

    def _fetch(self, url: str, params: Mapping[str, Any]) -> requests.Response:
        health = self.health
        for attempt in range(self.max_retries + 1):
            health.check(url)  # given up / budget spent: raise before sending
            if attempt:
                self.stats.retries += 1
            self._limiter.wait()
            self.stats.network_requests += 1
            sent_at = health.now()
            try:
                response = self.session.get(url, params=dict(params), timeout=self.timeout)
            except requests.exceptions.ConnectionError as exc:
                # Includes ConnectTimeout: nothing reached the server.
                problem = f"connection failed: {type(exc).__name__}"
                if self._again(attempt, None, problem, url, sent_at):
                    continue
                self.network_down = problem
                log.warning("network unreachable (%s): %s", _short(url), problem)
                raise NetworkUnavailable(f"{problem} for {_short(url)}") from exc
            except requests.exceptions.Timeout as exc:
                problem = f"timed out after {self.timeout:g} s"
                if self._again(attempt, None, problem, url, sent_at):
                    continue
                raise RequestTimedOut(f"{problem} ({attempt + 1} attempts): {_short(url)}") from exc
            except requests.exceptions.RequestException as exc:
                # e.g. ChunkedEncodingError: the server hung up mid-body. Transient, retried.
                problem = f"broken response: {type(exc).__name__}"
                if self._again(attempt, None, problem, url, sent_at):
                    continue
                raise HttpError(f"{problem} ({attempt + 1} attempts): {_short(url)}") from exc
            status = response.status_code
            if status == 200 or status == 404:  # 404: an answer ("no such record")
                health.succeeded(url)
            if status == 200:
                return response
            if status == 429 or status >= 500:
                problem = f"HTTP {status}"
                wait = parse_retry_after(response.headers.get("Retry-After"))
                if wait is not None and wait > self.backoff_max_s:
                    health.failed(url, problem, sent_at)
                    raise HttpError(
                        f"HTTP {status}: server asks to wait {wait:.0f} s "
                        f"(> {self.backoff_max_s:g} s): {_short(response.url)}",
                        status,
                    )
                if self._again(attempt, wait, problem, url, sent_at):
                    continue
                raise HttpError(
                    f"HTTP {status} after {attempt + 1} attempts: {_short(response.url)}", status
                )
            if status != 404:
                health.failed(url, f"HTTP {status}", sent_at)
            raise HttpError(f"HTTP {status} (not retried): {_short(response.url)}", status)
        raise AssertionError("unreachable")  # pragma: no cover

    def _again(
        self, attempt: int, retry_after: float | None, problem: str, url: str, sent_at: float
    ) -> bool:
        """Count the failure; back off and return True if another attempt is worth making.

        No retry once the service is given up (the caller raises this failure; later calls
        raise :class:`ServiceGivenUp`), nor when the backoff would outlast the time budget.
        """
        if self.health.failed(url, problem, sent_at):
            log.warning("%s given up for the rest of this run: %s", origin(url),
                        self.health.given_up[origin(url)])  # fmt: skip
            return False
        if attempt >= self.max_retries:
            return False
        return self._backoff(attempt, retry_after, problem, url)

    def _backoff(self, attempt: int, retry_after: float | None, problem: str, url: str) -> bool:
        """Exponential backoff with (equal) jitter; a server's Retry-After is a floor.
        False (no wait) if the wait would end after the run's time budget."""
        ceiling = min(self.backoff_max_s, self.backoff_s * (2**attempt))
        delay = self._rng.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            delay = max(delay, retry_after)
        if delay >= self.health.remaining_s():
            self.health.budget_refused = True
            return False
        log.info("%s from %s; retry %d in %.2f s", problem, _short(url), attempt + 1, delay)
        self._sleep(delay)
        return True


def _short(url: str | None) -> str:
    """A URL for messages: API keys redacted, length capped."""
    url = re.sub(r"(api_key=)[^&]+", r"\1***", url or "")
    return url if len(url) <= 160 else url[:157] + "..."
