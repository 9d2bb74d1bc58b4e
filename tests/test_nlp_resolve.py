"""Pure NER algorithms (pipeline/nlp/resolve.py) on plain tuples, no spaCy."""

from __future__ import annotations

from pipeline.nlp.resolve import (
    Candidate,
    Definition,
    drop_redefined,
    extend_adc_classes,
    inn_pattern,
    licensed_short_forms,
    link_abbreviations,
    long_form_entity,
    resolve,
    resolve_layer,
    suffix_payload,
)


def C(start, end, typ, eid, source="pack"):
    return Candidate(start, end, typ, eid, source)


def test_longest_match_wins_within_a_layer():
    cands = [C(0, 2, "ADC", "adc:x"), C(1, 2, "PAYLOAD", "payload:y"), C(0, 1, "DRUG", "d:z")]
    assert resolve_layer(cands) == [C(0, 2, "ADC", "adc:x")]


def test_same_span_two_entities_kept():
    cands = [
        C(3, 6, "GENE", "hgnc:BCL2"),
        C(3, 6, "GENE", "hgnc:BCL2L1"),
        C(4, 5, "GENE", "hgnc:X"),
    ]
    assert [c.entity_id for c in resolve_layer(cands)] == ["hgnc:BCL2", "hgnc:BCL2L1"]


def test_pack_beats_longer_model_candidate_and_model_keeps_the_rest():
    cands = [
        C(0, 1, "GENE", "hgnc:ERBB2"),
        C(0, 3, "OTHER", "model:entity:her2_positive_cells", "model"),
        C(5, 6, "OTHER", "model:entity:cells", "model"),
    ]
    assert resolve_layer(cands) == [C(0, 1, "GENE", "hgnc:ERBB2"), cands[2]]


def test_layers_overlap_but_not_within():
    cands = [
        C(0, 1, "GENE", "hgnc:ERBB2"),
        C(0, 4, "ADC_CLASS", "adcclass:generic"),
        C(1, 2, "STRATEGY", "strat:bispecific_biparatopic_adc"),
        C(1, 3, "STRATEGY", "strat:other"),
    ]
    out = resolve(cands)
    assert C(0, 1, "GENE", "hgnc:ERBB2") in out and C(0, 4, "ADC_CLASS", "adcclass:generic") in out
    assert [c for c in out if c.type == "STRATEGY"] == [C(1, 3, "STRATEGY", "strat:other")]


def test_suffix_rule_types_unseen_inn():
    suffixes = {
        "vedotin": ("MMAE", "microtubule inhibitor"),
        "deruxtecan": ("DXd", "TOP1 inhibitor"),
    }
    assert suffix_payload("Foobarmab", suffixes) is None
    assert suffix_payload("Deruxtecan", suffixes) == ("DXd", "TOP1 inhibitor")
    rx = inn_pattern(suffixes)
    assert rx.fullmatch("zilovertamab vedotin") and rx.fullmatch("Foomab-Deruxtecan")
    assert not rx.search("zilovertamab vedotinib") and not rx.search("vedotin alone")


def test_abbreviation_links_every_occurrence_to_the_long_form_entity():
    # "sacituzumab govitecan ( SG ) ... SG"
    tokens = ["sacituzumab", "govitecan", "(", "SG", ")", "and", "SG"]
    cands = [C(0, 2, "ADC", "adc:sacituzumab_govitecan")]
    defs = [Definition("SG", 3, 4, 0, 2), Definition("SG", 6, 7, 0, 2)]
    new, redefined = link_abbreviations(defs, cands, tokens)
    assert redefined == set()
    assert new == [
        C(3, 4, "ADC", "adc:sacituzumab_govitecan", "abbreviation"),
        C(6, 7, "ADC", "adc:sacituzumab_govitecan", "abbreviation"),
    ]


def test_long_form_must_end_with_the_entity_and_cover_half():
    cands = [C(0, 1, "GENE", "hgnc:ERBB2")]
    assert long_form_entity(0, 5, cands) is None  # "HER2 something long (X)"
    assert long_form_entity(0, 1, cands) == cands[0]


def test_redefined_short_form_drops_generic_terms_only():
    tokens = ["apparent", "diffusion", "coefficient", "(", "ADC", ")", "ADC", "Trop-2"]
    pack = [C(4, 5, "ADC_CLASS", "adcclass:generic"), C(6, 7, "ADC_CLASS", "adcclass:generic")]
    new, redefined = link_abbreviations([Definition("ADC", 4, 5, 0, 3)], pack, tokens)
    assert new == [] and redefined == {"ADC"}
    assert drop_redefined(pack, redefined, tokens) == []
    gene = [C(7, 8, "GENE", "hgnc:TACSTD2")]
    assert drop_redefined(gene, {"Trop-2"}, tokens) == gene  # long core term survives


