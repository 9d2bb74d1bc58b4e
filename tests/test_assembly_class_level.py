"""Class-level view: ADCs sharing the payload class or target of a resisted drug, inferred."""

from __future__ import annotations

from test_assembly_triples import claim

from pipeline.assembly import assemble, infer_class_level

CATALOG = [
    {
        "inn": "trastuzumab deruxtecan",
        "target_symbol": "ERBB2",
        "payload": "DXd",
        "payload_class": "TOP1 inhibitor",
    },
    {
        "inn": "datopotamab deruxtecan",
        "target_symbol": "TACSTD2",
        "payload": "DXd",
        "payload_class": "TOP1 inhibitor",
    },
    {
        "inn": "sacituzumab govitecan",
        "target_symbol": "TACSTD2",
        "payload": "SN-38",
        "payload_class": "TOP1 inhibitor",
    },
    {
        "inn": "trastuzumab emtansine",
        "target_symbol": "ERBB2",
        "payload": "DM1",
        "payload_class": "microtubule inhibitor",
    },
]


def test_class_level_inference_payload_and_target():
    c1 = claim(
        drug="sacituzumab govitecan",
        drug_id="adc:sacituzumab_govitecan",
        mcat="payload_resistance",
        ment="TOP1",
    )
    c2 = claim(
        drug="trastuzumab deruxtecan",
        drug_id="adc:trastuzumab_deruxtecan",
        mcat="antigen_loss",
        ment="ERBB2",
    )
    c3 = claim(drug="trastuzumab emtansine", mcat="drug_efflux", ment="ABCB1")
    triples, _ = assemble([c1, c2, c3])
    inferred = infer_class_level(triples, CATALOG)
    got = {(i.drug, i.shared_with_drug, i.basis, i.shared_value) for i in inferred}
    assert got == {
        ("sacituzumab govitecan", "trastuzumab deruxtecan", "payload_class", "TOP1 inhibitor"),
        ("sacituzumab govitecan", "datopotamab deruxtecan", "payload_class", "TOP1 inhibitor"),
        ("trastuzumab deruxtecan", "trastuzumab emtansine", "target", "ERBB2"),
    }
    assert all(i.inferred for i in inferred)


def test_class_level_generic_antigen_loss_uses_the_gene_and_skips_fully_negated():
    c = claim(
        drug="antibody-drug conjugate",
        drug_id="adcclass:generic",
        mcat="antigen_loss",
        ment="TACSTD2",
    )
    neg = claim(
        drug="trastuzumab deruxtecan",
        drug_id="adc:trastuzumab_deruxtecan",
        mcat="antigen_loss",
        ment="ERBB2",
        negated=True,
    )
    triples, _ = assemble([c, neg])
    inferred = infer_class_level(triples, CATALOG)
    assert {i.shared_with_drug for i in inferred} == {
        "datopotamab deruxtecan",
        "sacituzumab govitecan",
    }
