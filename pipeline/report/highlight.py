"""Which characters of an evidence sentence to highlight, and in which role.

Spans are relative to the sentence text: ``(start, end, role)`` with role one of
``drug``, ``mechanism``, ``strategy`` (the triple's slots) or ``entity`` (any other
recognised entity). Mention offsets index the document, so they are shifted by the
sentence's ``char_start`` and checked against the sentence text; a mention whose offsets
do not round-trip is located by its text instead. A slot no mention covers falls back to
a case-insensitive search for the slot's strings, so a report built without the mentions
table still highlights the claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.model import GENERIC_ADC

ROLES = ("drug", "mechanism", "strategy", "entity")
_PRIORITY = {role: i for i, role in enumerate(ROLES)}
_GENERIC_ADC_TERMS = (GENERIC_ADC, "antibody-drug conjugates", "ADCs", "ADC")

Span = tuple[int, int, str]


def _eq(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().lower() == b.strip().lower()


def mention_role(mention: Mapping[str, Any], triple: Mapping[str, Any]) -> str:
    """The slot of ``triple`` a mention stands for, or ``entity``."""
    canonical = str(mention.get("canonical", ""))
    entity_id = str(mention.get("entity_id", ""))
    mtype = str(mention.get("type", ""))
    category = str(mention.get("category", ""))
    drug = str(triple.get("drug", ""))
    if (
        _eq(entity_id, str(triple.get("drug_id", "")))
        or _eq(canonical, drug)
        or (mtype == "ADC_CLASS" and drug == GENERIC_ADC)
    ):
        return "drug"
    for slot in ("mechanism", "strategy"):
        cat = str(triple.get(f"{slot}_category", ""))
        if not cat:
            continue
        entity = str(triple.get(f"{slot}_entity", ""))
        if (
            _eq(canonical, entity)
            or _eq(canonical, str(triple.get(slot, "")))
            or _eq(entity_id.split(":", 1)[-1], entity)
            or (mtype == slot.upper() and category == cat)
        ):
            return slot
    return "entity"


def _locate(sentence: str, sent_start: int, mention: Mapping[str, Any]) -> tuple[int, int] | None:
    text = str(mention.get("text", ""))
    try:
        start = int(mention["char_start"]) - sent_start
        end = int(mention["char_end"]) - sent_start
    except (KeyError, TypeError, ValueError):
        start = end = -1
    if 0 <= start < end <= len(sentence) and (not text or sentence[start:end] == text):
        return start, end
    if text:
        found = sentence.find(text)
        if found >= 0:
            return found, found + len(text)
    return None


def _term_spans(sentence: str, terms: Iterable[str], role: str) -> list[Span]:
    spans: list[Span] = []
    for term in terms:
        term = term.strip()
        if len(term) < 2:
            continue
        pattern = r"(?<!\w)" + re.escape(term) + r"(?!\w)"
        for m in re.finditer(pattern, sentence, flags=re.IGNORECASE):
            spans.append((m.start(), m.end(), role))
    return spans


def slot_terms(triple: Mapping[str, Any]) -> dict[str, list[str]]:
    """The strings searched for each slot when no mention covers it."""
    drug = str(triple.get("drug", ""))
    terms = {"drug": list(_GENERIC_ADC_TERMS) if drug == GENERIC_ADC else [drug]}
    for slot in ("mechanism", "strategy"):
        terms[slot] = [str(triple.get(f"{slot}_entity", "")), str(triple.get(slot, ""))]
    return terms


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Keep slot roles over plain entities, then longer spans over shorter ones."""
    kept: list[Span] = []
    for span in sorted(
        spans, key=lambda s: (s[2] == "entity", -(s[1] - s[0]), _PRIORITY[s[2]], s[0])
    ):
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept)


def highlight_spans(
    sentence: str,
    sent_start: int,
    triple: Mapping[str, Any],
    mentions: Iterable[Mapping[str, Any]] = (),
) -> list[Span]:
    """Highlight spans for one evidence sentence of one triple (see module docstring)."""
    spans: list[Span] = []
    for mention in mentions:
        located = _locate(sentence, sent_start, mention)
        if located:
            spans.append((*located, mention_role(mention, triple)))
    covered = {s[2] for s in spans}
    for role, terms in slot_terms(triple).items():
        if role not in covered:
            spans.extend(_term_spans(sentence, terms, role))
    return _non_overlapping(spans)
