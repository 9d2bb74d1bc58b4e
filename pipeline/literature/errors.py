"""Why an HTTP call to a scholarly service ended without a usable response."""

from __future__ import annotations


class LiteratureHttpError(Exception):
    """Base class: a request that ended without a usable response."""


class HttpError(LiteratureHttpError):
    """A non-retryable HTTP status (4xx other than 429), or retries exhausted on 429/5xx."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RequestTimedOut(LiteratureHttpError):
    """Every attempt timed out while reading the response."""


class NetworkUnavailable(LiteratureHttpError):
    """The service cannot be reached at all (DNS, refused connection, connect timeout)."""


class NotCached(LiteratureHttpError):
    """Offline mode (or network down) and the response is not in the cache."""


class BadResponse(LiteratureHttpError):
    """HTTP 200 but the body is not what the API documents (malformed JSON, error object)."""


class Deferred(LiteratureHttpError):
    """Not asked in this run; the next run asks again (see :mod:`.health`)."""


class ServiceGivenUp(Deferred):
    """The service failed too often in this run; it is not asked again until the next."""


class BudgetSpent(Deferred):
    """The run's HTTP time budget is spent; the rest waits for the next run."""
