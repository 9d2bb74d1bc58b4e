"""pipeline.extract.claims: the claim records; wording of the text, entity of the key."""

from __future__ import annotations


def test_mechanism_and_strategy_columns_keep_the_texts_wording(read_text):
    text = (
        "MDR1 and brentuximab vedotin\n\n"
        "Inhibition of MDR1 overcomes resistance to brentuximab vedotin in Hodgkin lymphoma."
    )
    claims = [c for c in read_text(text) if c.triple.strategy and c.triple.mechanism]
    assert claims, "the spec's example gives a full triple"
    t = claims[0].triple
    assert t.mechanism_entity == "ABCB1" and t.mechanism == "MDR1"
    assert t.strategy_entity == "ABCB1 inhibition" and "MDR1" in t.strategy


def test_respectively_pairs_drugs_and_markers_in_order(read_keys):
    text = (
        "Review\n\nTrastuzumab emtansine and mirvetuximab soravtansine are approved ADCs. "
        "Higher levels of HER2 and FRα positivity have been correlated with improved "
        "outcomes in these drugs, respectively."
    )
    pairs = {(k[0], k[2]) for k in read_keys(text, "respectively") if k[1]}
    assert pairs == {("trastuzumab emtansine", "ERBB2"), ("mirvetuximab soravtansine", "FOLR1")}
