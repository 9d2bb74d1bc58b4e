"""Relation rules, negation and hedging on hand-built sentences and mentions (no NER model)."""

from __future__ import annotations

from pipeline.extract import extract_claims
from pipeline.extract.negation import clause_spans, is_hedged, is_negated
from pipeline.model import (
    GENERIC_ADC,
    Citation,
    DocIngest,
    Document,
    Mention,
    Reference,
    Sentence,
)
from pipeline.pack import load_pack

CUES = load_pack().cues

ADC_IDS = {
    "brentuximab vedotin": "adc:brentuximab_vedotin",
    "sacituzumab govitecan": "adc:sacituzumab_govitecan",
    "trastuzumab deruxtecan": "adc:trastuzumab_deruxtecan",
    "trastuzumab emtansine": "adc:trastuzumab_emtansine",
    "enfortumab vedotin": "adc:enfortumab_vedotin",
}


def make_doc(
    text: str,
    kind: str = "body",
    ref_number: int | None = None,
    doc_kind: str = "review_page",
    **kw,
) -> DocIngest:
    """A one-sentence document; a review's sentence unless ``doc_kind`` says otherwise
    (a short text with no reference list is otherwise read as a research abstract)."""
    doc = Document("d1", "doc.txt", "T", "", "", "", "", doc_kind, "", "", "text", 0, 0, text)
    sent = Sentence(
        "d1", 0, "Results", kind, 0, len(text), text, kind == "caption", False, ref_number
    )
    return DocIngest(doc, [sent], **kw)


