"""The data embedded in the page: compact JSON for the triple table, evidence and inferred view.

Sentences, highlight spans and reference links are computed here (in Python, tested) so the
page's script only filters, sorts and draws. :func:`safe_json` makes the JSON safe inside a
``<script type="application/json">`` element whatever the sentences contain.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from pipeline.cited_refs import CitedRef, normalise_doi, normalise_pmcid, parse_cited_refs
from pipeline.model import MECHANISM_CATEGORIES, STRATEGY_CATEGORIES
from pipeline.report.highlight import highlight_spans
from pipeline.report.links import ref_links


def safe_json(data: Any) -> str:
    """JSON with ``<``, ``>``, ``&`` and line separators escaped: cannot close a script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _records(df: pd.DataFrame) -> Iterable[dict[str, Any]]:
    return df.to_dict(orient="records")


def _mentions_by_sentence(
    mentions: pd.DataFrame, sentences: set[tuple[str, int]]
) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """The mentions of ``sentences`` (doc_id, sentence_index), by sentence, in table order.
    Only evidence sentences are highlighted: turning every mention of the corpus into a
    dict was a third of the report's data step."""
    keys = zip(mentions["doc_id"], mentions["sentence_index"], strict=True)
    wanted = mentions[[(d, int(i)) in sentences for d, i in keys]]
    grouped: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for m in _records(wanted):
        grouped[(m["doc_id"], int(m["sentence_index"]))].append(m)
    return grouped


def _reference_info(references: pd.DataFrame) -> dict[tuple[str, int], dict[str, str]]:
    keys = ("title", "year", "doi", "pmid", "pmcid")
    return {(r["doc_id"], int(r["number"])): {k: r[k] for k in keys} for r in _records(references)}


def _with_list_ids(ref: CitedRef, info: Mapping[str, str]) -> CitedRef:
    """A cited ref without identifiers takes those its reference-list entry has."""
    if ref.doi or ref.pmid or ref.pmcid or not info:
        return ref
    return CitedRef(ref.number, normalise_doi(info.get("doi", "")), info.get("pmid", ""),
                    normalise_pmcid(info["pmcid"]) if info.get("pmcid") else "")  # fmt: skip


def triple_rows(triples: pd.DataFrame, new_ids: set[str]) -> list[dict[str, Any]]:
    """One compact dict per triple, ordered by confidence, then evidence, then id."""
    ordered = triples.sort_values(
        ["confidence", "n_evidence", "triple_id"], ascending=[False, False, True]
    )
    return [
        {
            "id": r["triple_id"],
            "drug": r["drug"],
            "mech": r["mechanism"],
            "mcat": r["mechanism_category"],
            "ment": r["mechanism_entity"],
            "strat": r["strategy"],
            "scat": r["strategy_category"],
            "sent": r["strategy_entity"],
            "ne": int(r["n_evidence"]),
            "nd": int(r["n_documents"]),
            "np": int(r["n_cited_papers"]),
            "nn": int(r["n_negated"]),
            "nh": int(r["n_hedged"]),
            "conf": round(float(r["confidence"]), 3),
            "pol": r.get("polarity", "affirmed"),
            "new": r["triple_id"] in new_ids,
        }
        for r in _records(ordered)
    ]


def evidence_by_triple(t: Mapping[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """Evidence rows grouped by triple, with highlight spans and cited-paper links."""
    triples = {r["triple_id"]: r for r in _records(t["triples"])}
    ev = t["evidence"].sort_values(["triple_id", "doc_id", "sentence_index", "char_start"])
    shown = ev[ev["triple_id"].isin(triples)]
    keys = set(zip(shown["doc_id"], shown["sentence_index"].astype(int), strict=True))
    mentions = _mentions_by_sentence(t["mentions"], keys)
    ref_info = _reference_info(t["references"])
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in _records(ev):
        triple = triples.get(e["triple_id"])
        if triple is None:
            continue
        key = (e["doc_id"], int(e["sentence_index"]))
        spans = highlight_spans(e["sentence"], int(e["char_start"]), triple, mentions.get(key, ()))
        refs = []
        for ref in parse_cited_refs(e["cited_refs"]):
            info = ref_info.get((e["doc_id"], ref.number), {}) if ref.number is not None else {}
            ref = _with_list_ids(ref, info)
            refs.append(
                {
                    "n": ref.number,
                    "title": info.get("title", ""),
                    "year": info.get("year", ""),
                    "ids": {k: v for k, v in (("doi", ref.doi), ("pmid", ref.pmid),
                                              ("pmcid", ref.pmcid)) if v},
                    "links": ref_links(ref),
                }
            )  # fmt: skip
        grouped[e["triple_id"]].append(
            {
                "doc": e["doc_id"],
                "sec": e["section"],
                "si": int(e["sentence_index"]),
                "s": e["sentence"],
                "neg": bool(e["negated"]),
                "hed": bool(e["hedged"]),
                "ext": e["extractor"],
                "hl": [list(s) for s in spans],
                "refs": refs,
            }
        )
    return dict(grouped)


def document_info(documents: pd.DataFrame) -> dict[str, dict[str, str]]:
    return {
        d["doc_id"]: {
            "title": d["title"],
            "file": d["file"],
            "year": d["year"],
            "journal": d["journal"],
            "doi": d["doi"],
        }
        for d in _records(documents)
    }


def inferred_rows(t: Mapping[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """The class-level (inferred) rows, with the drug of the triple they were inferred from."""
    source_drug = dict(zip(t["triples"]["triple_id"], t["triples"]["drug"], strict=True))
    inf = t["inferred_triples"].sort_values(
        ["drug", "shared_with_drug", "basis", "mechanism_category", "source_triple_id"]
    )
    return [
        {
            "drug": r["drug"],
            "with": r["shared_with_drug"],
            "basis": r["basis"],
            "value": r["shared_value"],
            "mcat": r["mechanism_category"],
            "ment": r["mechanism_entity"],
            "src": r["source_triple_id"],
            "srcdrug": source_drug.get(r["source_triple_id"], ""),
        }
        for r in _records(inf)
    ]


def page_data(t: Mapping[str, pd.DataFrame], new_ids: set[str]) -> dict[str, Any]:
    """Everything the page's script needs."""
    return {
        "triples": triple_rows(t["triples"], new_ids),
        "evidence": evidence_by_triple(t),
        "docs": document_info(t["documents"]),
        "inferred": inferred_rows(t),
        "vocab": {"mech": list(MECHANISM_CATEGORIES), "strat": list(STRATEGY_CATEGORIES)},
    }
