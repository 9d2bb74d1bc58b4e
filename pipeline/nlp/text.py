"""Text normalisation shared by NER and extraction (no spaCy here)."""

from __future__ import annotations

import re

_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—−"} | {"\u00a0": " ", "\u2009": " "})
_FOLDED = re.compile("[" + "".join(chr(c) for c in _DASHES) + "]")


def fold_dashes(text: str) -> str:
    """Unicode dashes -> "-", non-breaking/thin spaces -> " "; the length never changes, so
    offsets into the folded text are offsets into the original.
    (``str.translate`` copies the text character by character: skipped when not needed.)"""
    return text.translate(_DASHES) if _FOLDED.search(text) else text