def test_licensed_short_form_needs_the_full_name_in_the_document():
    doc_defined = {"SG": [("ADC", "adc:sacituzumab_govitecan")]}
    occ = [(10, 11, "SG")]
    assert licensed_short_forms(occ, doc_defined, [], set()) == []
    present = [C(0, 2, "ADC", "adc:sacituzumab_govitecan")]
    assert licensed_short_forms(occ, doc_defined, present, set()) == [
        C(10, 11, "ADC", "adc:sacituzumab_govitecan", "abbreviation")
    ]
    # ... unless the document defines "SG" as something else.
    assert licensed_short_forms(occ, doc_defined, present, {"SG"}) == []


def test_adc_class_grows_over_target_and_payload_wording():
    # HER2 - targeting ADCs ; anti - nectin-4 ADC ; topoisomerase I inhibitor - based ADCs
    tokens = ["her2", "-", "targeting", "adcs", ";", "anti", "-", "nectin-4", "adc", ";"]
    tokens += ["topoisomerase", "i", "inhibitor", "-", "based", "adcs"]
    chosen = [
        C(0, 1, "GENE", "hgnc:ERBB2"),
        C(3, 4, "ADC_CLASS", "adcclass:generic"),
        C(7, 8, "GENE", "hgnc:NECTIN4"),
        C(8, 9, "ADC_CLASS", "adcclass:generic"),
        C(10, 13, "DRUG_CLASS", "drugclass:topoisomerase_i_inhibitor"),
        C(15, 16, "ADC_CLASS", "adcclass:generic"),
    ]
    canon = {"hgnc:ERBB2": "ERBB2", "hgnc:NECTIN4": "NECTIN4"}
    canon["drugclass:topoisomerase_i_inhibitor"] = "TOP1 inhibitor"
    out, quals = extend_adc_classes(chosen, tokens, canon)
    classes = {(c.start, c.end): quals.get(c) for c in out if c.type == "ADC_CLASS"}
    assert classes == {
        (0, 4): "target:ERBB2",
        (5, 9): "target:NECTIN4",
        (10, 16): "payload_class:TOP1 inhibitor",
    }
    assert C(0, 1, "GENE", "hgnc:ERBB2") in out  # the gene mention stays
    assert not any(c.type == "DRUG_CLASS" for c in out)  # swallowed by the class mention


def test_stem_words_find_what_the_drug_stem_pattern_finds():
    from pathlib import Path

    from pipeline.nlp.resolve import StemWords, drug_stem_pattern
    from pipeline.pack import load_pack

    stems = load_pack().drug_inn_stems
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    text += (
        " Osimertinib, osimertinib-resistant, OSIMERTINIB, xtinib tinib Ltinib, carboplatin;"
        " _erlotinib erlotinib_ Erlotinib2 gefitinib. anti-gefitinib gefitinib- éerlotinib"
        " OSimertinib aBtinib Abtinib tinibtinib xxtinibtinib 7abtinib abtinib7 tinib"
    )
    for some in (stems, ("tinib", "platin"), ("mab", "ximab")):
        fast = StemWords(some).spans(text)
        assert fast == [m.span() for m in drug_stem_pattern(some).finditer(text)]
    assert len(StemWords(stems).spans(text)) > 5
    # no stem at all, or one of other characters: the plain pattern itself
    assert StemWords(()).plain is not None and StemWords(("ti-nib",)).plain is not None


def test_stem_words_on_random_text_find_what_the_pattern_finds():
    import random

    from pipeline.nlp.resolve import StemWords, drug_stem_pattern

    rng = random.Random(16)
    stems = ("tinib", "nib", "platin", "ib")
    pieces = ["tinib", "nib", "platin", "ib", "a", "Z", "x", "-", "_", " ", "7", "é", "(", "T"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert StemWords(stems).spans(text) == [
            m.span() for m in drug_stem_pattern(stems).finditer(text)
        ], text


def test_anchored_inn_and_descriptor_finders_match_their_patterns():
    import random
    from pathlib import Path

    from pipeline.nlp.resolve import (
        descriptor_finder,
        descriptor_pattern,
        inn_finder,
        inn_pattern,
    )
    from pipeline.pack import load_pack

    pack = load_pack()
    pairs = [
        (inn_finder(pack.adc_suffixes), inn_pattern(pack.adc_suffixes)),
        (
            descriptor_finder(pack.linker_surfaces, pack.payload_surfaces),
            descriptor_pattern(pack.linker_surfaces, pack.payload_surfaces),
        ),
    ]
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    rng = random.Random(16)
    pieces = "mab MAB anti Anti - \u2011 vc MMAE DXd vedotin deruxtecan tras tuzu HER2".split()
    pieces += [" ", "\u0130", "\u017f", "\u212a", "7", "(", "x"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(4000)]
    n = 0
    for fast, plain in pairs:
        for text in texts:
            got = [m.span() for m in fast.finditer(text)]
            assert got == [m.span() for m in plain.finditer(text)], text
            n += len(got)
    assert n > 50
