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


def test_a_gene_qualifying_a_process_leaves_the_process_as_mechanism(read_keys):
    text = (
        "Lysosomes\n\nT-DM1 resistance in these cells stems from AMPK-dependent lysosomal "
        "processing of the conjugate."
    )
    assert {k[1] for k in read_keys(text)} == {"lysosomal_trafficking"}


def test_resistance_to_the_payload_moiety_is_payload_resistance(read_keys):
    text = (
        "Payload\n\nThe cells were less sensitive to T-DM1 owing to intrinsic resistance to "
        "the DM1 moiety."
    )
    assert ("trastuzumab emtansine", "payload_resistance", "DM1", "", False) in read_keys(text)


def test_inhibitors_and_knockdown_of_coordinated_pumps_pair_each_with_its_own(read_keys):
    text = (
        "Pumps\n\nPharmacological inhibitors and shRNA knockdown of ABCB1 and ABCC1 restored "
        "sensitivity to brentuximab vedotin."
    )
    full = {(k[2], k[3]) for k in read_keys(text) if k[3]}
    assert full == {("ABCB1", "efflux_inhibition"), ("ABCC1", "efflux_inhibition")}


def test_a_payload_carried_by_a_pump_is_efflux(read_keys):
    text = "Efflux\n\nThe payload of polatuzumab vedotin is a substrate of P-gp."
    assert {k[1] for k in read_keys(text)} == {"drug_efflux"}


def test_slot_words_keep_a_symbols_case():
    from pipeline.extract.slots import display_words

    assert display_words("Tumor heterogeneity") == "tumor heterogeneity"
    assert display_words("Her2 loss") == "Her2 loss"
    assert display_words("P-gp overexpression") == "P-gp overexpression"


def test_a_process_the_predicate_says_is_altered_is_a_mechanism(read_keys):
    text = (
        "Lysosomes\n\nWe derived a T-DM1-resistant SKBR3-R line. Lysosomal proteolytic "
        "activity, measured with a DQ-BSA probe, was markedly reduced in SKBR3-R cells."
    )
    assert {k[1] for k in read_keys(text, "markedly")} == {"lysosomal_trafficking"}


def test_minimal_resistance_denies_it(read_keys):
    text = "Payload\n\nT-DM1-resistant cells showed minimal resistance to DM1."
    assert read_keys(text) == {("trastuzumab emtansine", "payload_resistance", "DM1", "", True)}
