"""Extraction tables of the knowledge pack: relation cues, gene roles, partner strategies,
canonical cue entities.

Built once per pack (see :class:`pipeline.pack.Pack`) from ``relation_cues.tsv``,
``partner_strategy.tsv``, ``genes.tsv`` and the NER cue tables; the decisions are made in
:mod:`pipeline.extract`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.prefilter import Alternation

if TYPE_CHECKING:
    from pipeline.pack import Pack

CUE_KINDS = (
    "resistance",
    "overcome",
    "improvement",
    "combination",
    "biomarker",
    "negation",
    "negation_exception",
    "hedge",
    "clause_break",
    "population",
    "method",
    "aim",
    "finding",
    "question",
    "outcome",
    "association",
    "model",
    "anaphor",
    "other_therapy",
    "level_up",
    "level_down",
    "sensitive_group",
    "resistant_group",
    "disease",
    "works",
    "clinical",
    "induced_resistance",
    "action",
    "loss_word",
    "alteration",
    "assessment",
    "linker_or_antibody_class",
)

Span = tuple[int, int]


class CueLexicon:
    """One alternation per cue kind of ``relation_cues.tsv``, prefiltered per text."""

    def __init__(self, rows: tuple[dict[str, str], ...]) -> None:
        by_kind: dict[str, list[str]] = {k: [] for k in CUE_KINDS}
        for row in rows:
            kind = row["kind"]
            if kind not in by_kind:
                raise ValueError(f"relation_cues.tsv: unknown cue kind {kind!r}")
            by_kind[kind].append(row["pattern"])
        self.alternations = {k: Alternation(v) for k, v in by_kind.items() if v}
        # the clause, negation and hedge rules ask again for every claim of a sentence
        self.find = lru_cache(maxsize=1024)(self._find)

    def patterns(self) -> dict[str, re.Pattern[str]]:
        """The full alternation of each kind (the prefilter's reference)."""
        return {k: a.full for k, a in self.alternations.items()}

    def _find(self, text: str, kind: str) -> tuple[Span, ...]:
        """Character spans (relative to ``text``) where a cue of ``kind`` occurs."""
        alternation = self.alternations.get(kind)
        if alternation is None:
            return ()
        return tuple(
            (m.start(), m.end()) for m in alternation.finditer(text) if m.end() > m.start()
        )


def gene_roles(pack: Pack) -> dict[str, tuple[str, str]]:
    """HGNC symbol -> (default mechanism category, role), from ``genes.tsv``.

    The role is the gene's group ("antigen", "abc_transporter", "signalling", ...); a gene
    is treated as an ``antigen`` only when its default category is ``antigen_loss``.
    """
    table = {}
    for r in pack.rows("genes.tsv", ("symbol", "group", "mechanism_category")):
        category, group = r["mechanism_category"], r["group"]
        if group == "antigen" and category != "antigen_loss":
            group = "antigen_signalling"  # EGFR, MET: an ADC target that also signals
        role = "antigen" if category == "antigen_loss" else group
        table[r["symbol"].upper()] = (category, role)
    return table


def partner_patterns(pack: Pack) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, strategy category) of ``partner_strategy.tsv``, in file order."""
    return tuple(
        (re.compile(rf"(?:{r['pattern']})", re.IGNORECASE), r["strategy_category"])
        for r in pack.rows("partner_strategy.tsv")
    )


def generic_mechanism_cues(pack: Pack) -> frozenset[str]:
    """Alteration words ("loss", "upregulation") that name no mechanism without their gene
    (``mechanism_cues.tsv``, ``generic`` column)."""
    rows = pack.rows("mechanism_cues.tsv", ("cue", "generic"))
    return frozenset(" ".join(r["cue"].split()).lower() for r in rows if r["generic"] == "yes")


def cue_key(text: str) -> str:
    """Lookup form of a cue: lower case, hyphens and dashes as spaces, single spaces."""
    return " ".join(re.sub(r"[\-\u2010\u2011\u2013]", " ", text.lower()).split())


def cue_canonicals(pack: Pack) -> dict[str, dict[str, str]]:
    """Entity type -> cue key -> canonical entity (the ``canonical`` column)."""
    out: dict[str, dict[str, str]] = {}
    for kind, name in (("MECHANISM", "mechanism_cues.tsv"), ("STRATEGY", "strategy_cues.tsv")):
        table: dict[str, str] = {}
        for r in pack.rows(name, ("cue", "category", "canonical")):
            canonical = " ".join(r["canonical"].split())
            if not canonical:
                raise ValueError(f"{name}: cue {r['cue']!r} has no canonical entity")
            table[cue_key(r["cue"])] = canonical
        out[kind] = table
    return out


def adc_targets(pack: Pack) -> dict[str, tuple[str, str]]:
    """ADC entity id -> (target HGNC symbol, payload class), from the catalogue."""
    return {r.entity_id: (r.target, r.payload_class) for r in pack.adc_catalog}
