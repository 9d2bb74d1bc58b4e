"""Mention-level NER evaluation against a hand-annotated gold file.

Gold rows (``tests/gold/mentions_dev.csv``): file, sentence (exact text), mention, type,
entity_id. A gold sentence is annotated exhaustively for the types it is scored on, so a
predicted mention of such a type in that sentence that gold lacks is a false positive.

Matching is strict: a predicted mention counts only when its text, type *and* entity id
equal a gold row of the same sentence (multiset: a name written twice counts twice).
A right span with a wrong id is one false positive plus one miss.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.evaluation.scoring import PRF
from pipeline.model import DocIngest, Mention

GOLD_COLUMNS = ("file", "sentence", "mention", "type", "entity_id")


@dataclass(frozen=True)
class GoldMention:
    file: str
    sentence: str
    mention: str
    type: str
    entity_id: str


@dataclass
class NerReport:
    scores: dict[str, PRF] = field(default_factory=dict)
    misses: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    unlocated: list[tuple[str, str]] = field(default_factory=list)  # (file, sentence)

    def total(self) -> PRF:
        return PRF.total(self.scores.values())


def read_gold(path: Path) -> list[GoldMention]:
    """Gold rows; a missing column or an empty required cell raises with the line number."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(GOLD_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: gold file lacks columns {sorted(missing)}")
        rows = []
        for line_no, row in enumerate(reader, start=2):
            if not all((row.get(c) or "").strip() for c in GOLD_COLUMNS):
                raise ValueError(f"{path}:{line_no}: empty cell in a required column")
            rows.append(GoldMention(*(row[c] for c in GOLD_COLUMNS)))
    return rows


def sentence_spans(doc: DocIngest, sentence: str) -> list[tuple[int, int]]:
    """Where a gold sentence sits in the document: ingest sentences with exactly this text,
    else every exact occurrence in the cleaned text."""
    spans = [(s.char_start, s.char_end) for s in doc.sentences if s.text == sentence]
    if spans:
        return spans
    text, out, start = doc.document.text, [], 0
    while (i := text.find(sentence, start)) >= 0:
        out.append((i, i + len(sentence)))
        start = i + 1
    return out


def score(
    gold: list[GoldMention],
    docs: list[DocIngest],
    mentions: dict[str, list[Mention]],
) -> NerReport:
    """Per-type strict scores over the gold sentences (see module docstring)."""
    report = NerReport()
    types = sorted({g.type for g in gold})
    for t in types:
        report.scores[t] = PRF()
    by_file = {d.document.file: d for d in docs}
    groups: dict[tuple[str, str], list[GoldMention]] = {}
    for g in gold:
        groups.setdefault((g.file, g.sentence), []).append(g)
    for (file, sentence), rows in sorted(groups.items()):
        doc = by_file.get(file)
        spans = sentence_spans(doc, sentence) if doc else []
        if not spans:
            report.unlocated.append((file, sentence))
            for g in rows:
                report.scores[g.type].fn += 1
                report.misses.append((file, sentence, g.mention, g.type, g.entity_id))
            continue
        # A sentence found at several places is scored at its first one.
        lo, hi = spans[0]
        pred = Counter(
            (m.text, m.type, m.entity_id)
            for m in mentions.get(doc.document.doc_id, [])
            if m.type in report.scores and lo <= m.char_start and m.char_end <= hi
        )
        want = Counter((g.mention, g.type, g.entity_id) for g in rows)
        hit = pred & want
        for (_text, typ, _eid), n in hit.items():
            report.scores[typ].tp += n
        for (text, typ, eid), n in (pred - hit).items():
            report.scores[typ].fp += n
            report.false_positives.extend([(file, sentence, text, typ, eid)] * n)
        for (text, typ, eid), n in (want - hit).items():
            report.scores[typ].fn += n
            report.misses.extend([(file, sentence, text, typ, eid)] * n)
    return report


def format_report(report: NerReport, max_errors: int = 50) -> str:
    """Plain-text table of P/R/F1 per type, then misses and false positives."""
    lines = [f"{'type':<10} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    rows = [*sorted(report.scores.items()), ("ALL", report.total())]
    for name, s in rows:
        lines.append(
            f"{name:<10} {s.tp + s.fn:>5} {s.tp + s.fp:>5} {s.tp:>5} "
            f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
        )
    if report.unlocated:
        lines.append(f"\n{len(report.unlocated)} gold sentences not found in the ingested text:")
        lines += [f"  {f}: {s[:100]!r}" for f, s in report.unlocated[:max_errors]]
    for title, items in (("misses", report.misses), ("false positives", report.false_positives)):
        lines.append(f"\n{title} ({len(items)}):")
        for file, sentence, text, typ, eid in items[:max_errors]:
            lines.append(f"  {typ:<6} {text!r:<32} {eid:<32} {file[:3]}: {sentence[:70]!r}")
    return "\n".join(lines)
