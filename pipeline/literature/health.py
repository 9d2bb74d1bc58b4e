"""Per run: a circuit breaker for each service and one time budget for all HTTP work.

A dead service must not stall a run: without this, every reference started a fresh set of
retries (one reference against a hanging service: 20 requests, 83 s; the corpus has 176).
A *service* is an origin (``scheme://host:port``): Europe PMC and NCBI behind one mirror
fail together. After ``give_up_after`` consecutive failed requests, or failures without a
success for ``give_up_after_s`` (a hanging service costs a whole timeout per request), the
service is given up for the rest of the run: its calls raise :class:`ServiceGivenUp`
without sending anything. Once the run's HTTP work (expansion and watch together, timed
with :meth:`ServiceHealth.working`, so NLP between batches does not count) has taken
``budget_s`` seconds, every call raises :class:`BudgetSpent`. Either way the work
not done is *deferred*: recorded as such and retried by the next run.

One object per run, shared by every :class:`~pipeline.literature.http.PoliteClient` of
that run (the flow builds one client per batch).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipeline.config import Settings
from pipeline.literature.errors import BudgetSpent, ServiceGivenUp


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class _Streak:
    failures: int = 0
    since: float = 0.0  # when the first failed request of the streak was sent


class ServiceHealth:
    """Breakers per service and the run's time budget (see the module docstring)."""

    def __init__(
        self,
        give_up_after: int = 5,
        give_up_after_s: float = 60.0,
        budget_s: float = 1800.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.give_up_after = max(1, give_up_after)
        self.give_up_after_s = give_up_after_s
        self.budget_s = budget_s
        self._clock = clock
        self._spent = 0.0  # seconds of finished work
        self._since: float | None = None  # start of the work in progress
        self.budget_refused = False  # something was not asked because the budget was spent
        self._streaks: dict[str, _Streak] = {}
        self.given_up: dict[str, str] = {}  # service -> why, in the order they were given up
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> ServiceHealth:
        return cls(
            settings.http_give_up_after, settings.http_give_up_after_s, settings.http_budget_s
        )

    @contextmanager
    def working(self) -> Iterator[None]:
        """Time spent inside counts against the budget (re-entrant calls count once)."""
        if self._since is not None:
            yield
            return
        self._since = self._clock()
        try:
            yield
        finally:
            self._spent += self._clock() - self._since
            self._since = None

    def remaining_s(self) -> float:
        running = self._clock() - self._since if self._since is not None else 0.0
        return self.budget_s - self._spent - running

    @property
    def budget_spent(self) -> bool:
        return self.remaining_s() <= 0

    def budget_message(self) -> str:
        return f"HTTP time budget of {self.budget_s:g} s (ADCM_HTTP_BUDGET_S) spent"

    def check(self, url: str) -> None:
        """Raise if a request to ``url`` must not be sent now."""
        service = origin(url)
        if service in self.given_up:
            raise ServiceGivenUp(f"{service} given up in this run")
        if self.budget_spent:
            self.budget_refused = True
            raise BudgetSpent(self.budget_message())

    def succeeded(self, url: str) -> None:
        with self._lock:
            self._streaks.pop(origin(url), None)

    def failed(self, url: str, problem: str, sent_at: float) -> bool:
        """Count a failed request (sent at ``sent_at`` on this clock); True if that gave
        the service up."""
        service = origin(url)
        with self._lock:
            streak = self._streaks.setdefault(service, _Streak(since=sent_at))
            streak.failures += 1
            failing_for = self._clock() - streak.since
            if streak.failures < self.give_up_after and failing_for < self.give_up_after_s:
                return False
            self.given_up[service] = (
                f"{streak.failures} consecutive failures in {failing_for:.0f} s, last: {problem}"
            )
            return True

    def now(self) -> float:
        return self._clock()

    def mark(self) -> tuple[int, bool]:
        """Where :meth:`problems` starts counting: what is already known now."""
        return len(self.given_up), self.budget_refused

    def problems(self, since: tuple[int, bool] = (0, False)) -> list[str]:
        """One line per service given up, and one if the budget stopped work (since a
        :meth:`mark`: a batch reports only what happened during it)."""
        n, refused = since
        lines = [
            f"{service} given up for the rest of the run after {why}"
            for service, why in list(self.given_up.items())[n:]
        ]
        if self.budget_refused and not refused:
            lines.append(self.budget_message())
        return lines
