"""pipeline.extract.strategies: which strategy slots are strategies against resistance."""

from __future__ import annotations


def test_a_combination_without_a_resistance_angle_is_no_strategy_in_an_abstract(read_keys):
    text = (
        "Sacituzumab govitecan plus olaparib\n\n"
        "The combination of sacituzumab govitecan plus olaparib improved antitumor effects "
        "compared with monotherapy in xenografts. "
        "Sacituzumab govitecan plus olaparib restored sensitivity in sacituzumab "
        "govitecan-resistant xenografts."
    )
    assert read_keys(text, "improved antitumor") == set()
    assert ("sacituzumab govitecan", "", "", "combination_targeted_therapy", False) in read_keys(
        text, "restored sensitivity"
    )


def test_an_inhibitor_aimed_at_the_mechanism_it_names_is_a_strategy(read_keys):
    text = (
        "BCL2 and gemtuzumab ozogamicin\n\n"
        "Venetoclax, a selective BCL2 inhibitor, synergized with gemtuzumab ozogamicin in "
        "BCL2-high cell lines."
    )
    assert any(k[3] == "combination_targeted_therapy" for k in read_keys(text))


def test_an_inhibitor_that_induces_resistance_is_an_experiment(read_keys):
    text = (
        "V-ATPase and T-DM1\n\n"
        "Treatment of sensitive cells with the V-ATPase inhibitor bafilomycin A1 induced "
        "T-DM1 resistance, suggesting that aberrant lysosomal acidification leads to T-DM1 "
        "resistance."
    )
    assert all(not k[3] for k in read_keys(text))
    assert any(k[1] == "lysosomal_trafficking" for k in read_keys(text))


def test_a_strategys_effect_is_not_a_mechanism_nor_an_inactivation_a_strategy(read_keys):
    """The PLK1 title a curator checked: CDK1 carries PLK1 inhibition's effect, and
    "inactivation of Bcl-2/xL" is an effect, not BCL2 inhibition (spec)."""
    text = (
        "Review\n\nReferences\n\n1. Targeting PLK1 overcomes T-DM1 resistance via "
        "CDK1-dependent phosphorylation and inactivation of Bcl-2/xL in HER2-positive breast "
        "cancer. Mol Cancer 2018."
    )
    found = read_keys(text, "Targeting PLK1")
    assert {k[2] for k in found} >= {"PLK1"}
    assert "CDK1" not in {k[2] for k in found}
    assert all(k[3] == "combination_targeted_therapy" for k in found)


def test_an_antibody_joined_to_its_payload_is_the_adc_not_a_partner(read_keys):
    text = (
        "Tumor cells chronically treated with a trastuzumab\u2013maytansinoid antibody\u2013drug "
        "conjugate develop varied resistance mechanisms but respond to alternate treatments\n\n"
        "ADCs are drugs."
    )
    assert "combination_targeted_therapy" not in {k[3] for k in read_keys(text, "chronically")}
