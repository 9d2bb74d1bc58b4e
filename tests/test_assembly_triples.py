"""Assembly: dedup keeps every evidence row, stable ids, counts, confidence."""

from __future__ import annotations

import pytest

from pipeline.assembly import assemble, confidence
from pipeline.model import Claim, Evidence, Triple, make_triple_id


def claim(
    doc="d1",
    start=0,
    drug="trastuzumab emtansine",
    drug_id="adc:trastuzumab_emtansine",
    mcat="drug_efflux",
    ment="ABCB1",
    scat="",
    sent="",
    negated=False,
    hedged=False,
    refs="",
    mechanism="ABCB1 upregulation",
) -> Claim:
    tid = make_triple_id(drug_id, mcat, ment, scat, sent)
    t = Triple(tid, drug, drug_id, mechanism, mcat, ment, sent, scat, sent)
    e = Evidence(
        tid,
        doc,
        "Results",
        start // 100,
        start,
        start + 50,
        f"sentence {doc} {start}",
        refs,
        negated,
        hedged,
        "drug_mechanism@test",
    )
    return Claim(t, e)


def ev(doc="d1", start=0, negated=False, hedged=False) -> Evidence:
    return claim(doc=doc, start=start, negated=negated, hedged=hedged).evidence


def test_merge_keeps_every_distinct_evidence_and_dedups_same_sentence():
    claims = [
        claim("d1", 0, refs="1|doi:10.1/a|pmid:|pmcid:"),
        claim("d1", 0, refs="1|doi:10.1/a|pmid:|pmcid:"),  # same sentence twice
        claim("d1", 100, refs="2|doi:|pmid:|pmcid:PMC1; 1|doi:10.1/a|pmid:|pmcid:"),
        claim("d2", 0, hedged=True, refs="7|doi:10.1/A|pmid:|pmcid:"),
        claim("d2", 100, negated=True, mechanism="MDR1 upregulation"),
        claim("d2", 200, mcat="drug_efflux", ment="ABCG2"),
    ]
    triples, evidence = assemble(claims)
    assert len(triples) == 2
    abcb1 = next(t for t in triples if t.mechanism_entity == "ABCB1")
    assert abcb1.n_evidence == 4
    assert abcb1.n_documents == 2
    assert abcb1.n_cited_papers == 2  # doi 10.1/a (cited in both docs, any case) and PMC1
    assert abcb1.n_negated == 1 and abcb1.n_hedged == 1
    assert abcb1.mechanism == "ABCB1 upregulation"  # most common surface name
    assert len(evidence) == 5
    assert {e.triple_id for e in evidence} == {t.triple_id for t in triples}
    assert len({(e.triple_id, e.doc_id, e.char_start, e.char_end) for e in evidence}) == 5


def test_triple_id_is_stable_and_case_insensitive():
    a = make_triple_id("adc:x", "drug_efflux", "ABCB1", "", "")
    assert a == make_triple_id(" ADC:X", "drug_efflux", "abcb1 ", "", "")
    assert a == "t_" + a[2:] and len(a) == 18
    triples, _ = assemble([claim()])
    assert triples[0].triple_id == make_triple_id(
        "adc:trastuzumab_emtansine", "drug_efflux", "ABCB1", "", ""
    )


def test_assemble_is_order_independent():
    claims = [claim("d1", 0), claim("d2", 100, hedged=True), claim("d3", 0, ment="ABCG2")]
    assert assemble(claims) == assemble(list(reversed(claims)))


def test_confidence_monotonicity():
    one = confidence([ev("d1", 0)])
    assert 0 < one < 1
    same_doc = confidence([ev("d1", 0), ev("d1", 100)])
    two_docs = confidence([ev("d1", 0), ev("d2", 0)])
    assert one < same_doc < two_docs  # independent sources raise it more
    assert confidence([ev("d1", 0, hedged=True)]) < one
    assert confidence([ev("d1", 0), ev("d2", 0, negated=True)]) < one
    assert confidence([ev("d1", 0, negated=True)]) == 0.0
    assert confidence([]) == 0.0


def test_confidence_formula_values():
    # err(doc) = 0.1 + 0.9 * 0.3 = 0.37 -> 0.63; two documents: 1 - 0.37**2
    assert confidence([ev("d1")]) == pytest.approx(0.63)
    assert confidence([ev("d1"), ev("d2", 5)]) == pytest.approx(round(1 - 0.37**2, 4))


def test_a_triple_only_ever_denied_is_a_negative_finding():
    denied, _ = assemble([claim("d1", 0, negated=True), claim("d2", 0, negated=True)])
    assert [(t.polarity, t.n_negated) for t in denied] == [("negated", 2)]
    mixed, _ = assemble([claim("d1", 0, negated=True), claim("d2", 0)])
    assert [t.polarity for t in mixed] == ["affirmed"]
