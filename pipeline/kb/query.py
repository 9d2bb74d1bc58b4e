"""Reading the knowledge base for people: filtered triples and run history."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, or_, select

from pipeline.kb import schema

TRIPLE_COLUMNS = (
    "triple_id",
    "drug",
    "mechanism_category",
    "mechanism_entity",
    "strategy_category",
    "strategy_entity",
    "n_evidence",
    "n_documents",
    "n_cited_papers",
    "n_negated",
    "n_hedged",
    "confidence",
    "polarity",
)


def _contains(columns: Sequence[Any], value: str) -> Any:
    needle = value.strip().lower()
    return or_(*[func.lower(c).contains(needle, autoescape=True) for c in columns])


def query_triples(
    engine: Engine,
    drug: str = "",
    mechanism: str = "",
    strategy: str = "",
    category: str = "",
    min_evidence: int = 0,
    include_retired: bool = False,
    polarity: str = "",
) -> list[dict[str, Any]]:
    """Triples matching every given filter (case-insensitive substrings; category exact).

    ``drug`` matches the name or id; ``mechanism``/``strategy`` the category, entity or
    wording; ``category`` either slot's category. Sorted by evidence count, then confidence.
    """
    t = schema.triples
    cols = [t.c[c] for c in TRIPLE_COLUMNS]
    if include_retired:
        cols.append(t.c.retired_in_run)
    q = select(*cols)
    if drug:
        q = q.where(_contains([t.c.drug, t.c.drug_id], drug))
    if mechanism:
        q = q.where(_contains([t.c.mechanism_category, t.c.mechanism_entity, t.c.mechanism],
                              mechanism))  # fmt: skip
    if strategy:
        q = q.where(_contains([t.c.strategy_category, t.c.strategy_entity, t.c.strategy],
                              strategy))  # fmt: skip
    if category:
        q = q.where(or_(t.c.mechanism_category == category, t.c.strategy_category == category))
    if min_evidence:
        q = q.where(t.c.n_evidence >= min_evidence)
    if polarity:
        q = q.where(t.c.polarity == polarity)
    if not include_retired:
        q = q.where(t.c.retired_in_run.is_(None))
    q = q.order_by(t.c.n_evidence.desc(), t.c.confidence.desc(), t.c.triple_id)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def format_rows(rows: list[dict[str, Any]], fmt: str, columns: Sequence[str] = ()) -> str:
    """Rows as an aligned text table, CSV or JSON."""
    columns = list(columns) or (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps(rows, indent=2, default=str, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n",
                                extrasaction="ignore")  # fmt: skip
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    if not rows:
        return "(no rows)\n"
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


RUN_COLUMNS = (
    "run_id",
    "status",
    "started_at",
    "seconds",
    "docs_seen",
    "docs_added",
    "docs_changed",
    "docs_reextracted",
    "docs_removed",
    "docs_failed",
    "triples_new",
    "triples_updated",
    "triples_retired",
    "triples_active",
)


def run_history(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs, newest first, with what each changed."""
    r = schema.runs
    with engine.connect() as conn:
        rows = conn.execute(select(r).order_by(r.c.started_at.desc()).limit(limit)).all()
    out = []
    for row in rows:
        d = dict(row._mapping)
        timings = json.loads(d.get("timings_json") or "{}")
        d["seconds"] = round(float(timings.get("total", 0.0)), 2)
        out.append(d)
    return out


def run_exists(engine: Engine, run_id: str) -> bool:
    with engine.connect() as conn:
        runs = schema.runs
        return conn.scalar(select(runs.c.run_id).where(runs.c.run_id == run_id)) is not None


def run_changes(engine: Engine, run_id: str) -> dict[str, list[dict[str, Any]]]:
    """One run in detail: document actions, triples it created and retired."""
    rd, t = schema.run_documents, schema.triples
    slots = [t.c.triple_id, t.c.drug, t.c.mechanism_category, t.c.mechanism_entity,
             t.c.strategy_category, t.c.strategy_entity, t.c.n_evidence]  # fmt: skip
    with engine.connect() as conn:
        docs = conn.execute(
            select(rd.c.action, rd.c.file, rd.c.doc_id, rd.c.previous_doc_id)
            .where(rd.c.run_id == run_id)
            .order_by(rd.c.action, rd.c.file)
        ).all()
        new = conn.execute(
            select(*slots).where(t.c.first_seen_run == run_id).order_by(t.c.triple_id)
        ).all()
        retired = conn.execute(
            select(*slots).where(t.c.retired_in_run == run_id).order_by(t.c.triple_id)
        ).all()
    return {
        "documents": [dict(r._mapping) for r in docs],
        "new_triples": [dict(r._mapping) for r in new],
        "retired_triples": [dict(r._mapping) for r in retired],
    }
