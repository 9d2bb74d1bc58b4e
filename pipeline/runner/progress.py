"""Progress of a long step: a bar on a terminal, plain log lines otherwise.

On a terminal, tqdm (already installed with spaCy) draws the bar: it keeps the rate and
ETA smoothed, fits the terminal width and redraws in place, which is more than a few
lines to get right. Anywhere else (a log file, CI, Prefect's logs) a bar is noise, so the
step logs ``label: done/total unit (pct%, seconds)`` at most every ``every_s`` seconds,
and once at the end either way.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO


class Progress:
    """``step()`` after each unit of work, ``close()`` at the end (or use ``with``)."""

    def __init__(
        self,
        label: str,
        total: int,
        unit: str,
        log: logging.Logger,
        every_s: float = 10.0,
        stream: TextIO | None = None,
    ):
        self.label, self.total, self.unit, self.log = label, total, unit, log
        self.every_s = every_s
        self.done = 0
        self._started = self._last = time.monotonic()
        stream = stream or sys.stderr
        self.mode = "bar" if stream.isatty() else "lines"
        self._closed = False
        self._bar: Any = None
        if self.mode == "bar" and total > 0:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit=f" {unit}", file=stream, leave=False)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last >= self.every_s and self.done < self.total:
            self._last = now
            self._line()

    def _line(self) -> None:
        pct = 100 * self.done / self.total if self.total else 100.0
        elapsed = time.monotonic() - self._started
        self.log.info("%s: %d/%d %s (%.0f%%, %.0f s)", self.label, self.done, self.total,
                      self.unit, pct, elapsed)  # fmt: skip

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._bar is not None:
            self._bar.close()
        if self.total:
            self._line()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
