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


def _math(m: re.Match[str]) -> str:
    body = _LATEX_CMD.sub(lambda c: GREEK.get(c.group(1), c.group(1)), m.group(1))
    return body.replace("{", "").replace("}", "").replace(" ", "")


def strip_inline(text: str) -> str:
    s = _MATH.sub(_math, text)
    s = _LINK.sub(lambda m: m.group(1) if m.group(2) not in ("#", "") else "", s)
    s = _ANGLE_URL.sub(r"\1", s)
    s = _BOLD.sub(r"\1", s)
    s = _ITALIC.sub(r"\1", s)
    s = _SUPERSCRIPT.sub("", s)
    s = s.replace("\\(", "(").replace("\\)", ")")
    s = _SPACED_ORDINAL.sub(r"\1\2", s)
    s = _SPACED_GREEK.sub(r"\1\2", s)
    return s
