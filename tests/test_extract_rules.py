"""Spec rules on sentences written for these tests (not from the corpus or the gold sets):
negation wording and scope, genetic experiments as methods, trial comparator arms,
the drug of a sequencing claim, and canonical cue entities."""

from __future__ import annotations

from test_extract import ADC_IDS, Sent, keys

from pipeline.extract.document import resolve_cue_abbreviations
from pipeline.extract.negation import is_negated
from pipeline.model import DocIngest, Document, Mention
from pipeline.pack import load_pack

TDM1, TDXD = "trastuzumab emtansine", "trastuzumab deruxtecan"
SG, EV = "sacituzumab govitecan", "enfortumab vedotin"


def _abbr(s: Sent, surface: str, canonical: str) -> Sent:
    return s.add(surface, "ADC", ADC_IDS[canonical], canonical)


# --- negation (spec: "Negation and hedging") -------------------------------------------


def test_antigen_expression_was_retained_is_a_denied_antigen_loss():
    s = Sent("TROP2 expression was retained in sacituzumab govitecan-resistant xenografts.")
    s.gene("TROP2", "TACSTD2").adc("sacituzumab govitecan", SG)
    claims = s.claims()
    assert keys(claims) == {(SG, "antigen_loss", "TACSTD2", "", "")}
    assert claims[0].evidence.negated


def test_antigen_levels_remained_unaffected_is_negated():
    s = Sent("In EV-resistant sublines, Nectin-4 levels remained unaffected.")
    _abbr(s, "EV", EV).gene("Nectin-4", "NECTIN4")
    claims = s.claims()
    assert keys(claims) == {(EV, "antigen_loss", "NECTIN4", "", "")}
    assert claims[0].evidence.negated


def test_did_not_confer_and_was_not_associated_with_are_negated():
    s = Sent("ABCC1 overexpression did not confer resistance to T-DXd.")
    s.gene("ABCC1", "ABCC1").mech("overexpression", "bypass_signaling", "bypass_signaling")
    _abbr(s, "T-DXd", TDXD)
    claims = s.claims()
    assert keys(claims) == {(TDXD, "drug_efflux", "ABCC1", "", "")}
    assert claims[0].evidence.negated
    s = Sent("PTEN loss was not associated with resistance to T-DM1 in this cohort.")
    s.gene("PTEN", "PTEN").mech("loss", "antigen_loss", "antigen_loss")
    _abbr(s, "T-DM1", TDM1)
    claims = s.claims()
    assert keys(claims) == {(TDM1, "bypass_signaling", "PTEN", "", "")}
    assert claims[0].evidence.negated


def test_failing_to_achieve_remission_is_an_outcome_not_a_negation(read_keys):
    text = (
        "Gemtuzumab ozogamicin and Pgp\n\n"
        "Among samples from patients who failed to achieve remission after gemtuzumab "
        "ozogamicin, 72% exhibited Pgp-mediated drug efflux, compared with 29% among responders."
    )
    found = read_keys(text, "failed to achieve")
    assert found and all(k[1] == "drug_efflux" and not k[4] for k in found)


def test_remained_sensitive_denies_the_mechanism():
    s = Sent("Cells overexpressing ABCG2 remained sensitive to T-DXd.")
    s.gene("ABCG2", "ABCG2")
    _abbr(s, "T-DXd", TDXD)
    assert is_negated(s.text, [s.text.index("ABCG2"), s.text.index("T-DXd")], load_pack().cues)


def test_negation_in_a_leading_subordinate_clause_stays_there():
    text = (
        "Although BCL2 overexpression was not associated with resistance, "
        "MCL1 upregulation conferred resistance to T-DM1."
    )
    s = Sent(text)
    s.gene("BCL2", "BCL2").mech("overexpression", "bypass_signaling", "bypass_signaling")
    s.gene("MCL1", "MCL1").mech("upregulation", "bypass_signaling", "bypass_signaling")
    _abbr(s, "T-DM1", TDM1)
    flags = {c.triple.mechanism_entity: c.evidence.negated for c in s.claims()}
    assert flags == {"BCL2": True, "MCL1": False}


