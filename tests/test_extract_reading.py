"""pipeline.extract.reading: what counts as a resistance point."""

from __future__ import annotations

from pipeline.extract.frame import BODY, Frame
from pipeline.extract.reading import read_cues
from pipeline.model import Mention
from pipeline.pack import load_pack

CUES = load_pack().cues
ABSTRACT = Frame("results", True, True)


def _drug(text: str, surface: str, typ: str) -> Mention:
    s = text.index(surface)
    return Mention("d", 0, s, s + len(surface), surface, typ, f"x:{surface}", surface, "pack")


def test_a_disease_population_is_no_resistance_to_the_adc():
    text = "Patients with relapsed/refractory Hodgkin lymphoma received brentuximab vedotin."
    assert read_cues(text, [], 0, CUES, ABSTRACT).resistance == []
    refractory = "Responses were seen in patients refractory to brentuximab vedotin."
    assert read_cues(refractory, [], 0, CUES, ABSTRACT).resistance


def test_resistance_to_another_therapy_is_no_resistance_to_the_adc():
    text = "HER3-DXd was active in EGFR TKI-resistant cancers."
    mentions = [_drug(text, "HER3-DXd", "ADC"), _drug(text, "EGFR TKI", "DRUG_CLASS")]
    assert read_cues(text, mentions, 0, CUES, ABSTRACT).resistance == []
    own = "Resistance to HER3-DXd developed in EGFR-mutant cancers."
    assert read_cues(own, [_drug(own, "HER3-DXd", "ADC")], 0, CUES, ABSTRACT).resistance


def test_improvement_wording_overcomes_only_in_a_review():
    text = "The combination enhanced antitumor activity."
    assert read_cues(text, [], 0, CUES, BODY).overcome
    assert read_cues(text, [], 0, CUES, ABSTRACT).overcome == []


def test_an_association_with_an_outcome_is_a_resistance_point():
    text = "Membranous NECTIN-4 loss was associated with shorter PFS on EV."
    assert read_cues(text, [], 0, CUES, ABSTRACT).claims_resistance
    assert not read_cues(
        "NECTIN-4 was associated with the membrane.", [], 0, CUES, ABSTRACT
    ).association


def test_a_loss_after_treatment_with_the_adc_is_acquired_resistance(read_keys):
    text = (
        "Loss of CD19 Expression in Lymphoma After Loncastuximab Treatment\n\n"
        "We describe one patient."
    )
    assert read_keys(text) == {("loncastuximab tesirine", "antigen_loss", "CD19", "", False)}


def test_an_increase_after_treatment_is_no_resistance(read_keys):
    text = (
        "Response\n\nIncreased cleaved caspase-3 was observed in tumor stroma after "
        "loncastuximab tesirine treatment."
    )
    assert not read_keys(text)


def test_regulators_of_adc_toxicity_are_resistance_genes(read_keys):
    text = (
        "Screens\n\nGenome-wide screens reveal endosomal trafficking regulators as "
        "determinants of ADC cytotoxicity."
    )
    assert {k[1] for k in read_keys(text)} == {"lysosomal_trafficking"}


def test_depleting_a_resistance_gene_with_a_partner_drug_overcomes(read_keys):
    text = (
        "Statins\n\nT-DM1 uptake falls in tumors rich in caveolin-1. "
        "CAV1 depletion with statins or siRNA increased T-DM1 efficacy in xenografts."
    )
    keys = read_keys(text, "depletion")
    full = ("trastuzumab emtansine", "impaired_internalization", "CAV1", "combination_other", False)
    assert full in keys
