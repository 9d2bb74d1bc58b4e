"""Report data preparation: typed tables, headline counts, changes, and the two matrices.

Everything here is pure pandas over the exported tables (columns as in ``pipeline.model``),
so it is tested on tiny fixture tables and reused by any loader (CSV export or knowledge
base). Matrices always span the full controlled vocabularies, so a category without
evidence shows as an empty (open) row or column instead of disappearing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.cited_refs import paper_keys
from pipeline.model import MECHANISM_CATEGORIES, STRATEGY_CATEGORIES
from pipeline.tables import SPECS

log = logging.getLogger(__name__)

REPORT_TABLES = ("triples", "evidence", "inferred_triples", "documents", "sentences",
                 "references", "mentions")  # fmt: skip
TABLE_COLUMNS: dict[str, list[str]] = {name: SPECS[name].column_names for name in REPORT_TABLES}
REQUIRED_TABLES = ("triples", "evidence")


def _columns_of_kind(kind: str) -> set[str]:
    return {
        col.name
        for name in REPORT_TABLES
        for col in SPECS[name].columns
        if col.kind == kind and not col.nullable
    }


_INT_COLUMNS = _columns_of_kind("integer")
_FLOAT_COLUMNS = _columns_of_kind("number")
_BOOL_COLUMNS = _columns_of_kind("boolean")
_TRUE = {"true", "1", "yes", "t", "y"}

COUNT_KEYS = ("documents", "sentences", "triples", "evidence", "cited_papers", "inferred")


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    return bool(value)


def _as_text(column: pd.Series) -> pd.Series:
    """Missing values as "", everything else as ``str``, dtype object. A string column
    (what Parquet gives) needs no per-value call: mapping every cell through a Python
    function was most of this function's time on the mentions and sentences."""
    if isinstance(column.dtype, pd.StringDtype):
        return column.fillna("").astype(object)
    return column.map(lambda v: "" if v is None or v is pd.NA or v != v else str(v)).astype(object)


def normalise_tables(tables: Mapping[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame]:
    """Copies of the report's tables with every expected column and plain Python-ish types.

    ``triples`` and ``evidence`` must be present with all their columns (a missing column is
    an error naming the table); the other tables are optional and default to empty.
    """
    out: dict[str, pd.DataFrame] = {}
    for name, columns in TABLE_COLUMNS.items():
        df = tables.get(name)
        if df is None:
            if name in REQUIRED_TABLES:
                raise ValueError(f"report: table {name!r} is required but was not given")
            df = pd.DataFrame(columns=columns)
        missing = [c for c in columns if c not in df.columns]
        if missing and name in REQUIRED_TABLES:
            raise ValueError(f"report: table {name!r} lacks columns {missing}")
        df = df.copy()
        for col in missing:
            df[col] = pd.Series([""] * len(df), index=df.index, dtype=object)
        for col in df.columns:
            if col in _INT_COLUMNS:
                df[col] = pd.to_numeric(df[col], errors="coerce").fillna(-1).astype(int)
            elif col in _FLOAT_COLUMNS:
                df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0.0).astype(float)
            elif col in _BOOL_COLUMNS:
                df[col] = df[col].map(_as_bool).astype(bool)
            else:
                df[col] = _as_text(df[col])
        out[name] = df.reset_index(drop=True)
    return out


def cited_paper_keys(evidence: pd.DataFrame) -> set[str]:
    """Distinct primary papers cited by evidence rows (DOI, else PMID, else PMCID, else slot)."""
    keys: set[str] = set()
    for doc_id, cell in zip(evidence["doc_id"], evidence["cited_refs"], strict=True):
        keys |= paper_keys(doc_id, cell)
    return keys