class Sent:
    """Build mentions by surface string inside one sentence."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mentions: list[Mention] = []

    def add(
        self,
        surface: str,
        typ: str,
        entity_id: str,
        canonical: str,
        category: str = "",
        nth: int = 0,
    ) -> Sent:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(surface, start + 1)
        self.mentions.append(
            Mention(
                "d1",
                0,
                start,
                start + len(surface),
                surface,
                typ,
                entity_id,
                canonical,
                "pack",
                category,
            )
        )
        return self

    def adc(self, surface: str, canonical: str) -> Sent:
        return self.add(surface, "ADC", ADC_IDS[canonical], canonical)

    def adc_class(self, surface: str) -> Sent:
        return self.add(surface, "ADC_CLASS", "adcclass:generic", GENERIC_ADC)

    def gene(self, surface: str, symbol: str) -> Sent:
        return self.add(surface, "GENE", f"hgnc:{symbol}", symbol)

    def mech(self, surface: str, category: str, canonical: str | None = None) -> Sent:
        canonical = canonical or surface.lower()
        return self.add(surface, "MECHANISM", f"mech:{category}", canonical, category)

    def strat(self, surface: str, category: str, canonical: str | None = None) -> Sent:
        canonical = canonical or surface.lower()
        return self.add(surface, "STRATEGY", f"strat:{category}", canonical, category)

    def claims(self, kind: str = "body", **kw):
        return extract_claims(make_doc(self.text, kind, **kw), self.mentions, load_pack())


def keys(claims) -> set[tuple[str, str, str, str, str]]:
    return {
        (
            c.triple.drug,
            c.triple.mechanism_category,
            c.triple.mechanism_entity,
            c.triple.strategy_category,
            c.triple.strategy_entity,
        )
        for c in claims
    }


def test_spec_example_inhibition_overcomes_resistance_gives_full_triple():
    s = Sent("Inhibition of MDR1 overcomes resistance to brentuximab vedotin in Hodgkin lymphoma.")
    s.gene("MDR1", "ABCB1").adc("brentuximab vedotin", "brentuximab vedotin")
    claims = s.claims()
    assert keys(claims) == {
        ("brentuximab vedotin", "drug_efflux", "ABCB1", "efflux_inhibition", "ABCB1 inhibition")
    }
    ev = claims[0].evidence
    assert not ev.negated and not ev.hedged
    assert ev.extractor.startswith("drug_mechanism_strategy@")
    assert claims[0].triple.drug_id == "adc:brentuximab_vedotin"


def test_list_of_mechanisms_associated_with_resistance():
    s = Sent(
        "CD30 downregulation, MMAE resistance, and MDR1 upregulation are all associated "
        "with resistance to brentuximab vedotin."
    )
    s.gene("CD30", "TNFRSF8").mech("downregulation", "antigen_loss")
    s.add("MMAE", "PAYLOAD", "payload:MMAE", "MMAE", "microtubule inhibitor")
    s.gene("MDR1", "ABCB1").mech("upregulation", "drug_efflux")
    s.adc("brentuximab vedotin", "brentuximab vedotin")
    assert keys(s.claims()) == {
        ("brentuximab vedotin", "antigen_loss", "TNFRSF8", "", ""),
        ("brentuximab vedotin", "payload_resistance", "MMAE", "", ""),
        ("brentuximab vedotin", "drug_efflux", "ABCB1", "", ""),
    }


def test_loss_of_gene_uses_the_gene_role_not_the_cue_category():
    s = Sent("Loss of SLFN11 expression was associated with resistance to sacituzumab govitecan.")
    s.mech("Loss", "antigen_loss", "loss").gene("SLFN11", "SLFN11")
    s.adc("sacituzumab govitecan", "sacituzumab govitecan")
    assert keys(s.claims()) == {("sacituzumab govitecan", "payload_resistance", "SLFN11", "", "")}


def test_abbreviation_resolved_drug_and_combination_restores_sensitivity():
    s = Sent(
        "Combining T-DXd with an ATR inhibitor restored sensitivity in cells with "
        "upregulated DNA repair."
    )
    s.add("T-DXd", "ADC", "adc:trastuzumab_deruxtecan", "trastuzumab deruxtecan")
    s.add(
        "ATR inhibitor",
        "DRUG_CLASS",
        "drugclass:atr_inhibitor",
        "ATR inhibitor",
        "combination_targeted_therapy",
    )
    s.mech("upregulated DNA repair", "dna_damage_cell_cycle", "DNA repair upregulation")
    assert keys(s.claims()) == {
        (
            "trastuzumab deruxtecan",
            "dna_damage_cell_cycle",
            "DNA repair upregulation",
            "combination_targeted_therapy",
            "ATR inhibitor",
        )
    }


def test_general_adc_sentence_hedged_bispecific():
    s = Sent("Bispecific ADCs may circumvent heterogeneous HER2 expression.")
    s.strat("Bispecific ADCs", "bispecific_biparatopic_adc", "bispecific ADC")
    s.adc_class("ADCs")
    s.mech("heterogeneous", "tumor_heterogeneity", "heterogeneity").gene("HER2", "ERBB2")
    claims = s.claims()
    assert keys(claims) == {
        (GENERIC_ADC, "antigen_loss", "ERBB2", "bispecific_biparatopic_adc", "bispecific ADC")
    }
    assert claims[0].triple.drug_id == "adcclass:generic"
    assert claims[0].evidence.hedged and not claims[0].evidence.negated


def test_negated_efflux_claim_is_kept_and_flagged():
    s = Sent("ABCG2 overexpression did not reduce the activity of the DXd-based ADC.")
    s.gene("ABCG2", "ABCG2").mech("overexpression", "drug_efflux")
    s.adc_class("DXd-based ADC")
    claims = s.claims()
    assert keys(claims) == {(GENERIC_ADC, "drug_efflux", "ABCG2", "", "")}
    assert claims[0].evidence.negated and not claims[0].evidence.hedged


def test_switching_payload_class_is_sequencing_and_hedged():
    s = Sent(
        "After progression on a TOP1-inhibitor ADC, switching to an auristatin-based ADC "
        "could avoid cross-resistance."
    )
    s.adc_class("TOP1-inhibitor ADC").strat(
        "switching", "treatment_sequencing", "switch payload class"
    )
    s.adc_class("auristatin-based ADC").mech("cross-resistance", "payload_resistance")
    claims = s.claims()
    assert keys(claims) == {
        (
            GENERIC_ADC,
            "payload_resistance",
            "cross-resistance",
            "treatment_sequencing",
            "switch payload class",
        )
    }
    assert claims[0].evidence.hedged


def test_no_row_for_approval_fact_or_mechanism_of_action():
    s = Sent("Trastuzumab emtansine was approved in 2013 for HER2-positive breast cancer.")
    s.adc("Trastuzumab emtansine", "trastuzumab emtansine").gene("HER2", "ERBB2")
    assert s.claims() == []
    s = Sent("T-DM1 binds HER2 and releases DM1 in the lysosome.")
    s.add("T-DM1", "ADC", ADC_IDS["trastuzumab emtansine"], "trastuzumab emtansine")
    s.gene("HER2", "ERBB2").add("DM1", "PAYLOAD", "payload:DM1", "DM1")
    s.mech("lysosome", "lysosomal_trafficking")
    assert s.claims() == []


def test_reference_title_is_evidence_with_its_own_reference():
    s = Sent(
        "RAB5A expression is a predictive biomarker for trastuzumab emtansine in breast cancer."
    )
    s.gene("RAB5A", "RAB5A").adc("trastuzumab emtansine", "trastuzumab emtansine")
    ref = Reference(
        "d1",
        86,
        True,
        "raw",
        "Engebraaten O",
        "RAB5A ...",
        "Nat Commun",
        "2021",
        "12",
        "",
        "6427",
        "",
        "",
        "PMC8571323",
    )
    claims = s.claims(kind="reference_title", ref_number=86, references=[ref])
    assert keys(claims) == {
        (
            "trastuzumab emtansine",
            "lysosomal_trafficking",
            "RAB5A",
            "biomarker_patient_selection",
            "predictive biomarker",
        )
    }
    assert claims[0].evidence.cited_refs == "86|doi:|pmid:|pmcid:PMC8571323"


def test_body_sentence_carries_its_cited_references():
    s = Sent("YES1 amplification confers resistance to trastuzumab emtansine [53,54].")
    s.gene("YES1", "YES1").mech("amplification", "bypass_signaling")
    s.adc("trastuzumab emtansine", "trastuzumab emtansine")
    refs = [
        Reference("d1", 53, True, "", "", "", "", "", "", "", "", "10.1038/x", "123", ""),
        Reference("d1", 54, False, "", "", "", "", "", "", "", "", "", "", ""),
    ]
    cites = [Citation("d1", 0, 53, "[53,54]", True), Citation("d1", 0, 54, "[53,54]", False)]
    claims = s.claims(references=refs, citations=cites)
    assert keys(claims) == {("trastuzumab emtansine", "bypass_signaling", "YES1", "", "")}
    assert claims[0].evidence.cited_refs == "53|doi:10.1038/x|pmid:123|pmcid:; 54|doi:|pmid:|pmcid:"


def test_resistance_to_a_non_adc_drug_gives_no_row():
    s = Sent("Targeting HER3 or MEK overcomes acquired trastuzumab resistance in gastric cancer.")
    s.gene("HER3", "ERBB3").gene("MEK", "MAP2K1")
    s.add("trastuzumab", "DRUG", "drugbank:DB00072", "trastuzumab")
    assert s.claims() == []


def test_targeting_gene_overcomes_adc_resistance():
    s = Sent("Targeting PLK1 overcomes T-DM1 resistance in HER2-positive breast cancer.")
    s.gene("PLK1", "PLK1").add(
        "T-DM1", "ADC", ADC_IDS["trastuzumab emtansine"], "trastuzumab emtansine"
    )
    s.gene("HER2", "ERBB2")
    assert keys(s.claims()) == {
        (
            "trastuzumab emtansine",
            "dna_damage_cell_cycle",
            "PLK1",
            "combination_targeted_therapy",
            "PLK1 inhibition",
        )
    }


def test_adc_targeting_an_antigen_is_not_an_inhibition_strategy():
    s = Sent(
        "Biparatopic ADCs that target separate epitopes on HER2 have demonstrated benefit "
        "in preclinical T-DM1 resistant tumor models."
    )
    s.strat("Biparatopic ADCs", "bispecific_biparatopic_adc", "biparatopic ADC")
    s.adc_class("ADCs").gene("HER2", "ERBB2")
    s.add("T-DM1", "ADC", ADC_IDS["trastuzumab emtansine"], "trastuzumab emtansine")
    assert keys(s.claims()) == {
        ("trastuzumab emtansine", "", "", "bispecific_biparatopic_adc", "biparatopic ADC")
    }


def test_not_the_sole_driver_is_affirmed():
    s = Sent(
        "While HER2 downregulation is common (occurring in ~50% of T-DXd resistance cases), "
        "it is often not the sole driver."
    )
    s.gene("HER2", "ERBB2").mech("downregulation", "antigen_loss")
    s.add("T-DXd", "ADC", ADC_IDS["trastuzumab deruxtecan"], "trastuzumab deruxtecan")
    claims = s.claims()
    assert keys(claims) == {("trastuzumab deruxtecan", "antigen_loss", "ERBB2", "", "")}
    assert not claims[0].evidence.negated


def test_her2_remained_amplified_is_negated():
    s = Sent("In T-DM1 resistant cells HER2 remained amplified.")
    s.add("T-DM1", "ADC", ADC_IDS["trastuzumab emtansine"], "trastuzumab emtansine")
    s.gene("HER2", "ERBB2").mech("amplified", "bypass_signaling", "amplification")
    claims = s.claims()
    assert keys(claims) == {("trastuzumab emtansine", "antigen_loss", "ERBB2", "", "")}
    assert claims[0].evidence.negated


def test_combination_with_partner_drug():
    s = Sent(
        "The EV-302 trial of enfortumab vedotin plus pembrolizumab nearly doubled "
        "progression-free survival."
    )
    s.adc("enfortumab vedotin", "enfortumab vedotin")
    s.add("pembrolizumab", "DRUG", "drugbank:DB09037", "pembrolizumab")
    assert keys(s.claims()) == {
        ("enfortumab vedotin", "", "", "combination_immunotherapy", "pembrolizumab")
    }


def test_generic_adc_mechanism_and_antigen_status_words():
    s = Sent("Tumor heterogeneity limits the efficacy of ADCs in HER2-positive disease.")
    s.mech("Tumor heterogeneity", "tumor_heterogeneity", "tumor heterogeneity")
    s.adc_class("ADCs").gene("HER2", "ERBB2")
    assert keys(s.claims()) == {(GENERIC_ADC, "tumor_heterogeneity", "tumor heterogeneity", "", "")}


def test_hedge_in_a_later_clause_does_not_hedge_the_claim():
    text = "Loss of SLFN11 confers resistance to sacituzumab govitecan; trials may test this."
    s = Sent(text)
    s.mech("Loss", "antigen_loss", "loss").gene("SLFN11", "SLFN11")
    s.adc("sacituzumab govitecan", "sacituzumab govitecan")
    claims = s.claims()
    assert len(claims) == 1 and not claims[0].evidence.hedged
    assert is_hedged(text, [text.index("trials")], CUES)


def test_scope_helpers():
    text = "It is proposed that X confers resistance, whereas Y was not associated with it."
    assert len(clause_spans(text, CUES)) == 2
    assert is_hedged(text, [text.index("X")], CUES)
    assert not is_negated(text, [text.index("X")], CUES)
    assert is_negated(text, [text.index("Y")], CUES)
    assert not is_hedged("Resistance can develop and must be overcome.", [0], CUES)


def _doc_with(sentences: list[tuple[str, str]]) -> tuple[DocIngest, int]:
    """A document of (kind, text) sentences; returns it and the text length."""
    text = " ".join(t for _, t in sentences)
    doc = Document("d1", "doc.txt", "T", "", "", "", "", "", "", "", "text", 0, 0, text)
    sents, pos = [], 0
    for i, (kind, t) in enumerate(sentences):
        sents.append(
            Sentence(
                "d1",
                i,
                "S",
                kind,
                pos,
                pos + len(t),
                t,
                False,
                False,
                1 if kind == "reference_title" else None,
            )
        )
        pos += len(t) + 1
    return DocIngest(doc, sents), pos


def _mention(
    doc: DocIngest, idx: int, surface: str, typ: str, eid: str, canon: str, cat: str = ""
) -> Mention:
    s = doc.sentences[idx]
    start = s.char_start + s.text.index(surface)
    return Mention("d1", idx, start, start + len(surface), surface, typ, eid, canon, "pack", cat)


def test_default_drug_of_a_short_abstract_is_its_one_adc():
    doc, _ = _doc_with(
        [
            ("title", "SLFN11 and sacituzumab govitecan."),
            ("body", "We treated cells with SG for months."),
            ("body", "Loss of SLFN11 was associated with resistance."),
        ]
    )
    sg = ("ADC", ADC_IDS["sacituzumab govitecan"], "sacituzumab govitecan")
    ms = [
        _mention(doc, 0, "sacituzumab govitecan", *sg),
        _mention(doc, 1, "SG", *sg),
        _mention(doc, 2, "Loss", "MECHANISM", "mech:antigen_loss", "antigen_loss", "antigen_loss"),
        _mention(doc, 2, "SLFN11", "GENE", "hgnc:SLFN11", "SLFN11"),
    ]
    claims = extract_claims(doc, ms, load_pack())
    assert keys(claims) == {("sacituzumab govitecan", "payload_resistance", "SLFN11", "", "")}


def test_default_drug_of_a_review_is_generic_but_not_for_reference_titles():
    doc, _ = _doc_with(
        [
            ("abstract", "ADCs are a class of drugs; sacituzumab govitecan is one."),
            ("body", "Drug efflux by ABC transporters reduces the efficacy of these agents."),
            ("reference_title", "Drug efflux and chemotherapy resistance."),
        ]
    )
    ms = [
        _mention(doc, 0, "ADCs", "ADC_CLASS", "adcclass:generic", GENERIC_ADC),
        _mention(
            doc,
            0,
            "sacituzumab govitecan",
            "ADC",
            ADC_IDS["sacituzumab govitecan"],
            "sacituzumab govitecan",
        ),
        _mention(
            doc, 1, "Drug efflux", "MECHANISM", "mech:drug_efflux", "drug_efflux", "drug_efflux"
        ),
        _mention(
            doc, 2, "Drug efflux", "MECHANISM", "mech:drug_efflux", "drug_efflux", "drug_efflux"
        ),
    ]
    claims = extract_claims(doc, ms, load_pack())
    assert keys(claims) == {(GENERIC_ADC, "drug_efflux", "drug efflux", "", "")}
    assert {c.evidence.sentence_index for c in claims} == {1}


def test_design_described_without_context_is_no_strategy_claim():
    s = Sent("SG consists of an antibody attached to SN-38 through a cleavable linker.")
    s.add("SG", "ADC", ADC_IDS["sacituzumab govitecan"], "sacituzumab govitecan")
    s.strat("cleavable linker", "linker_conjugation_engineering")
    assert s.claims() == []
    s = Sent("Cleavable linkers may overcome tumor heterogeneity of ADC response.")
    s.strat("Cleavable linkers", "linker_conjugation_engineering", "cleavable linker")
    s.mech("tumor heterogeneity", "tumor_heterogeneity").adc_class("ADC")
    claims = s.claims()
    assert keys(claims) == {
        (
            GENERIC_ADC,
            "tumor_heterogeneity",
            "tumor heterogeneity",
            "linker_conjugation_engineering",
            "cleavable linker",
        )
    }
    assert claims[0].evidence.hedged


def test_prior_therapy_and_payload_class_are_not_partner_strategies():
    s = Sent("Enfortumab vedotin after PD-1 inhibitors in combination-ineligible patients.")
    s.adc("Enfortumab vedotin", "enfortumab vedotin")
    s.add(
        "PD-1 inhibitors",
        "DRUG_CLASS",
        "drugclass:anti_pd_1",
        "anti-PD-1",
        "combination_immunotherapy",
    )
    assert s.claims() == []
    s = Sent("Data suggest cross-resistance among topoisomerase I inhibitor-based ADCs.")
    s.add(
        "topoisomerase I inhibitor",
        "DRUG_CLASS",
        "drugclass:topo",
        "topoisomerase I inhibitor",
        "treatment_sequencing",
    )
    s.adc_class("ADCs").mech("cross-resistance", "payload_resistance")
    assert keys(s.claims()) == {(GENERIC_ADC, "payload_resistance", "cross-resistance", "", "")}


def test_inhibited_gene_is_the_mechanism_only_when_no_other_is_named():
    s = Sent("Combining SG with an ATR inhibitor restored sensitivity in SLFN11-deficient cells.")
    s.add("SG", "ADC", ADC_IDS["sacituzumab govitecan"], "sacituzumab govitecan")
    s.add(
        "ATR inhibitor",
        "DRUG_CLASS",
        "drugclass:atr_inhibitor",
        "ATR inhibitor",
        "combination_targeted_therapy",
    )
    s.gene("ATR", "ATR").gene("SLFN11", "SLFN11").mech("deficient", "antigen_loss", "loss")
    got = keys(s.claims())
    assert (
        "sacituzumab govitecan",
        "payload_resistance",
        "SLFN11",
        "combination_targeted_therapy",
        "ATR inhibitor",
    ) in got
    assert not any(k[2] == "ATR" for k in got)


def test_target_antigen_of_a_named_adc_resolves_to_its_catalogue_target():
    s = Sent("Alterations of the target antigen mediate resistance to sacituzumab govitecan.")
    s.adc("sacituzumab govitecan", "sacituzumab govitecan")
    assert keys(s.claims()) == {("sacituzumab govitecan", "antigen_loss", "TACSTD2", "", "")}


def test_measuring_a_mechanism_is_patient_selection():
    s = Sent("Liquid biopsies can capture spatial heterogeneity before ADC therapy.")
    s.strat("Liquid biopsies", "biomarker_patient_selection", "liquid biopsy")
    s.mech("spatial heterogeneity", "tumor_heterogeneity").adc_class("ADC")
    assert (
        GENERIC_ADC,
        "tumor_heterogeneity",
        "spatial heterogeneity",
        "biomarker_patient_selection",
        "liquid biopsy",
    ) in keys(s.claims())


def test_next_adc_after_progression_is_treatment_sequencing():
    s = Sent("Datopotamab deruxtecan may be effective after progression on sacituzumab govitecan.")
    s.add("Datopotamab deruxtecan", "ADC", "adc:datopotamab_deruxtecan", "datopotamab deruxtecan")
    s.adc("sacituzumab govitecan", "sacituzumab govitecan")
    claims = s.claims()
    assert {(k[0], k[3]) for k in keys(claims)} == {
        ("sacituzumab govitecan", "treatment_sequencing")
    }
    assert claims[0].evidence.hedged


def test_inhibitor_named_with_the_inhibited_gene_shares_its_mechanism():
    s = Sent("Bcl-xL inhibition with navitoclax sensitized resistant cells to T-DM1.")
    s.gene("Bcl-xL", "BCL2L1")
    s.add("navitoclax", "DRUG", "drugbank:DB12340", "navitoclax", "combination_targeted_therapy")
    s.add("T-DM1", "ADC", ADC_IDS["trastuzumab emtansine"], "trastuzumab emtansine")
    assert keys(s.claims()) == {
        (
            "trastuzumab emtansine",
            "apoptosis_evasion",
            "BCL2L1",
            "combination_targeted_therapy",
            "BCL2L1 inhibition",
        ),
        (
            "trastuzumab emtansine",
            "apoptosis_evasion",
            "BCL2L1",
            "combination_targeted_therapy",
            "navitoclax",
        ),
    }


def test_but_not_starts_a_new_clause_for_negation():
    s = Sent("Loss of SLC46A3 confers resistance to T-DM1 but not to other ADCs.")
    s.mech("Loss", "antigen_loss", "loss").gene("SLC46A3", "SLC46A3")
    s.add("T-DM1", "ADC", ADC_IDS["trastuzumab emtansine"], "trastuzumab emtansine")
    s.adc_class("ADCs")
    claims = s.claims()
    assert keys(claims) == {("trastuzumab emtansine", "lysosomal_trafficking", "SLC46A3", "", "")}
    assert not claims[0].evidence.negated


def test_genetic_knockout_is_a_mechanism_also_when_it_restores_sensitivity():
    s = Sent("Knockout of SLFN11 conferred resistance to T-DXd.")
    s.gene("SLFN11", "SLFN11")
    s.add("T-DXd", "ADC", ADC_IDS["trastuzumab deruxtecan"], "trastuzumab deruxtecan")
    assert keys(s.claims()) == {("trastuzumab deruxtecan", "payload_resistance", "SLFN11", "", "")}
    # a knockdown is the experiment, not a counter-strategy: ABCG2 is the mechanism
    s = Sent("Knockdown of ABCG2 re-sensitized resistant cells to T-DXd.")
    s.gene("ABCG2", "ABCG2")
    s.add("T-DXd", "ADC", ADC_IDS["trastuzumab deruxtecan"], "trastuzumab deruxtecan")
    assert keys(s.claims()) == {("trastuzumab deruxtecan", "drug_efflux", "ABCG2", "", "")}
