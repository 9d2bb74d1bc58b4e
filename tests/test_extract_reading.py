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
