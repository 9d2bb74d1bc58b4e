"""Relation cue lexicons: the words that turn co-occurring entities into a claim.

The lexicons are data (``pipeline/extract/data/*.tsv``, described in its README), read
lazily once per process. This module only loads and matches them; the decisions are made
in :mod:`pipeline.extract.relations`.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

CUE_KINDS = (
    "resistance",
    "overcome",
    "combination",
    "biomarker",
    "negation",
    "negation_exception",
    "hedge",
    "clause_break",
)

Span = tuple[int, int]


_HERE = Path(__file__).resolve().parent


def _data_path(name: str) -> Path:
    return _HERE / "data" / name


def _read_tsv(name: str) -> list[dict[str, str]]:
    path = _data_path(name)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        raise ValueError(f"lexicon {path} is empty")
    return rows


@cache
def cue_patterns() -> dict[str, re.Pattern[str]]:
    """One compiled alternation per cue kind (``relation_cues.tsv``)."""
    by_kind: dict[str, list[str]] = {k: [] for k in CUE_KINDS}
    for row in _read_tsv("relation_cues.tsv"):
        kind = row["kind"].strip()
        if kind not in by_kind:
            raise ValueError(f"relation_cues.tsv: unknown cue kind {kind!r}")
        by_kind[kind].append(f"(?:{row['pattern']})")
    return {k: re.compile("|".join(v), re.IGNORECASE) for k, v in by_kind.items() if v}


def find_cues(text: str, kind: str) -> list[Span]:
    """Character spans (relative to ``text``) where a cue of ``kind`` occurs."""
    pattern = cue_patterns().get(kind)
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


@cache
def gene_mechanism_table() -> dict[str, tuple[str, str]]:
    """HGNC symbol -> (default mechanism category, role), from the NER pack's ``genes.tsv``.

    The role is the gene's group ("antigen", "abc_transporter", "signalling", ...); a gene
    is treated as an ``antigen`` only when its default category is ``antigen_loss``.
    """
    path = _HERE.parent / "resources" / "genes.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = {"symbol", "group", "mechanism_category"} - set(rows[0] if rows else {})
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    table = {}
    for r in rows:
        category, group = r["mechanism_category"].strip(), r["group"].strip()
        if group == "antigen" and category != "antigen_loss":
            group = "antigen_signalling"  # EGFR, MET: an ADC target that also signals
        role = "antigen" if category == "antigen_loss" else group
        table[r["symbol"].strip().upper()] = (category, role)
    return table


@cache
def _partner_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile(rf"(?:{r['pattern']})", re.IGNORECASE), r["strategy_category"].strip())
        for r in _read_tsv("partner_strategy.tsv")
    ]


def partner_strategy_category(*names: str) -> str:
    """Strategy category of a partner drug / drug class / targeted gene, '' if unknown."""
    for name in names:
        if not name:
            continue
        for pattern, category in _partner_patterns():
            if pattern.search(name):
                return category
    return ""


@cache
def generic_mechanism_cues() -> frozenset[str]:
    """Alteration words ("loss", "upregulation") that name no mechanism without their gene.

    Read from the NER pack's ``mechanism_cues.tsv`` (``generic`` column).
    """
    path = _HERE.parent / "resources" / "mechanism_cues.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return frozenset(
        " ".join(r["cue"].split()).lower() for r in rows if r.get("generic", "").strip() == "yes"
    )


@cache
def adc_targets() -> dict[str, tuple[str, str]]:
    """ADC entity id -> (target HGNC symbol, payload class), from the NER pack's catalogue."""
    from pipeline.nlp import load_adc_catalog

    return {r.entity_id: (r.target, r.payload_class) for r in load_adc_catalog()}
