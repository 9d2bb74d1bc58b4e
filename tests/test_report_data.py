"""Report data preparation on the tiny fixture tables in tests/fixtures/report/."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cited_refs import CitedRef, parse_cited_refs
from pipeline.model import MECHANISM_CATEGORIES, STRATEGY_CATEGORIES
from pipeline.report.highlight import highlight_spans
from pipeline.report.links import ref_links
from pipeline.report.load import load_tables
from pipeline.report.payload import evidence_by_triple, inferred_rows, safe_json, triple_rows
from pipeline.report.prepare import (
    NO_DRUG_LABEL,
    changes_since,
    described_mechanisms,
    drug_mechanism_matrix,
    headline_counts,
    mechanism_strategy_matrix,
    normalise_tables,
    open_mechanisms,
)

FIXTURES = Path(__file__).parent / "fixtures" / "report"


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return normalise_tables(load_tables(FIXTURES))


def _tid(t, drug: str) -> str:
    return t["triples"].loc[t["triples"]["drug"] == drug, "triple_id"].iloc[0]


# --- cited references and links -------------------------------------------------------------


def test_parse_cited_refs_normalises_and_deduplicates():
    cell = (
        "3|doi:10.1000/xyz3|pmid:111|pmcid:PMC123; 2|doi:|pmid:222|pmcid:; "
        "4|doi:https://doi.org/10.1000/ABC|pmid:|pmcid:456; "
        "3|doi:10.1000/xyz3|pmid:111|pmcid:PMC123"
    )
    refs = parse_cited_refs(cell)
    assert refs == [
        CitedRef(3, "10.1000/xyz3", "111", "PMC123"),
        CitedRef(2, "", "222", ""),
        CitedRef(4, "10.1000/ABC", "", "PMC456"),
    ]
    assert parse_cited_refs("") == []
    assert parse_cited_refs("  ;  ") == []


def test_ref_links_build_doi_pubmed_and_pmc_urls():
    links = ref_links(CitedRef(3, "10.1000/a(b)c<x>", "11111111", "PMC123"))
    assert links == [
        ("DOI", "https://doi.org/10.1000/a(b)c%3Cx%3E"),
        ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/11111111/"),
        ("PMC", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/"),
    ]


def test_ref_links_skip_malformed_identifiers():
    bad = CitedRef(1, "not-a-doi", "12ab", "javascript:alert(1)")
    assert ref_links(bad) == []
    assert ref_links(CitedRef(1)) == []


def test_paper_key_prefers_doi_case_insensitively():
    assert CitedRef(1, "10.1/AB").paper_key("d1") == CitedRef(9, "10.1/ab").paper_key("d2")
    assert CitedRef(1, pmid="5").paper_key("d1") == "pmid:5"
    assert CitedRef(7).paper_key("d1") == "ref:d1#7"


# --- counts and changes ---------------------------------------------------------------------


def test_headline_counts(t):
    counts = headline_counts(t)
    assert counts["documents"] == 2
    assert counts["sentences"] == 5
    assert counts["triples"] == 4
    assert counts["evidence"] == 5
    # 10.1000/xyz3 is cited by both documents (once with a doi.org prefix, in upper case)
    assert counts["cited_papers"] == 3
    assert counts["inferred"] == 1
    assert counts["hedged_evidence"] == 2
    assert counts["negated_evidence"] == 1
    assert counts["references"] == 4  # filled slots only
    assert counts["drugs"] == 4


def test_documents_fall_back_to_distinct_doc_ids(t):
    tables = dict(t)
    tables["documents"] = tables["documents"].iloc[0:0]
    assert headline_counts(normalise_tables(tables))["documents"] == 2


def test_changes_since_previous_summary():
    counts = {"triples": 5, "evidence": 9}
    assert changes_since(counts, {"a"}, None)["has_previous"] is False
    ch = changes_since(
        counts, {"a", "b", "c"}, {"counts": {"triples": 3}, "triple_ids": ["a", "z"]}
    )
    assert ch["deltas"] == {"triples": 2}
    assert ch["new_triples"] == ["b", "c"]
    assert ch["removed_triples"] == ["z"]
    flat = changes_since(counts, {"a"}, {"triples": 7, "evidence": 9})
    assert flat["deltas"] == {"triples": -2, "evidence": 0}
    assert flat["has_triple_ids"] is False and flat["new_triples"] == []


# --- matrices -------------------------------------------------------------------------------


def test_drug_mechanism_matrix_counts_negated_evidence_apart_from_support(t):
    counts, hedged, negated = drug_mechanism_matrix(t)
    assert list(counts.columns) == list(MECHANISM_CATEGORIES)
    assert list(counts.index) == [
        "sacituzumab govitecan",  # most evidence first
        "antibody-drug conjugate",
        "brentuximab vedotin",
        "trastuzumab deruxtecan",
    ]
    assert counts.loc["sacituzumab govitecan", "payload_resistance"] == 2
    assert hedged.loc["sacituzumab govitecan", "payload_resistance"] == 1
    assert negated.loc["trastuzumab deruxtecan", "drug_efflux"] == 1
    assert counts.loc["trastuzumab deruxtecan", "drug_efflux"] == 0  # denied: no support
    assert counts.loc["brentuximab vedotin", "drug_efflux"] == 1
    assert int(counts.to_numpy().sum()) == 4
    assert int(counts["tumor_heterogeneity"].sum()) == 0  # empty column kept


def test_mechanism_strategy_matrix_and_open_mechanisms(t):
    m = mechanism_strategy_matrix(t)
    assert list(m.index) == list(MECHANISM_CATEGORIES)
    assert list(m.columns) == list(STRATEGY_CATEGORIES)
    assert m.loc["drug_efflux", "efflux_inhibition"] == 1
    assert m.loc["antigen_loss", "bispecific_biparatopic_adc"] == 1
    assert int(m.to_numpy().sum()) == 2
    opened = open_mechanisms(m)
    assert "payload_resistance" in opened and "drug_efflux" not in opened
    described = described_mechanisms(t)
    assert described["payload_resistance"] == 2 and described["tumor_heterogeneity"] == 0


def test_off_vocabulary_category_is_shown_not_dropped(t):
    tables = dict(t)
    tri = tables["triples"].copy()
    tri.loc[0, "mechanism_category"] = "made_up"
    tables["triples"] = tri
    counts, _, _ = drug_mechanism_matrix(normalise_tables(tables))
    assert list(counts.columns)[-1] == "made_up"
    assert int(counts["made_up"].sum()) >= 1


# --- table normalisation --------------------------------------------------------------------


def test_missing_required_column_is_named():
    tables = load_tables(FIXTURES)
    tables["evidence"] = tables["evidence"].drop(columns=["cited_refs"])
    with pytest.raises(ValueError, match="evidence.*cited_refs"):
        normalise_tables(tables)
    with pytest.raises(ValueError, match="triples"):
        normalise_tables({"evidence": tables["evidence"]})


def test_string_booleans_and_numbers_are_typed(t):
    ev = t["evidence"]
    assert ev["negated"].dtype == bool and int(ev["negated"].sum()) == 1
    assert t["triples"]["confidence"].dtype == float
    assert t["triples"]["n_evidence"].tolist() == [1, 2, 1, 1]


# --- highlighting ---------------------------------------------------------------------------


def test_highlight_uses_mention_offsets_and_slot_roles(t):
    tid = _tid(t, "brentuximab vedotin")
    ev = evidence_by_triple(t)[tid][0]
    marked = {ev["s"][s:e]: role for s, e, role in ev["hl"]}
    assert marked == {
        "Inhibition": "strategy",
        "MDR1": "mechanism",
        "brentuximab vedotin": "drug",
        "Hodgkin lymphoma": "entity",
    }


def test_highlight_falls_back_to_slot_strings_without_mentions():
    triple = {
        "drug": "antibody-drug conjugate",
        "drug_id": "adc:generic",
        "mechanism": "heterogeneous HER2 expression",
        "mechanism_category": "antigen_loss",
        "mechanism_entity": "ERBB2",
        "strategy": "bispecific ADCs",
        "strategy_category": "bispecific_biparatopic_adc",
        "strategy_entity": "bispecific ADC",
    }
    s = "Bispecific ADCs may circumvent heterogeneous HER2 expression."
    spans = highlight_spans(s, 100, triple)
    assert [(s[a:b], r) for a, b, r in spans] == [
        ("Bispecific ADCs", "strategy"),  # the slot string wins over the generic "ADCs"
        ("heterogeneous HER2 expression", "mechanism"),
    ]


def test_highlight_relocates_mentions_with_stale_offsets():
    triple = {"drug": "x", "drug_id": "hgnc:none", "mechanism_category": "drug_efflux",
              "mechanism_entity": "ABCG2"}  # fmt: skip
    mention = {"char_start": 5, "char_end": 10, "text": "ABCG2", "canonical": "ABCG2",
               "entity_id": "hgnc:ABCG2", "type": "GENE"}  # fmt: skip
    s = "High ABCG2 levels."
    assert highlight_spans(s, 1000, triple, [mention]) == [(5, 10, "mechanism")]
    assert highlight_spans(s, 0, triple, [mention]) == [(5, 10, "mechanism")]


# --- page payload ---------------------------------------------------------------------------


def test_evidence_payload_carries_links_and_reference_titles(t):
    ev = evidence_by_triple(t)[_tid(t, "sacituzumab govitecan")]
    assert [e["doc"] for e in ev] == ["d1", "d2"]
    ref = ev[0]["refs"][0]
    assert ref["n"] == 3 and ref["title"] == "SLFN11 loss and TOP1 ADC resistance"
    assert [label for label, _ in ref["links"]] == ["DOI", "PubMed", "PMC"]
    assert ev[1]["hed"] is True and ev[1]["refs"][0]["links"] == [
        ("DOI", "https://doi.org/10.1000/XYZ3")
    ]


def test_triple_rows_sorted_and_flag_new(t):
    rows = triple_rows(t["triples"], {_tid(t, "trastuzumab deruxtecan")})
    assert [r["conf"] for r in rows] == sorted((r["conf"] for r in rows), reverse=True)
    assert [r["drug"] for r in rows if r["new"]] == ["trastuzumab deruxtecan"]


def test_inferred_rows_name_source_drug(t):
    (row,) = inferred_rows(t)
    assert row["drug"] == "trastuzumab deruxtecan" and row["srcdrug"] == "sacituzumab govitecan"
    assert row["basis"] == "payload_class"


def test_safe_json_cannot_close_the_script_element():
    data = {"s": "a </script><script>alert(1)</script> <!-- & \u2028"}
    text = safe_json(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_cited_ref_without_ids_takes_them_from_the_reference_list(t):
    tables = dict(t)
    ev = tables["evidence"].copy()
    row = ev.index[ev["sentence"].str.startswith("Loss of SLFN11 expression")][0]
    ev.loc[row, "cited_refs"] = "3|doi:|pmid:|pmcid:"
    tables["evidence"] = ev
    evs = evidence_by_triple(normalise_tables(tables))[_tid(t, "sacituzumab govitecan")]
    assert [label for label, _ in evs[0]["refs"][0]["links"]] == ["DOI", "PubMed", "PMC"]


def test_mechanism_row_without_a_drug_gets_a_visible_label(t):
    tables = dict(t)
    tri = tables["triples"].copy()
    row = tri.index[tri["mechanism_category"] != ""][0]
    tri.loc[row, "drug"] = ""
    tables["triples"] = tri
    counts, _, _ = drug_mechanism_matrix(normalise_tables(tables))
    assert "" not in counts.index
    assert NO_DRUG_LABEL in counts.index
