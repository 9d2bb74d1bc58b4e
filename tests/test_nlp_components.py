"""The adcm_ spaCy components on spacy.blank("en") (no statistical model)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.nlp.components import MENTION_GROUP
from pipeline.nlp.pipeline import build_nlp
from pipeline.nlp.text import fold_dashes
from pipeline.pack import DEFAULT_RESOURCES, load_pack


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(None)


def mentions(nlp, text, types=None):
    doc = nlp(fold_dashes(text))
    out = []
    for s in doc.spans[MENTION_GROUP]:
        if types is None or s.label_ in types:
            out.append((s.text, s.label_, s.kb_id_, s.id_))
    return out, doc


CORE = {"ADC", "GENE", "DRUG", "PAYLOAD", "ADC_CLASS", "DRUG_CLASS"}


def test_pipeline_is_blank_plus_scispacy_plus_adcm(nlp):
    assert nlp.pipe_names == [
        "adcm_abbreviation_detector",
        "adcm_pack_ner",
        "adcm_abbreviation_linker",
        "adcm_ner_merge",
    ]


def test_pack_ner_normalises_adcs_genes_drugs(nlp):
    got, doc = mentions(
        nlp,
        "T-DM1 and DS-8201a resistance via MDR1, P-gp and BCRP was reversed by tariquidar.",
        CORE,
    )
    assert ("T-DM1", "ADC", "adc:trastuzumab_emtansine", "pack") in got
    assert ("DS-8201a", "ADC", "adc:trastuzumab_deruxtecan", "pack") in got
    assert ("MDR1", "GENE", "hgnc:ABCB1", "pack") in got
    assert ("P-gp", "GENE", "hgnc:ABCB1", "pack") in got
    assert ("BCRP", "GENE", "hgnc:ABCG2", "pack") in got
    assert ("tariquidar", "DRUG", "drugbank:DB06240", "pack") in got
    assert doc._.adcm_entities["adc:trastuzumab_emtansine"] == [
        "trastuzumab emtansine",
        "microtubule inhibitor",
    ]


def test_document_defined_abbreviations_resolve_in_that_document_only(nlp):
    text = (
        "Enfortumab vedotin (EV) and tisotumab vedotin (TV) were studied. "
        "EV was active; TV was not. Tissue factor (TF) is the TV target; TF is expressed."
    )
    got, _ = mentions(nlp, text, CORE)
    ev = [m for m in got if m[0] == "EV"]
    tv = [m for m in got if m[0] == "TV"]
    tf = [m for m in got if m[0] == "TF"]
    assert len(ev) == 2 and {m[2] for m in ev} == {"adc:enfortumab_vedotin"}
    assert len(tv) == 3 and {m[2] for m in tv} == {"adc:tisotumab_vedotin"}
    assert len(tf) == 2 and {(m[1], m[2], m[3]) for m in tf} == {
        ("GENE", "hgnc:F3", "abbreviation")
    }
    alone, _ = mentions(nlp, "EV, TV, SG and TF were measured in the TV series.", CORE)
    assert alone == []


def test_short_form_licensed_by_the_full_name_elsewhere_in_the_document(nlp):
    got, _ = mentions(nlp, "We review sacituzumab govitecan. Resistance to SG is common.", CORE)
    assert ("SG", "ADC", "adc:sacituzumab_govitecan", "abbreviation") in got


def test_document_redefinition_beats_a_generic_pack_term(nlp):
    got, _ = mentions(nlp, "The apparent diffusion coefficient (ADC) rose; ADC maps.", CORE)
    assert got == []
    got, _ = mentions(nlp, "Antibody-drug conjugates (ADCs) work; ADCs fail.", CORE)
    assert [m[1] for m in got] == ["ADC_CLASS"] * 3


def test_inn_suffix_rule_types_an_unseen_adc(nlp):
    got, doc = mentions(nlp, "Zorbetamab vedotin and quixotumab deruxtecan were tested.", CORE)
    assert ("Zorbetamab vedotin", "ADC", "adc:zorbetamab_vedotin", "rule") in got
    assert ("quixotumab deruxtecan", "ADC", "adc:quixotumab_deruxtecan", "rule") in got
    assert doc._.adcm_entities["adc:quixotumab_deruxtecan"][1] == "TOP1 inhibitor"


def test_catalogue_beats_the_suffix_rule(nlp):
    got, _ = mentions(nlp, "Sacituzumab vedotin (SN-38) in Table 1.", CORE)
    assert ("Sacituzumab vedotin", "ADC", "adc:sacituzumab_govitecan", "pack") in got


def test_one_alias_two_genes(nlp):
    got, _ = mentions(nlp, "inactivation of Bcl-2/xL in cells", CORE)
    assert {m[2] for m in got if m[0] == "Bcl-2/xL"} == {"hgnc:BCL2", "hgnc:BCL2L1"}


def test_class_mentions_and_their_genes(nlp):
    text = "HER2-targeting ADCs and TOP1 inhibitor-based ADCs face PARP inhibitor combinations."
    got, doc = mentions(nlp, text)
    assert ("HER2", "GENE", "hgnc:ERBB2", "pack") in got
    assert ("HER2-targeting ADCs", "ADC_CLASS", "adcclass:generic", "pack") in got
    assert ("TOP1 inhibitor-based ADCs", "ADC_CLASS", "adcclass:generic", "pack") in got
    assert ("PARP inhibitor", "DRUG_CLASS", "drugclass:parp_inhibitor", "pack") in got
    assert sorted(doc._.adcm_qualifiers.values()) == [
        "payload_class:TOP1 inhibitor",
        "target:ERBB2",
    ]


def test_cues_map_to_spec_categories(nlp):
    got, _ = mentions(
        nlp,
        "Bispecific ADCs may overcome antigen heterogeneity and drug efflux.",
        {"STRATEGY", "MECHANISM"},
    )
    assert ("Bispecific ADCs", "STRATEGY", "strat:bispecific_biparatopic_adc", "pack") in got
    assert ("drug efflux", "MECHANISM", "mech:drug_efflux", "pack") in got


def test_ambiguous_aliases_stay_quiet(nlp):
    got, _ = mentions(nlp, "The TF of MET, AR and ER was measured BID; sting of a bee.", CORE)
    assert [m[0] for m in got] == ["MET"]  # MET in capitals is the gene


def test_core_mentions_are_doc_ents(nlp):
    _, doc = mentions(nlp, "HER2-positive tumours treated with T-DXd.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("HER2", "GENE", "hgnc:ERBB2"),
        ("T-DXd", "ADC", "adc:trastuzumab_deruxtecan"),
    ]


def copy_pack(tmp_path: Path) -> Path:
    dst = tmp_path / "resources"
    shutil.copytree(DEFAULT_RESOURCES, dst, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dst


def test_adding_an_adc_is_one_line(tmp_path):
    res = copy_pack(tmp_path)
    line = (
        "zanotuzumab fantecan\tZNT-42|Zanofix\t\tERBB2\tfantecan\tTOP1 inhibitor\tGGFG\tyes\t\t"
        "investigational\ttest row\n"
    )
    with (res / "adc_catalog.tsv").open("a", encoding="utf-8") as fh:
        fh.write(line)
    nlp2 = build_nlp(None, str(res))
    got, doc = mentions(nlp2, "ZNT-42 (Zanofix) is zanotuzumab fantecan.", {"ADC"})
    assert [m[2] for m in got] == ["adc:zanotuzumab_fantecan"] * 3
    assert doc._.adcm_entities["adc:zanotuzumab_fantecan"][1] == "TOP1 inhibitor"
    base, _ = mentions(build_nlp(None), "ZNT-42 (Zanofix) is zanotuzumab fantecan.", {"ADC"})
    assert base == []


def test_adding_a_synonym_is_one_line(tmp_path):
    res = copy_pack(tmp_path)
    path = res / "genes.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [
        ln.replace("\tMDR1|", "\tMDR1|P-gp170|", 1) if ln.startswith("ABCB1\t") else ln
        for ln in lines
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    got, _ = mentions(build_nlp(None, str(res)), "Efflux by P-gp170 rose.", {"GENE"})
    assert got == [("P-gp170", "GENE", "hgnc:ABCB1", "pack")]


def test_unlisted_drug_with_an_inn_stem_is_looked_up_in_drugbank(nlp):
    text = "After decitabine and zanubrutinib we combine drugs; fooplatin is no drug."
    assert not any(t.text in ("decitabine", "zanubrutinib") for t in load_pack().terms)
    got, doc = mentions(nlp, text, CORE)
    assert [(m[0], m[1], m[3]) for m in got] == [
        ("decitabine", "DRUG", "rule"),
        ("zanubrutinib", "DRUG", "rule"),
    ]  # "combine" (stem -bine is not listed) and the unknown "fooplatin" are no drugs
    for m in got:
        assert m[2].startswith("drugbank:DB")
        assert doc._.adcm_entities[m[2]][0] == m[0]


def test_case_variants_of_hyphenated_names_and_glued_adc(nlp):
    got, doc = mentions(nlp, "dato-dxd, DATO-DXD, t-dm1 and HER2-ADC.", CORE)
    assert [(m[0], m[2]) for m in got if m[1] == "ADC"] == [
        ("dato-dxd", "adc:datopotamab_deruxtecan"),
        ("DATO-DXD", "adc:datopotamab_deruxtecan"),
        ("t-dm1", "adc:trastuzumab_emtansine"),
    ]
    assert ("HER2", "GENE", "hgnc:ERBB2", "pack") in got
    assert ("HER2-ADC", "ADC_CLASS", "adcclass:generic", "pack") in got


def test_an_adc_named_by_its_parts_is_an_adc_of_its_own_never_the_class(nlp):
    got, doc = mentions(nlp, "Cells resistant to anti-HER2-vc-MMAE responded to ADCs.", {"ADC"})
    assert ("anti-HER2-vc-MMAE", "ADC", "adc:anti-her2-vc-mmae", "rule") in got
    assert doc._.adcm_entities["adc:anti-her2-vc-mmae"] == [
        "anti-HER2-vc-MMAE",
        "microtubule inhibitor",
    ]
    got, _ = mentions(nlp, "Trastuzumab-SMCC-DM1 was tested.", {"ADC"})
    assert [m[2] for m in got] == ["adc:trastuzumab_emtansine"]  # that antibody and payload
    assert mentions(nlp, "Antibody-exatecan conjugates work.", {"ADC"})[0] == []


def test_a_descriptor_written_beside_an_inn_is_that_adc_in_the_whole_document(nlp):
    text = (
        "Zilovertamab vedotin (anti-ROR1-vc-MMAE) is an ADC. "
        "Resistance to anti-ROR1-vc-MMAE developed."
    )
    got, _ = mentions(nlp, text, {"ADC"})
    assert {m[2] for m in got} == {"adc:zilovertamab_vedotin"}
    assert len(got) == 3


def test_an_antibody_word_alone_names_its_only_adc_but_not_a_drug_of_its_own(nlp):
    got, _ = mentions(nlp, "The CD22-directed conjugate inotuzumab failed.", {"ADC"})
    assert ("inotuzumab", "ADC", "adc:inotuzumab_ozogamicin", "rule") in got
    # DrugBank also lists "brentuximab" (under the ADC's id): still the ADC, not a DRUG
    got, _ = mentions(nlp, "Lymphoma relapsed after brentuximab.", {"ADC", "DRUG"})
    assert got == [("brentuximab", "ADC", "adc:brentuximab_vedotin", "rule")]
    got, _ = mentions(nlp, "Trastuzumab emtansine follows trastuzumab.", {"ADC", "DRUG"})
    assert ("trastuzumab", "DRUG", "drugbank:DB00072", "pack") in got
    text = "Pinatuzumab vedotin is investigational; pinatuzumab alone was not tested."
    got, _ = mentions(nlp, text, {"ADC"})
    assert [m[2] for m in got] == ["adc:pinatuzumab_vedotin"] * 2


def test_antibody_words_are_found_by_token_lookup_as_by_reading_every_token(nlp):
    ner = nlp.get_pipe("adcm_pack_ner")
    text = " ".join(
        p.read_text(encoding="utf-8")
        for p in sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
    )
    doc = nlp.make_doc(fold_dashes(text) + " Inotuzumab, pinatuzumab and INOTUZUMAB.")
    words = dict(ner.antibody_stems)
    words["trastuzumab"] = "adc:t-dm1"  # a word a document's own full name adds
    plain = [(t.i, t.lower_) for t in doc if t.lower_ in words]
    assert len(plain) > 5
    assert ner._words_among(doc, words) == plain
