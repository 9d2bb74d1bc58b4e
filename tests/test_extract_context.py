"""pipeline.extract.context: the drug of a sentence that does not name it."""

from __future__ import annotations


def test_resistant_models_carry_their_drug_to_later_sentences(read_keys):
    text = (
        "Lysosomal defects in T-DM1 resistance\n\n"
        "We established a T-DM1-resistant N87-KR cell line from N87 gastric cancer cells. "
        "Lysosomal acidification was diminished in N87-KR cells. "
        "Cathepsin levels were reduced in the resistant cell lines."
    )
    assert {k[:2] for k in read_keys(text, "N87-KR cells.")} == {
        ("trastuzumab emtansine", "lysosomal_trafficking")
    }


def test_a_plural_pointer_takes_the_adcs_of_the_previous_sentence(read_keys):
    text = (
        "MDR1 and vc-MMAE conjugates\n\n"
        "We derived cell lines that were made resistant to anti-CD22-vc-MMAE and "
        "anti-CD79b-vc-MMAE. "
        "We identified P-gp as the major driver of resistance to these conjugates."
    )
    # the descriptors stay ADCs of their own (no INN ties them here), never the class
    assert {k[:2] for k in read_keys(text, "major driver")} == {
        ("anti-CD22-vc-MMAE", "drug_efflux"),
        ("anti-CD79b-vc-MMAE", "drug_efflux"),
    }


def test_a_pointer_to_a_class_is_no_pointer_to_its_examples(read_keys):
    text = (
        "Review\n\nADCs are a class of drugs; sacituzumab govitecan is one of them. "
        "Drug efflux reduces the efficacy of these agents. "
        "The ADCs targeting TROP2 can lose efficacy when TROP2 is lost."
    )
    drugs = {k[0] for k in read_keys(text, "these agents")}
    assert "sacituzumab govitecan" not in drugs


def test_this_resistance_is_the_papers_drugs(read_keys):
    text = (
        "T-DM1 resistance and cleavable linkers\n\n"
        "T-DM1 resistance developed in N87 cells exposed to T-DM1. "
        "T-DM1 failed to kill them. "
        "HER2-targeted ADCs containing a protease-cleavable linker overcame this resistance."
    )
    found = read_keys(text, "overcame this resistance")
    assert ("trastuzumab emtansine", "", "", "linker_conjugation_engineering", False) in found


def test_a_gene_bound_short_form_is_that_gene_in_later_sentences(read_keys):
    text = (
        "Heterogeneity\n\nTROP2 heterogeneity (T-HET) limits sacituzumab govitecan efficacy. "
        "Responses to sacituzumab govitecan were rare in T-HET tumors."
    )
    keys = read_keys(text, "were rare")
    assert keys and {k[1:3] for k in keys} == {("antigen_loss", "TACSTD2")}


def test_a_pointer_does_not_reach_across_a_preposition(read_keys):
    """'The efficacy of ADCs' after a sentence naming four ADCs is ADCs in general: the
    pointer's head noun is 'efficacy', not 'ADCs'."""
    text = (
        "Resistance to ADCs\n\n"
        "Approved ADCs include trastuzumab emtansine, trastuzumab deruxtecan and "
        "sacituzumab govitecan. "
        "The efficacy of ADCs is limited by resistance due to impaired lysosomal function."
    )
    assert {k[0] for k in read_keys(text, "The efficacy")} == {"antibody-drug conjugate"}


def test_a_resistant_model_named_by_the_document_carries_the_resistance(read_keys):
    """'increased ABCC1 in 361-TM cells': the model's name says 'resistant' as the word does."""
    text = (
        "T-DM1 resistance\n\n"
        "We generated T-DM1-resistant 361-TM cells. "
        "ABCC1 was increased in 361-TM cells."
    )
    assert ("trastuzumab emtansine", "drug_efflux", "ABCC1", "", False) in read_keys(
        text, "increased in 361-TM"
    )
