"""Score an extraction run against gold triples, at sentence level and dataset level.

Keys compared (only keys whose slots are all non-empty):
``(drug, mechanism_category)``, ``(mechanism_category, strategy_category)``,
``(drug, strategy_category)``, ``(drug, mechanism_category, strategy_category)``;
dataset level adds ``(drug, mechanism gene)`` where the mechanism entity is a gene symbol.

Sentence level (the headline): a gold sentence is matched to the evidence sentences of
the same file whose normalised text (whitespace, punctuation and markup removed, see
``norm_text``) contains it or is contained in it; its
gold keys are compared with the keys of the triples that evidence supports. A predicted
sentence (in a scored file) matching no gold sentence counts all its keys as
false positives. Dataset level: the same keys as sets over the scored files.

Which predicted documents are scored (``docs``): ``"all"`` (the default) scores every
document of the run, so an abstract with no gold row - one that states no claim - still
produces false positives when something is extracted from it; ``"gold"`` scores only the
documents whose file appears in the gold file (the older, more lenient behaviour, for a
gold set that annotates only part of a corpus).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.evaluation.errors import ErrorCase, Row, by_class, classify
from pipeline.evaluation.gold import catalog_inns, gold_errors, read_gold
from pipeline.evaluation.scoring import PRF

Key = tuple[str, ...]

DOC_SCOPES = ("all", "gold")

KEY_KINDS = ("drug+mechanism", "mechanism+strategy", "drug+strategy", "drug+mechanism+strategy")
_SYMBOL = re.compile(r"^[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,4})?$")
_NOT_GENES = {
    "ADC",
    "ADCS",
    "CAF",
    "CAFS",
    "TAM",
    "TAMS",
    "ECM",
    "TME",
    "DNA",
    "RNA",
    "DAR",
    "ISAC",
    "ISACS",
    "CTC",
    "IHC",
    "DDR",
    "MMAE",
    "MMAF",
    "DXD",
    "DM1",
    "DM4",
    "PBD",
}


def norm_text(s: str) -> str:
    """Lower-cased letters and digits only: a gold sentence copied from the raw file
    ("FR α", "(**Figure 1C**)", "*caveolin-1*") matches the cleaned evidence sentence."""
    return "".join(ch for ch in str(s).lower() if ch.isalnum())


def _norm(s: object) -> str:
    return "" if s is None else " ".join(str(s).split()).lower()


def is_gene(entity: str, known_symbols: set[str]) -> bool:
    e = str(entity).strip()
    return bool(e) and (
        e.upper() in known_symbols or (bool(_SYMBOL.match(e)) and e.upper() not in _NOT_GENES)
    )


def row_keys(drug: str, mcat: str, scat: str) -> set[tuple[str, Key]]:
    d, m, s = _norm(drug), _norm(mcat), _norm(scat)
    out: set[tuple[str, Key]] = set()
    if d and m:
        out.add(("drug+mechanism", (d, m)))
    if m and s:
        out.add(("mechanism+strategy", (m, s)))
    if d and s:
        out.add(("drug+strategy", (d, s)))
    if d and m and s:
        out.add(("drug+mechanism+strategy", (d, m, s)))
    return out


@dataclass
class EvalResult:
    sentence: PRF = field(default_factory=PRF)
    sentence_by_kind: dict[str, PRF] = field(default_factory=dict)
    dataset_by_kind: dict[str, PRF] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    errors: list[ErrorCase] = field(default_factory=list)  # by sentence, see errors.py
    docs: str = "all"
    gold_problems: list[str] = field(default_factory=list)

    def report(self, show_errors: bool = False) -> str:
        lines = [
            "Sentence level (micro-averaged over all key kinds):",
            self.sentence.line("  all keys"),
        ]
        lines += [v.line(f"  {k}") for k, v in self.sentence_by_kind.items()]
        scope = "all predicted documents" if self.docs == "all" else "the gold-covered documents"
        lines.append(f"Dataset level (sets over {scope}):")
        lines += [v.line(f"  {k}") for k, v in self.dataset_by_kind.items()]
        if show_errors:
            groups = by_class(self.errors)
            lines.append(f"Errors by class ({len(self.errors)} cases, biggest class first):")
            lines += [f"  {len(cases):4d}  {kind}" for kind, cases in groups]
            for kind, cases in groups:
                lines.append(f"{kind} ({len(cases)}):")
                for c in cases:
                    lines += [f"  * {c.where}", f"      {c.detail}"]
            lines.append(f"Missed keys ({len(self.misses)}):")
            lines += [f"  - {m}" for m in self.misses]
            lines.append(f"False-positive keys ({len(self.false_positives)}):")
            lines += [f"  + {m}" for m in self.false_positives]
        return "\n".join(lines)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise FileNotFoundError(f"evaluate: {path} does not exist")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _file_of(doc_rows: list[dict[str, str]]) -> dict[str, str]:
    return {r["doc_id"]: Path(r["file"]).name for r in doc_rows}


def _known_symbols(pred_dir: Path) -> set[str]:
    path = pred_dir / "entities.csv"
    if not path.exists():
        return set()
    return {r["canonical"].upper() for r in _read_csv(path) if r["entity_id"].startswith("hgnc:")}


def evaluate(gold_path: Path, pred_dir: Path, docs: str = "all") -> EvalResult:
    """Compare gold rows with a run's ``triples.csv`` + ``evidence.csv`` (+ documents.csv).

    ``docs`` says which predicted documents are scored: ``"all"`` or ``"gold"`` (only
    files the gold covers); see the module docstring.
    """
    if docs not in DOC_SCOPES:
        raise ValueError(f"evaluate: docs must be one of {DOC_SCOPES}, got {docs!r}")
    header, gold = read_gold(Path(gold_path))
    shared_layout = "file" not in header and "source_id" in header
    gold = [_as_project_row(g) for g in gold]
    pred_dir = Path(pred_dir)
    triples = {r["triple_id"]: r for r in _read_csv(pred_dir / "triples.csv")}
    evidence = _read_csv(pred_dir / "evidence.csv")
    file_of = _file_of(_read_csv(pred_dir / "documents.csv"))
    symbols = _known_symbols(pred_dir)
    files = {Path(g["file"]).name for g in gold}

    # gold: (file, normalised sentence) -> keys (and rows, for the error classes)
    gold_sent: dict[tuple[str, str], set[tuple[str, Key]]] = defaultdict(set)
    gold_rows: dict[tuple[str, str], list[Row]] = defaultdict(list)
    shown: dict[tuple[str, str], str] = {}  # the sentence as written, for the error lists
    gold_set: set[tuple[str, Key]] = set()
    for g in gold:
        strategy = g.get("strategy_category", "")
        keys = row_keys(g["drug"], g["mechanism_category"], strategy)
        where = (Path(g["file"]).name, norm_text(g["sentence"]))
        gold_sent[where] |= keys
        shown.setdefault(where, " ".join(g["sentence"].split()))
        gold_rows[where].append(
            _row(g["drug"], g["mechanism_category"], strategy, g.get("negated", ""))
        )
        gold_set |= keys
        if g["drug"].strip() and is_gene(g.get("mechanism_entity", ""), symbols):
            gold_set.add(("drug+gene", (_norm(g["drug"]), g["mechanism_entity"].strip().upper())))

    # predictions: (file, normalised evidence sentence) -> keys
    pred_sent: dict[tuple[str, str], set[tuple[str, Key]]] = defaultdict(set)
    pred_rows: dict[tuple[str, str], list[Row]] = defaultdict(list)
    pred_set: set[tuple[str, Key]] = set()
    for e in evidence:
        f = file_of.get(e["doc_id"], "")
        if docs == "gold" and f not in files:
            continue
        t = triples[e["triple_id"]]
        keys = row_keys(t["drug"], t["mechanism_category"], t["strategy_category"])
        pred_sent[(f, norm_text(e["sentence"]))] |= keys
        shown.setdefault((f, norm_text(e["sentence"])), " ".join(e["sentence"].split()))
        pred_rows[(f, norm_text(e["sentence"]))].append(
            _row(t["drug"], t["mechanism_category"], t["strategy_category"], e.get("negated", ""))
        )
        pred_set |= keys
        if t["drug"] and is_gene(t["mechanism_entity"], symbols):
            pred_set.add(("drug+gene", (_norm(t["drug"]), t["mechanism_entity"].upper())))

    # A bad gold row is still scored (it lowers the scores); the caller is told about it.
    # The project's row rules (true/false flags, entity style) are not the shared layout's.
    problems = [] if shared_layout else gold_errors(gold, None, catalog_inns())
    result = EvalResult(docs=docs, gold_problems=problems)
    by_kind = {k: PRF() for k in KEY_KINDS}
    matched_pred: set[tuple[str, str]] = set()
    for (f, gs), gkeys in sorted(gold_sent.items()):
        pkeys: set[tuple[str, Key]] = set()
        prows: list[Row] = []
        for (pf, ps), keys in pred_sent.items():
            if pf == f and (gs in ps or ps in gs):
                pkeys |= keys
                prows += pred_rows[(pf, ps)]
                matched_pred.add((pf, ps))
        where = f"{f}: {shown[(f, gs)][:110]}"
        _score(gkeys, pkeys, by_kind, result, where)
        result.errors += classify(gold_rows[(f, gs)], prows, where)
    for (pf, ps), keys in sorted(pred_sent.items()):
        if (pf, ps) not in matched_pred:
            where = f"{pf} [no gold row]: {shown[(pf, ps)][:110]}"
            _score(set(), keys, by_kind, result, where)
            result.errors += classify([], pred_rows[(pf, ps)], where)
    result.sentence_by_kind = by_kind
    result.sentence = PRF.total(by_kind.values())
    for kind in (*KEY_KINDS, "drug+gene"):
        g = {k for k in gold_set if k[0] == kind}
        p = {k for k in pred_set if k[0] == kind}
        result.dataset_by_kind[kind] = PRF(len(g & p), len(p - g), len(g - p))
    return result


_TRUE = {"1", "true", "yes", "t", "y"}


def _row(drug: str, mcat: str, scat: str, negated: object) -> Row:
    return Row(_norm(drug), _norm(mcat), _norm(scat), str(negated).strip().lower() in _TRUE)


def _as_project_row(g: dict[str, str]) -> dict[str, str]:
    """A gold row in the shared scorer's layout (``source_id`` instead of ``file``, no
    section or note: ``../shared/devset/gold.csv``) in the project's."""
    if "file" in g or "source_id" not in g:
        return g
    return {"file": g["source_id"], "section": "", "note": g.get("notes", ""), **g}


def _score(gold: set, pred: set, by_kind: dict[str, PRF], result: EvalResult, where: str) -> None:
    for kind, key in sorted(gold | pred):
        prf = by_kind[kind]
        if (kind, key) in gold and (kind, key) in pred:
            prf.tp += 1
        elif (kind, key) in pred:
            prf.fp += 1
            result.false_positives.append(f"{kind} {key} | {where}")
        else:
            prf.fn += 1
            result.misses.append(f"{kind} {key} | {where}")
