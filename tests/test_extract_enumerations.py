"""Reviews enumerate mechanisms and strategies in general words ('alterations in signaling
pathways', 'new payloads', 'immunotherapy combinations'): each is a slot of its category."""

from __future__ import annotations

REVIEW = (
    "Resistance to trastuzumab deruxtecan\n\n"
    "Resistance to trastuzumab deruxtecan arises from alterations in signaling pathways and "
    "impaired ADC processing. "
    "New payloads and immunotherapy combinations are being developed to overcome resistance "
    "to trastuzumab deruxtecan."
)


def test_a_review_s_general_mechanism_words_are_mechanisms(read_keys):
    found = read_keys(REVIEW, "alterations in signaling")
    assert {k[1] for k in found} == {"bypass_signaling", "lysosomal_trafficking"}
    assert {k[0] for k in found} == {"trastuzumab deruxtecan"}


def test_a_review_s_general_strategy_words_are_strategies(read_keys):
    found = read_keys(REVIEW, "New payloads")
    assert {k[3] for k in found} == {"novel_or_dual_payload", "combination_immunotherapy"}


def test_mechanisms_grouped_by_the_adc_part_they_concern(read_keys):
    text = (
        "ADC resistance\n\n"
        "The mechanisms of ADC resistance fall into antibody-mediated resistance and "
        "payload-related resistance."
    )
    assert {k[1] for k in read_keys(text, "mechanisms")} == {
        "antigen_loss",
        "payload_resistance",
    }


def test_altered_antibody_and_payload_targets_are_two_mechanisms(read_keys):
    text = (
        "Resistance to SG\n\n"
        "Sacituzumab govitecan (SG) is an ADC. "
        "We found parallel genomic alterations in both antibody and payload targets "
        "associated with resistance to SG. "
        "These findings reveal SG resistance mechanisms involving the direct antibody and "
        "drug payload targets."
    )
    assert {k[1] for k in read_keys(text, "parallel")} == {"antigen_loss", "payload_resistance"}
    assert "payload_resistance" in {k[1] for k in read_keys(text, "These findings")}


def test_branches_of_a_tumour_phylogeny_are_heterogeneity(read_keys):
    text = (
        "Resistance to SG\n\n"
        "Sacituzumab govitecan (SG) is an ADC. "
        "Resistance to SG arose in one phylogenetic branch with a TOP1 mutation."
    )
    assert "tumor_heterogeneity" in {k[1] for k in read_keys(text, "phylogenetic")}


def test_a_review_s_routes_and_targeted_surface_antigens(read_keys):
    text = (
        "Acquired resistance to ADCs: a review\n\n"
        "Resistance can develop against the antibody component of ADCs by "
        "down-regulation/mutation of the targeted cell surface antigen. "
        "Resistance mechanisms include changes in the intracellular routing of ADCs."
    )
    assert "antigen_loss" in {k[1] for k in read_keys(text, "down-regulation")}
    assert "lysosomal_trafficking" in {k[1] for k in read_keys(text, "routing")}