def test_affirmed_but_limited_claim_with_retained_elsewhere_is_not_negated():
    s = Sent("CCNB1 amplification conferred resistance to T-DM1 and was not the only driver.")
    s.gene("CCNB1", "CCNB1").mech("amplification", "bypass_signaling", "bypass_signaling")
    _abbr(s, "T-DM1", TDM1)
    claims = s.claims()
    assert keys(claims) == {(TDM1, "dna_damage_cell_cycle", "CCNB1", "", "")}
    assert not claims[0].evidence.negated


# --- genetic experiments are methods, not strategies -----------------------------------


def test_sirna_knockdown_restoring_sensitivity_names_a_mechanism_not_a_strategy():
    s = Sent("siRNA-mediated silencing of YES1 restored sensitivity to T-DM1 in resistant cells.")
    s.gene("YES1", "YES1")
    _abbr(s, "T-DM1", TDM1)
    assert keys(s.claims()) == {(TDM1, "bypass_signaling", "YES1", "", "")}


def test_crispr_knockout_and_gene_knockdown_after_the_gene():
    s = Sent("CRISPR knockout of SLFN11 conferred resistance to sacituzumab govitecan.")
    s.gene("SLFN11", "SLFN11").adc("sacituzumab govitecan", SG)
    assert keys(s.claims()) == {(SG, "payload_resistance", "SLFN11", "", "")}
    s = Sent("ABCB1 knockdown reversed resistance to T-DM1.")
    s.gene("ABCB1", "ABCB1")
    _abbr(s, "T-DM1", TDM1)
    assert keys(s.claims()) == {(TDM1, "drug_efflux", "ABCB1", "", "")}


def test_pharmacological_inhibition_is_still_a_strategy():
    s = Sent("Pharmacological inhibition of ABCB1 reversed resistance to T-DM1.")
    s.gene("ABCB1", "ABCB1")
    _abbr(s, "T-DM1", TDM1)
    assert keys(s.claims()) == {
        (TDM1, "drug_efflux", "ABCB1", "efflux_inhibition", "ABCB1 inhibition")
    }


# --- trial comparator arms -------------------------------------------------------------


def test_comparator_arm_is_not_a_combination_strategy():
    s = Sent("T-DM1 prolonged survival versus lapatinib plus capecitabine in pretreated patients.")
    _abbr(s, "T-DM1", TDM1)
    s.add("lapatinib", "DRUG", "drugbank:DB01259", "lapatinib", "combination_targeted_therapy")
    s.add("capecitabine", "DRUG", "drugbank:DB01101", "capecitabine", "combination_chemotherapy")
    assert keys(s.claims()) == set()
    s = Sent("T-DXd was compared with physician's choice of chemotherapy after progression.")
    _abbr(s, "T-DXd", TDXD)
    s.strat("chemotherapy", "combination_chemotherapy", "combination_chemotherapy")
    assert keys(s.claims()) == set()


def test_combination_arm_of_a_trial_is_still_a_combination():
    s = Sent("T-DXd plus pertuzumab improved outcomes compared with taxane plus trastuzumab.")
    _abbr(s, "T-DXd", TDXD)
    s.add("pertuzumab", "DRUG", "drugbank:DB06366", "pertuzumab", "combination_targeted_therapy")
    s.add("taxane", "DRUG_CLASS", "drugclass:taxane", "taxane", "combination_chemotherapy")
    s.add("trastuzumab", "DRUG", "drugbank:DB00072", "trastuzumab", "combination_targeted_therapy")
    assert keys(s.claims()) == {(TDXD, "", "", "combination_targeted_therapy", "pertuzumab")}


# --- the drug of a sequencing claim is the ADC resisted --------------------------------


def test_switching_from_one_adc_to_another_is_about_the_first():
    s = Sent("Switching from T-DM1 to T-DXd overcame resistance in HER2-positive disease.")
    _abbr(s, "T-DM1", TDM1)
    _abbr(s, "T-DXd", TDXD)
    s.strat("Switching", "treatment_sequencing", "treatment_sequencing")
    s.gene("HER2", "ERBB2")
    assert keys(s.claims()) == {
        (TDM1, "", "", "treatment_sequencing", "sequencing to trastuzumab deruxtecan")
    }