def headline_counts(t: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """The headline numbers. ``documents`` falls back to distinct doc_ids if no documents table."""
    docs = t["documents"]
    n_docs = (
        len(docs)
        if len(docs)
        else len(set(t["sentences"]["doc_id"]) | set(t["evidence"]["doc_id"]))
    )
    ev = t["evidence"]
    return {
        "documents": int(n_docs),
        "sentences": int(len(t["sentences"])),
        "triples": int(len(t["triples"])),
        "evidence": int(len(ev)),
        "cited_papers": len(cited_paper_keys(ev)),
        "inferred": int(len(t["inferred_triples"])),
        "drugs": int(t["triples"]["drug"].nunique()),
        "hedged_evidence": int(ev["hedged"].sum()),
        "negated_evidence": int(ev["negated"].sum()),
        "references": int(t["references"]["filled"].sum()) if len(t["references"]) else 0,
    }


def changes_since(
    counts: Mapping[str, int], triple_ids: set[str], previous: Mapping[str, Any] | None
) -> dict[str, Any]:
    """What changed since the previous run.

    ``previous`` is a summary written by an earlier report (``{"counts": {...},
    "triple_ids": [...]}``) or a plain ``{name: count}`` mapping; without triple ids only the
    count deltas are known.
    """
    if not previous:
        return {"has_previous": False, "deltas": {}, "new_triples": [], "removed_triples": []}
    prev_counts = previous.get("counts", previous)
    deltas = {
        k: int(counts[k]) - int(prev_counts[k])
        for k in counts
        if isinstance(prev_counts.get(k), int | float) and not isinstance(prev_counts[k], bool)
    }
    prev_ids = previous.get("triple_ids")
    if prev_ids is None:
        new: list[str] = []
        removed: list[str] = []
    else:
        new = sorted(triple_ids - set(prev_ids))
        removed = sorted(set(prev_ids) - triple_ids)
    return {
        "has_previous": True,
        "has_triple_ids": prev_ids is not None,
        "deltas": deltas,
        "new_triples": new,
        "removed_triples": removed,
    }


def _evidence_with_slots(t: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    cols = ["triple_id", "drug", "mechanism_category", "strategy_category"]
    return t["evidence"][["triple_id", "hedged", "negated"]].merge(
        t["triples"][cols], on="triple_id", how="inner"
    )


def _vocab(base: tuple[str, ...], seen: pd.Series) -> list[str]:
    """The controlled vocabulary, plus any off-vocabulary category found (so nothing hides)."""
    extra = sorted({c for c in seen if c and c not in base})
    if extra:
        log.warning("report: categories outside the controlled vocabulary: %s", extra)
    return list(base) + extra


NO_DRUG_LABEL = "(no drug named)"


def drug_mechanism_matrix(
    t: Mapping[str, pd.DataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Evidence rows per (drug, mechanism category): (supporting, of those hedged,
    negated). A negated sentence denies the claim, so it is counted apart, not as support.

    Drugs are ordered by supporting, then negated evidence (descending), then name;
    columns are the full mechanism vocabulary.
    """
    ev = _evidence_with_slots(t)
    ev = ev[ev["mechanism_category"] != ""]
    # a mechanism + strategy row may name no drug (the spec needs two of three slots)
    ev = ev.assign(drug=ev["drug"].where(ev["drug"] != "", NO_DRUG_LABEL))
    cats = _vocab(MECHANISM_CATEGORIES, t["triples"]["mechanism_category"])
    support = ev[~ev["negated"]]
    supported, denied = support.groupby("drug").size(), ev[ev["negated"]].groupby("drug").size()
    drugs = sorted(
        set(ev["drug"]), key=lambda d: (-int(supported.get(d, 0)), -int(denied.get(d, 0)), d)
    )

    def pivot(frame: pd.DataFrame) -> pd.DataFrame:
        table = frame.groupby(["drug", "mechanism_category"]).size().unstack(fill_value=0)
        return table.reindex(index=drugs, columns=cats, fill_value=0).fillna(0).astype(int)

    return pivot(support), pivot(support[support["hedged"]]), pivot(ev[ev["negated"]])


def mechanism_strategy_matrix(t: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Supporting (not negated) evidence rows per (mechanism category, strategy category)
    over the full vocabularies."""
    ev = _evidence_with_slots(t)
    ev = ev[(ev["mechanism_category"] != "") & (ev["strategy_category"] != "") & ~ev["negated"]]
    rows = _vocab(MECHANISM_CATEGORIES, t["triples"]["mechanism_category"])
    cols = _vocab(STRATEGY_CATEGORIES, t["triples"]["strategy_category"])
    table = ev.groupby(["mechanism_category", "strategy_category"]).size().unstack(fill_value=0)
    return table.reindex(index=rows, columns=cols, fill_value=0).fillna(0).astype(int)


def open_mechanisms(matrix: pd.DataFrame) -> list[str]:
    """Mechanism categories for which no counter-strategy has been extracted."""
    return [str(m) for m in matrix.index if int(matrix.loc[m].sum()) == 0]


def described_mechanisms(t: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Supporting evidence rows per mechanism category (any drug, with or without a
    strategy; a mechanism only ever denied is not described)."""
    ev = _evidence_with_slots(t)
    counts = (
        ev[(ev["mechanism_category"] != "") & ~ev["negated"]].groupby("mechanism_category").size()
    )
    cats = _vocab(MECHANISM_CATEGORIES, t["triples"]["mechanism_category"])
    return {c: int(counts.get(c, 0)) for c in cats}
