"""pipeline.extract.drugs: the drug a claim is about and the ADC that works where it fails."""

from __future__ import annotations


def test_a_new_payload_in_models_and_sequencing_in_patients(read_keys):
    text = (
        "DS-8201a in T-DM1-resistant models\n\n"
        "DS-8201a was effective in a T-DM1-insensitive PDX model with high HER2 expression. "
        "Patients with T-DM1-insensitive cancers may respond to DS-8201a."
    )
    assert ("trastuzumab emtansine", "", "", "novel_or_dual_payload", False) in read_keys(
        text, "PDX model"
    )
    assert ("trastuzumab emtansine", "", "", "treatment_sequencing", False) in read_keys(
        text, "may respond"
    )


def test_x_but_not_y_speaks_of_y(read_keys):
    works = (
        "DS-8201a and low HER2\n\n"
        "DS-8201a, but not T-DM1, demonstrated antitumor efficacy against PDX models with "
        "low HER2 expression."
    )
    found = read_keys(works)
    assert ("trastuzumab emtansine", "antigen_loss", "ERBB2") in {k[:3] for k in found}
    assert not any(k[0] == "trastuzumab deruxtecan" and k[1] for k in found)
    denied = (
        "PTEN and TOP1 ADCs\n\n"
        "PTEN loss was associated with resistance to T-DXd but not to sacituzumab govitecan."
    )
    found = read_keys(denied)
    assert ("trastuzumab deruxtecan", "bypass_signaling", "PTEN", "", False) in found
    assert ("sacituzumab govitecan", "bypass_signaling", "PTEN", "", True) in found


def test_a_drug_named_beside_the_resisted_one_is_no_strategy(read_keys):
    text = (
        "PTEN and TOP1 ADCs\n\n"
        "PTEN loss was associated with resistance to T-DXd in patients also given SG."
    )
    assert all(k[3] != "treatment_sequencing" for k in read_keys(text))


def test_a_sentence_about_another_drugs_therapy_takes_no_default_adc(read_keys):
    text = (
        "Caveolin and antibody-drug conjugates\n\n"
        "Antibody-drug conjugates are limited by poor uptake. "
        "We studied PTRF as a marker in patient selection for pertuzumab therapy."
    )
    assert not read_keys(text, "pertuzumab therapy")


def test_an_antibody_named_as_part_of_its_conjugate_is_no_partner(read_keys):
    text = (
        "Uptake\n\nWe report an inverse correlation between CAV1 levels and the "
        "trastuzumab-drug conjugate T-DM1 uptake in xenografts."
    )
    keys = read_keys(text)
    assert ("trastuzumab emtansine", "impaired_internalization", "CAV1", "", False) in keys
    assert not any(k[3] for k in keys), "trastuzumab is the conjugate's antibody here"


def test_an_antibody_with_a_payload_family_names_a_kind_of_adc(read_keys):
    text = (
        "Models\n\nCells chronically exposed to a trastuzumab-auristatin conjugate became "
        "resistant through increased ABCB1."
    )
    assert {k[0] for k in read_keys(text)} == {"antibody-drug conjugate"}


def test_unlike_y_x_works_is_resistance_to_y_and_a_new_payload(read_keys):
    text = (
        "Ovarian cancer\n\nUnlike T-DM1, trastuzumab duocarmazine was active against tumours "
        "with low HER2 expression."
    )
    keys = read_keys(text)
    resisted = ("trastuzumab emtansine", "antigen_loss", "ERBB2", "novel_or_dual_payload", False)
    assert resisted in keys
    assert not any(k[0] == "trastuzumab duocarmazine" for k in keys)


def test_a_comparison_of_adcs_in_a_high_antigen_population_is_no_level_claim(read_keys):
    text = (
        "Xenografts\n\nTrastuzumab duocarmazine was more active than T-DM1 against tumours "
        "with high HER2 expression."
    )
    assert not read_keys(text)


def test_a_therapy_class_of_the_papers_antigen_includes_the_papers_adc(read_keys):
    text = (
        "HER2 heterogeneity and trastuzumab emtansine\n\n"
        "We treated patients with trastuzumab emtansine. "
        "Low HER2 expression was associated with resistance to HER2-targeted therapy."
    )
    keys = read_keys(text, "HER2-targeted therapy")
    assert ("trastuzumab emtansine", "antigen_loss", "ERBB2", "", False) in keys


def test_an_adc_after_a_therapy_against_its_own_antigen_is_sequencing(read_keys):
    text = (
        "Myeloma\n\nWe studied belantamab mafodotin. RESULTS: In patients with prior BCMA "
        "exposure, the response rate to belantamab mafodotin was 29%."
    )
    assert ("belantamab mafodotin", "", "", "treatment_sequencing", False) in read_keys(
        text, "prior BCMA"
    )


def test_a_therapy_an_adc_compared_favorably_against_is_a_comparator(read_keys):
    text = (
        "Mechanisms of resistance to ADCs: a review\n\n"
        "While antibody-drug conjugates have compared favorably against traditional "
        "chemotherapy in some settings, patients eventually progress on these therapies and "
        "require a change in treatment."
    )
    assert all(k[3] != "combination_chemotherapy" for k in read_keys(text))


def test_a_response_to_an_adc_beside_other_adcs_is_no_sequencing(read_keys):
    text = (
        "Enfortumab vedotin in urothelial cancer: a review\n\n"
        "Heavily pre-treated patients reported a 40% response to enfortumab vedotin while "
        "other antibody-drug conjugates are still under investigation in clinical trials."
    )
    assert all(k[3] != "treatment_sequencing" for k in read_keys(text))