def test_adc_given_after_a_previous_adc_is_sequencing_for_the_previous_one():
    s = Sent("Enfortumab vedotin was active in patients whose disease progressed after SG.")
    s.adc("Enfortumab vedotin", EV)
    _abbr(s, "SG", SG)
    assert keys(s.claims()) == {
        (SG, "", "", "treatment_sequencing", "sequencing to enfortumab vedotin")
    }
    s = Sent("Patients previously treated with T-DM1 may still respond to T-DXd.")
    _abbr(s, "T-DM1", TDM1)
    _abbr(s, "T-DXd", TDXD)
    claims = s.claims()
    assert keys(claims) == {
        (TDM1, "", "", "treatment_sequencing", "sequencing to trastuzumab deruxtecan")
    }
    assert claims[0].evidence.hedged


# --- canonical cue entities ------------------------------------------------------------


def test_cue_wording_variants_share_one_canonical_entity():
    cue_canonical = load_pack().cue_canonical
    assert cue_canonical("MECHANISM", "TME") == "tumor microenvironment"
    assert (
        load_pack().cue_canonical("MECHANISM", "tumour  microenvironment")
        == "tumor microenvironment"
    )
    assert (
        load_pack().cue_canonical("MECHANISM", "Intratumoral heterogeneity")
        == "tumor heterogeneity"
    )
    assert cue_canonical("STRATEGY", "combinatorial therapies") == "combination therapy"
    assert cue_canonical("STRATEGY", "bispecific antibodies") == "bispecific ADC"
    assert cue_canonical("STRATEGY", "ctDNA") == "ctDNA liquid biopsy"
    assert cue_canonical("STRATEGY", "some unlisted words") == "some unlisted words"


def test_slot_keeps_the_wording_while_the_entity_is_canonical():
    s = Sent("Intratumoral heterogeneity limits the efficacy of ADCs.")
    s.mech("Intratumoral heterogeneity", "tumor_heterogeneity", "tumor_heterogeneity")
    s.adc_class("ADCs")
    (claim,) = s.claims()
    assert claim.triple.mechanism == "intratumoral heterogeneity"
    assert claim.triple.mechanism_entity == "tumor heterogeneity"
    s = Sent("The TME limits the efficacy of ADCs.")
    s.mech("TME", "tumor_microenvironment", "tumor_microenvironment").adc_class("ADCs")
    (claim,) = s.claims()
    assert (claim.triple.mechanism, claim.triple.mechanism_entity) == (
        "TME",
        "tumor microenvironment",
    )


def test_document_defined_cue_abbreviation_takes_its_long_form_entity():
    text = "The tumor immune microenvironment (TIME) matters. The TIME limits ADCs."
    doc = DocIngest(Document("d1", "x.txt", "T", "", "", "", "", "", "", "", "text", 0, 0, text))
    long_start, short_start = text.index("tumor immune"), text.rindex("TIME")

    def mention(start: int, surface: str, source: str) -> Mention:
        cat = "tumor_microenvironment"
        return Mention(
            "d1",
            0,
            start,
            start + len(surface),
            surface,
            "MECHANISM",
            f"mech:{cat}",
            cat,
            source,
            cat,
        )

    resolved = resolve_cue_abbreviations(
        doc,
        [
            mention(long_start, "tumor immune microenvironment", "pack"),
            mention(short_start, "TIME", "abbreviation"),
        ],
        load_pack(),
    )
    assert [m.canonical for m in resolved] == [
        "tumor_microenvironment",
        "tumor immune microenvironment",
    ]


def test_remaining_sensitive_to_the_next_adc_affirms_the_sequencing_claim():
    s = Sent("T-DM1-resistant cells remained sensitive to T-DXd.")
    _abbr(s, "T-DM1", TDM1)
    _abbr(s, "T-DXd", TDXD)
    (claim,) = s.claims()
    assert claim.triple.strategy_entity == "sequencing to trastuzumab deruxtecan"
    assert not claim.evidence.negated
    s = Sent("Tumors that progressed on T-DM1 did not respond to T-DXd.")
    _abbr(s, "T-DM1", TDM1)
    _abbr(s, "T-DXd", TDXD)
    (claim,) = s.claims()
    assert claim.triple.drug == TDM1 and claim.evidence.negated


