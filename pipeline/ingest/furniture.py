"""Page furniture: the lines of a web capture that are not the document.

Rules are keyed on recognisable furniture patterns, never on a file name: widget labels
("Download citation", "AI Summary"), access counters (a bare number on its own line),
language switchers ("en-GBde-DEes-ESfr-FR"), interface strings in another script
(CJK login widgets), pagination arrows and lone punctuation. Each rule has a name so
the run report can say how many lines each rule removed.
"""

from __future__ import annotations

import re
import unicodedata

# Whole-line widget labels of journal and news sites (compared case-insensitively, stripped).
WIDGET_LABELS = frozenset(
    s.lower()
    for s in (
        "PDF",
        "Author information +",
        "History +",
        "Cite this article",
        "review-article",
        "research-article",
        "Accesses",
        "Citation",
        "Citations",
        "Detail",
        "Sections",
        "Recommended",
        "Share",
        "Export citation",
        "Full text",
        "Abstract views",
        "Download",
        "Metrics",
        "Article metrics",
        "Altmetric",
        "Open in new tab",
        "Back to top",
    )
)
_WIDGET_PREFIXES = ("download citation", "ai summary", "ai mindmap", "cited by")
_LOCALE_SWITCHER = re.compile(r"^(?:[a-z]{2}-[A-Z]{2}\s*){2,}$")
_COUNTER = re.compile(r"^[\d.,\s]+$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def is_mostly_symbols(line: str) -> bool:
    """No letter or digit at all: "/", "|", "〈 |", bullets, rules."""
    return not any(unicodedata.category(c)[0] in "LN" for c in line)


def furniture_rule(line: str) -> str | None:
    """Name of the furniture rule matching this (stripped) line, or None if it is content."""
    s = line.strip()
    if not s:
        return None
    low = s.lower()
    if low in WIDGET_LABELS or low.startswith(_WIDGET_PREFIXES):
        return "widget label"
    if _LOCALE_SWITCHER.match(s):
        return "language switcher"
    if _COUNTER.match(s):
        return "access counter"
    n_cjk = len(_CJK.findall(s))
    if n_cjk and n_cjk >= 0.3 * len(s.replace(" ", "")):
        return "non-English interface string"
    if is_mostly_symbols(s):
        return "lone symbols"
    return None
