"""pipeline.extract.frame: which sentences can state a claim (spec, "What counts as a
claim"), read through ingest, NER and extraction."""

from __future__ import annotations

from pipeline.extract.frame import section_label
from pipeline.pack import load_pack

TITLE = "Loss of SLFN11 confers resistance to sacituzumab govitecan"


def test_structured_abstract_labels_open_sections():
    labels = load_pack().abstract_sections
    assert section_label("Experimental Design:In vitro activity was assessed.", labels) == (
        "methods"
    )
    assert section_label("Results: SLFN11 was lost.", labels) == "results"
    assert section_label("BACKGROUND HER2-targeting therapies work.", labels) == "background"
    assert section_label("HER2: a target.", labels) == ""


def test_methods_aims_and_questions_state_no_claim_but_findings_do(read_keys):
    text = (
        f"{TITLE}\n\n"
        "Purpose: We sought to determine whether SLFN11 loss causes resistance to "
        "sacituzumab govitecan. "
        "Methods: SLFN11 expression was assessed in sacituzumab govitecan-resistant cells. "
        "Results: Loss of SLFN11 was associated with resistance to sacituzumab govitecan. "
        "It is unknown whether SLFN11 loss causes resistance to other ADCs."
    )
    found = {k[:2] for k in read_keys(text, "associated with resistance")}
    assert found == {("sacituzumab govitecan", "payload_resistance")}
    for sentence in ("We sought", "was assessed", "It is unknown"):
        assert read_keys(text, sentence) == set(), sentence


def test_a_method_sentence_that_also_states_a_finding_is_read(read_keys):
    text = (
        f"{TITLE}\n\n"
        "We developed resistant cell lines and observed that resistance to brentuximab "
        "vedotin is associated with an upregulation of MDR1."
    )
    assert ("brentuximab vedotin", "drug_efflux", "ABCB1", "", False) in read_keys(text)


def test_a_study_title_without_resistance_wording_states_no_claim(read_keys):
    text = (
        "Sequential sacituzumab govitecan and trastuzumab deruxtecan in patients with "
        "breast cancer\n\nTROP2 loss was associated with resistance to sacituzumab govitecan."
    )
    assert read_keys(text, "Sequential") == set()
    assert read_keys(text, "TROP2 loss")


def test_how_an_adc_works_is_no_claim(read_keys):
    text = (
        "Mechanisms of T-DM1 activity\n\nFor ADCs with stable linkers like T-DM1, the ADC "
        "must bind to the antigen (HER2), be internalized via endocytosis, and undergo "
        "degradation within the lysosome to release the payload."
    )
    assert read_keys(text) == set()


def test_unlabelled_background_takes_no_paper_drug(read_keys):
    text = (
        "CD22 splicing and inotuzumab ozogamicin\n\n"
        "Downregulation of surface antigens causes relapses after immunotherapy. "
        "Here, reduced CD22 expression conferred resistance to inotuzumab ozogamicin. "
        "In a patient, CD22 loss at relapse was driven by exon skipping."
    )
    assert read_keys(text, "Downregulation") == set()
    assert {k[:3] for k in read_keys(text, "CD22 loss")} == {
        ("inotuzumab ozogamicin", "antigen_loss", "CD22")
    }


def test_study_descriptions_are_no_claims(read_keys):
    text = (
        "Sequencing\n\nPURPOSE: Limited data are available on sequencing of ADCs after "
        "resistance. This study assesses sequential sacituzumab govitecan and trastuzumab "
        "deruxtecan in patients resistant to one of them. RESULTS: Patients were divided "
        "into two cohorts: ADCs given sequentially or not."
    )
    assert not read_keys(text)


def test_an_open_whether_and_a_review_of_evidence_are_no_claims(read_keys):
    text = (
        "Caveolin\n\nWhether caveolin-1 can be raised to overcome T-DM1 resistance is "
        "interesting. We reviewed current evidence on biomarkers predicting resistance to "
        "enfortumab vedotin."
    )
    assert not read_keys(text)


def test_a_substrate_of_a_pump_is_efflux_but_of_another_transporter_is_not(read_keys):
    pump = "Pumps\n\nDM4, the payload of mirvetuximab soravtansine, is a substrate of P-gp."
    assert {k[1] for k in read_keys(pump)} == {"drug_efflux"}
    other = "Lysosomes\n\nMaytansine, the payload of T-DM1, is a substrate for SLC46A3."
    assert not read_keys(other)


def test_a_trial_that_evaluated_is_design_what_is_being_investigated_is_the_field(read_keys):
    text = (
        "T-DXd in breast cancer\n\n"
        "The phase 2 DAISY trial evaluated the efficacy of T-DXd in patients with "
        "HER2-low and HER2 non-expressing metastatic breast cancer. "
        "To overcome resistance to ADCs, combination therapies are being investigated."
    )
    assert read_keys(text, "DAISY") == set()
    assert {k[3] for k in read_keys(text, "being investigated")} == {"combination_other"}