def test_resistance_word_covers_coordinated_partner_therapies():
    s = Sent("T-DXd was active in chemotherapy and pembrolizumab-resistant tumor models.")
    _abbr(s, "T-DXd", TDXD)
    s.strat("chemotherapy", "combination_chemotherapy", "combination_chemotherapy")
    s.add("pembrolizumab", "DRUG", "drugbank:DB09037", "pembrolizumab", "combination_immunotherapy")
    assert keys(s.claims()) == set()


def test_generic_wording_introducing_a_named_adc_is_not_a_second_drug():
    s = Sent(
        "Resistance to the antibody-drug conjugate T-DM1 is based on reduced lysosomal proteolysis."
    )
    s.adc_class("antibody-drug conjugate")
    _abbr(s, "T-DM1", TDM1)
    s.mech("lysosomal proteolysis", "lysosomal_trafficking", "lysosomal_trafficking")
    assert keys(s.claims()) == {(TDM1, "lysosomal_trafficking", "lysosomal proteolysis", "", "")}


def test_cells_that_do_not_express_the_antigen_are_antigen_loss():
    s = Sent(
        "Cleavable linkers increase the bystander effect on cells that do not express the "
        "target antigen in ADCs."
    )
    s.strat("Cleavable linkers", "linker_conjugation_engineering", "linker_conjugation_engineering")
    s.strat("bystander effect", "linker_conjugation_engineering", "linker_conjugation_engineering")
    s.adc_class("ADCs")
    claims = s.claims()
    found = {(c.triple.mechanism_category, c.triple.mechanism_entity) for c in claims}
    assert found == {("antigen_loss", "target antigen")}
    assert not any(c.evidence.negated for c in claims)


def test_status_word_across_a_contrast_is_no_resistance_claim():
    s = Sent("T-DXd is active in HER2-low breast cancer, but resistance eventually develops.")
    _abbr(s, "T-DXd", TDXD)
    s.gene("HER2", "ERBB2")
    assert keys(s.claims()) == set()
    s = Sent("HER2-low status was associated with resistance to T-DM1.")
    s.gene("HER2", "ERBB2")
    _abbr(s, "T-DM1", TDM1)
    assert keys(s.claims()) == {(TDM1, "antigen_loss", "ERBB2", "", "")}


def test_but_without_a_comma_limits_the_negation_scope():
    s = Sent(
        "Cells with TOP1 mutations were cross-resistant to SG but remained sensitive to taxanes."
    )
    s.gene("TOP1", "TOP1").mech("mutations", "antigen_loss", "antigen_loss")
    _abbr(s, "SG", SG)
    claims = s.claims()
    assert keys(claims) == {(SG, "payload_resistance", "TOP1", "", "")}
    assert not claims[0].evidence.negated


def test_specific_sequencing_replaces_the_generic_switching_cue():
    s = Sent("Switching to an ADC with a different payload may overcome resistance to SG.")
    s.strat("Switching", "treatment_sequencing", "treatment_sequencing")
    s.strat("different payload", "treatment_sequencing", "treatment_sequencing")
    s.adc_class("ADC")
    _abbr(s, "SG", SG)
    assert keys(s.claims()) == {(SG, "", "", "treatment_sequencing", "switch of payload class")}


def test_negation_in_a_clause_about_another_mechanism_stays_with_it():
    s = Sent(
        "Resistant cells showed impaired lysosomal acidification, whereas HER2 levels and "
        "T-DM1 internalization were unchanged."
    )
    s.mech("impaired lysosomal acidification", "lysosomal_trafficking", "lysosomal_trafficking")
    s.gene("HER2", "ERBB2")
    _abbr(s, "T-DM1", TDM1)
    s.mech("internalization", "impaired_internalization", "impaired_internalization")
    flags = {c.triple.mechanism_entity: c.evidence.negated for c in s.claims()}
    assert flags["lysosomal acidification"] is False
