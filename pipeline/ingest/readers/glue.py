"""Undo text that a web capture glued together.

Headings and figure captions lose their line breaks when a page is flattened:
"...before receiving ADCs.From Binding to Cell Death", "(SG).Structural EvolutionThe
figure highlights...", "Fig 1 Literature AnalysisA recent extensive review...". The
signature is a short Title-Case phrase that starts right after sentence punctuation and
ends where a capital letter follows a lower-case one without a space (or at the end of
the line). We only split there, so ordinary sentences are never cut.
"""

from __future__ import annotations

import re

_CAPW = r"[A-Z][a-z]+(?:-[A-Za-z]+)*"
_WORD = rf"(?:{_CAPW}|[A-Z]{{2,}}s?|of|to|in|the|and|for|on|from|with|a|an|by|vs|at|into)"
# heading = 2..9 words, first and last capitalised; the last has 3+ letters ("Those with
# BrM and/or LMD" is a sentence: "Br" is the start of an abbreviation, not a heading's end)
_LAST = r"[A-Z][a-z]{2,}(?:-[A-Za-z]+)*"
_HEAD = rf"{_CAPW}(?: {_WORD}){{0,7}} {_LAST}"
# The match starts at the punctuation (a space may follow it, not a colon): a pattern
# opening with a character class is scanned ~9x faster than one opening with lookbehinds,
# which ``re`` tries at every position (split_glued was a tenth of an abstract's ingest).
# It ends where a lower-case letter (or a digit) meets a capital: "Dato-D|Xd" is a word.
GLUED_HEADING = re.compile(
    rf"[.!?)”\":](?:(?<!:)\s)?(?P<head>{_HEAD})(?P<digits>\d{{0,2}})(?:(?<=[a-z0-9])(?=[A-Z])|$)",
    re.M,
)
_LEAD_CAPTION = re.compile(
    rf"^(?P<cap>(?:Fig(?:ure)?\.?)\s*\d+[A-Za-z]?\.?\s+{_CAPW}(?: {_WORD}){{0,12}}?(?: {_CAPW})?)"
    r"(?=[A-Z][a-z ]|$)"
)
CAPTION_LINE = re.compile(r"^(?:Fig(?:ure)?\.?)\s*\d+[A-Za-z]?\.?\s+[A-Z]")
# An all-caps site label glued in front of a sentence: "NEWSUnderstanding these ...".
_GLUED_LABEL = re.compile(r"^(?P<label>[A-Z]{3,})(?=[A-Z][a-z])")
_TERMINAL = tuple('.!?”"')


def split_caption(line: str) -> tuple[str, str] | None:
    """("Fig 1 Literature Analysis", "A recent ...") for a caption glued to body text.

    A line that starts with "Fig N Capitalised" and has no sentence punctuation is all
    caption; one whose caption part ends in a lower->upper junction is split there.
    """
    if not CAPTION_LINE.match(line):
        return None
    if not line.rstrip().endswith(_TERMINAL) and len(line) < 300:
        return line.strip(), ""
    m = _LEAD_CAPTION.match(line)
    if m and m.end() < len(line) and line[m.end() - 1].islower():
        return m.group("cap").strip(), line[m.end() :].strip()
    return None


def split_glued(line: str) -> list[tuple[str, str]]:
    """[("body"|"heading"|"label", text), ...] for one line, in order."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in GLUED_HEADING.finditer(line):
        before = line[pos : m.start() + 1].strip()  # with its punctuation
        if before:
            out.append(("body", before))
        out.append(("heading", m.group("head")))
        if m.group("digits"):
            out.append(("label", m.group("digits")))
        pos = m.end()
    rest = line[pos:].strip()
    if rest:
        out.append(("body", rest))
    # a glued site label at the start of a body segment ("NEWSUnderstanding")
    fixed: list[tuple[str, str]] = []
    for kind, text in out:
        if kind == "body" and (m := _GLUED_LABEL.match(text)):
            fixed.append(("label", m.group("label")))
            text = text[m.end() :]
        fixed.append((kind, text))
    return fixed


def looks_like_heading(line: str) -> bool:
    """A short line without sentence punctuation: "The Evolution of ADC Design", "Conclusion"."""
    words = line.split()
    return (
        0 < len(words) <= 10
        and line[0].isupper()
        and not line.endswith(tuple('.!?,;:”"'))
        and not CAPTION_LINE.match(line)
    )
