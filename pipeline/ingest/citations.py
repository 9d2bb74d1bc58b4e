"""In-text numeric citations: ``[12]``, ``[38,39]``, ``[3–5]``, ``[1,3-5]`` -> reference numbers."""

from __future__ import annotations

import re

_DASH = "-–—‒"
CITATION = re.compile(
    rf"\[(\s*\d{{1,4}}(?:\s*[{_DASH}]\s*\d{{1,4}})?(?:\s*[,;]\s*\d{{1,4}}(?:\s*[{_DASH}]\s*\d{{1,4}})?)*\s*)\]"
)
# A range wider than this is not a citation range (e.g. "[2000-2020]").
MAX_RANGE = 60


def expand_marker(inner: str) -> list[int]:
    """'1,3–5' -> [1, 3, 4, 5]; an implausible range raises ValueError."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", inner.strip()):
        bounds = re.split(rf"\s*[{_DASH}]\s*", part)
        if len(bounds) == 1:
            numbers.append(int(bounds[0]))
            continue
        lo, hi = int(bounds[0]), int(bounds[1])
        if hi < lo or hi - lo > MAX_RANGE:
            raise ValueError(f"implausible citation range {part!r}")
        numbers.extend(range(lo, hi + 1))
    seen: set[int] = set()
    return [n for n in numbers if not (n in seen or seen.add(n))]


def find_citations(text: str) -> list[tuple[str, list[int]]]:
    """(marker as written, cited numbers) for each citation bracket in ``text``."""
    out = []
    for m in CITATION.finditer(text):
        try:
            numbers = expand_marker(m.group(1))
        except ValueError:
            continue
        if numbers and all(0 < n < 10000 for n in numbers):
            out.append((m.group(0), numbers))
    return out
