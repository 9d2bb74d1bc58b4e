"""Run a function over work units in worker processes, results in input order.

Why not ``nlp.pipe(n_process=N)``: spaCy pickles every Doc back to the parent, and on this
pipeline that made two processes slower than one (bench: 0.41x). Here a worker does all the
per-document work of a unit (ingest, NER, extraction) and returns plain records, so only
rows cross the process boundary. Results come back in the order of the units, which keeps a
parallel run's outputs byte-identical to a serial one.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` where the platform has it: workers start at once and share the parent's
    already loaded spaCy pipeline and tables (copy-on-write); ``spawn`` elsewhere."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def ordered_map(
    fn: Callable[[T], R], units: Iterable[T], n_process: int, in_flight: int | None = None
) -> Iterator[R]:
    """``map(fn, units)`` over ``n_process`` worker processes, yielding in input order.

    At most ``in_flight`` units (default ``2 * n_process``) are submitted and not yet
    consumed, so memory stays bounded by a few units whatever the corpus size. With
    ``n_process <= 1`` it runs in this process, one unit at a time. A worker's exception is
    raised here, with its traceback, when its unit's result is reached.
    """
    if n_process > (os.cpu_count() or 1):
        log.warning("n_process=%d exceeds the %s CPUs of this machine", n_process, os.cpu_count())
    if n_process <= 1:
        yield from map(fn, units)
        return
    limit = in_flight or 2 * n_process
    with ProcessPoolExecutor(max_workers=n_process, mp_context=_context()) as pool:
        pending: deque[Future[R]] = deque()
        for unit in units:
            pending.append(pool.submit(fn, unit))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
