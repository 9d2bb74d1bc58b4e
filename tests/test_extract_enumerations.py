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
