"""pipeline.extract.contrast: contrasts between sensitive and resistant groups are
resistance claims (spec)."""

from __future__ import annotations

from pipeline.extract.contrast import find_contrast
from pipeline.pack import load_pack

CUES = load_pack().cues


def test_higher_on_the_sensitive_side_is_lost_in_resistance():
    text = "FOLR1 was significantly higher in mirvetuximab-sensitive models."
    c = find_contrast(text, CUES)
    assert c is not None and c.lost_in_resistance(0)
    gained = find_contrast("ABCG2 was higher in T-DXd-resistant than in parental cells.", CUES)
    assert gained is not None and not gained.lost_in_resistance(0)
    lower = find_contrast("CD30 was lower in resistant lines than in parental ones.", CUES)
    assert lower is not None and lower.lost_in_resistance(0)


def test_no_contrast_without_a_group_or_a_comparison_word():
    assert find_contrast("FOLR1 expression was higher after treatment.", CUES) is None
    assert find_contrast("Sensitive models were treated.", CUES) is None


def test_contrast_claims_read_through_the_pipeline(read_keys):
    text = (
        "FOLR1 and mirvetuximab soravtansine\n\n"
        "FOLR1 expression was significantly higher in mirvetuximab soravtansine-sensitive "
        "models. "
        "Non-responders had higher ABCB1 expression than responders to mirvetuximab "
        "soravtansine."
    )
    assert ("mirvetuximab soravtansine", "antigen_loss", "FOLR1", "", False) in read_keys(
        text, "significantly higher"
    )
    assert ("mirvetuximab soravtansine", "drug_efflux", "ABCB1", "", False) in read_keys(
        text, "Non-responders"
    )
