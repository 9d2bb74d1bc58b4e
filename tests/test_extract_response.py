"""pipeline.extract.response: an ADC's antigen at a stated level against the response."""

from __future__ import annotations

import pytest

from pipeline.extract.response import antigen_level, response_is_good
from pipeline.pack import load_pack


def _level(text: str, gene: str) -> bool | None:
    s = text.index(gene)
    return antigen_level(text, s, s + len(gene))


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("patients with no HER2 expression", True),
        ("tumours with low HER2", True),
        ("a HER2 1 + status", True),
        ("HER2-low disease", True),
        ("high levels of the protein NECTIN4", False),
        ("NECTIN4 amplification was frequent", False),
        ("HER2-positive cancers", None),  # the drug's population, not a level
        ("EGFR-amplified tumours", None),
        ("increased HER3 expression", None),  # a change, not a level
    ],
)
def test_antigen_level(text, low):
    gene = next(g for g in ("HER2", "HER3", "NECTIN4", "EGFR") if g in text)
    assert _level(text, gene) is low


def test_response_polarity():
    cues = load_pack().cues
    assert response_is_good("Most patients responded well.", [], cues) is True
    assert response_is_good("No treatment responses were seen.", [], cues) is False
    assert response_is_good("Patients with no HER2 expression responded.", [], cues) is True
    assert response_is_good("Tumours grew.", [], cues) is None


def test_low_antigen_with_a_good_response_denies_antigen_loss(read_keys):
    text = (
        "Case series\n\nTwo patients with no TROP2 expression responded to sacituzumab govitecan."
    )
    assert read_keys(text) == {("sacituzumab govitecan", "antigen_loss", "TACSTD2", "", True)}


def test_high_antigen_with_a_good_response_affirms_it(read_keys):
    text = "Biomarkers\n\nPatients with high levels of CD30 responded to brentuximab vedotin."
    assert read_keys(text) == {("brentuximab vedotin", "antigen_loss", "TNFRSF8", "", False)}


def test_a_good_response_in_the_drugs_population_is_no_claim(read_keys):
    text = "Trial\n\nT-DXd was highly active in HER2-positive gastric cancer."
    assert not read_keys(text)
