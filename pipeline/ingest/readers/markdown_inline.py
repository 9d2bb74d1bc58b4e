"""Inline markdown/LaTeX left by a PDF-to-markdown conversion, reduced to plain text."""

from __future__ import annotations

import re

GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "sigma": "σ",
    "tau": "τ",
    "omega": "ω",
}
_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_LATEX_CMD = re.compile(r"\\([a-zA-Z]+)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_SUPERSCRIPT = re.compile(r"\^\{[^}]*\}")
_SPACED_ORDINAL = re.compile(r"\b(\d+) (st|nd|rd|th)\b")
# A capital-letter abbreviation separated from its Greek suffix by a space: "FR α" -> "FRα".
_SPACED_GREEK = re.compile(r"\b([A-Z]{1,5}) ([α-ω])(?![\w])")
# Necessary for a match of the two above and ~5x faster to scan for: a pattern opening
# with ``\b`` is tried at every position, one opening with a character class is not.
_ORDINAL_HINT = re.compile(r"\d (?:st|nd|rd|th)\b")
_GREEK_HINT = re.compile("[α-ω]")


def _math(m: re.Match[str]) -> str:
    body = _LATEX_CMD.sub(lambda c: GREEK.get(c.group(1), c.group(1)), m.group(1))
    return body.replace("{", "").replace("}", "").replace(" ", "")


def strip_inline(text: str) -> str:
    """``text`` without its inline markdown/LaTeX. Each rewrite runs only when a string
    every match needs occurs: most lines have none, and a regex pass over a paragraph
    is not free (a fifth of an abstract's ingest went here, profiled)."""
    s = _MATH.sub(_math, text) if "$" in text else text
    if "](" in s:
        s = _LINK.sub(lambda m: m.group(1) if m.group(2) not in ("#", "") else "", s)
    if "<" in s:
        s = _ANGLE_URL.sub(r"\1", s)
    if "*" in s:
        s = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", s))
    if "^{" in s:
        s = _SUPERSCRIPT.sub("", s)
    if "\\" in s:
        s = s.replace("\\(", "(").replace("\\)", ")")
    if _ORDINAL_HINT.search(s):
        s = _SPACED_ORDINAL.sub(r"\1\2", s)
    if _GREEK_HINT.search(s):
        s = _SPACED_GREEK.sub(r"\1\2", s)
    return s
