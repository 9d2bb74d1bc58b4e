"""Relation cue lexicons: the words that turn co-occurring entities into a claim.

The lexicons are data in ``pipeline/resources/`` (``relation_cues.tsv``,
``partner_strategy.tsv`` and the NER pack's cue and gene tables, described in its README),
read lazily once per process. This module only loads and matches them; the decisions are made
in :mod:`pipeline.extract.relations`.
"""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache
from pathlib import Path

from pipeline.prefilter import Alternation

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


RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def _read_tsv(name: str, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    path = RESOURCES / name
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        raise ValueError(f"lexicon {path} is empty")
    missing = set(required) - set(rows[0])
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return rows


@cache
def _cue_rows() -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {k: [] for k in CUE_KINDS}
    for row in _read_tsv("relation_cues.tsv"):
        kind = row["kind"].strip()
        if kind not in by_kind:
            raise ValueError(f"relation_cues.tsv: unknown cue kind {kind!r}")
        by_kind[kind].append(row["pattern"])
    return {k: v for k, v in by_kind.items() if v}


@cache
def cue_patterns() -> dict[str, re.Pattern[str]]:
    """One compiled alternation per cue kind (``relation_cues.tsv``)."""
    return {k: cue_alternations()[k].full for k in _cue_rows()}


@cache
def cue_alternations() -> dict[str, Alternation]:
    """The same alternations, prefiltered per text (see :mod:`pipeline.prefilter`)."""
    return {k: Alternation(v) for k, v in _cue_rows().items()}


def find_cues(text: str, kind: str) -> list[Span]:
    """Character spans (relative to ``text``) where a cue of ``kind`` occurs."""
    return list(_find_cues(text, kind))


@lru_cache(maxsize=1024)  # the clause, negation and hedge rules ask again for every claim
def _find_cues(text: str, kind: str) -> tuple[Span, ...]:
    alternation = cue_alternations().get(kind)
    if alternation is None:
        return ()
    return tuple((m.start(), m.end()) for m in alternation.finditer(text) if m.end() > m.start())


@cache
def gene_mechanism_table() -> dict[str, tuple[str, str]]:
    """HGNC symbol -> (default mechanism category, role), from the NER pack's ``genes.tsv``.

    The role is the gene's group ("antigen", "abc_transporter", "signalling", ...); a gene
    is treated as an ``antigen`` only when its default category is ``antigen_loss``.
    """
    rows = _read_tsv("genes.tsv", ("symbol", "group", "mechanism_category"))
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
    rows = _read_tsv("mechanism_cues.tsv", ("cue", "generic"))
    return frozenset(
        " ".join(r["cue"].split()).lower() for r in rows if r.get("generic", "").strip() == "yes"
    )


def cue_key(text: str) -> str:
    """Lookup form of a cue: lower case, hyphens and dashes as spaces, single spaces."""
    return " ".join(re.sub(r"[\-\u2010\u2011\u2013]", " ", text.lower()).split())


@cache
def _cue_canonicals() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for kind, name in (("MECHANISM", "mechanism_cues.tsv"), ("STRATEGY", "strategy_cues.tsv")):
        table: dict[str, str] = {}
        for r in _read_tsv(name, ("cue", "category", "canonical")):
            canonical = " ".join(r["canonical"].split())
            if not canonical:
                raise ValueError(f"{name}: cue {r['cue']!r} has no canonical entity")
            table[cue_key(r["cue"])] = canonical
        out[kind] = table
    return out


def cue_canonical(kind: str, surface: str) -> str:
    """Canonical entity of a MECHANISM / STRATEGY cue ("TME" -> "tumor microenvironment",
    "combinatorial therapies" -> "combination therapy"), from the cue tables' ``canonical``
    column; a surface the tables do not list (an abbreviation the document defines) stays
    as written, lower-cased."""
    found = _cue_canonicals().get(kind, {}).get(cue_key(surface))
    return found or " ".join(surface.split()).lower()


@cache
def adc_targets() -> dict[str, tuple[str, str]]:
    """ADC entity id -> (target HGNC symbol, payload class), from the NER pack's catalogue."""
    from pipeline.nlp import load_adc_catalog

    return {r.entity_id: (r.target, r.payload_class) for r in load_adc_catalog()}
