"""The knowledge pack (pipeline/resources/): completeness, consistency, normalisation."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pipeline.model import MECHANISM_CATEGORIES, STRATEGY_CATEGORIES
from pipeline.pack import DEFAULT_RESOURCES, lexicon, load_pack
from pipeline.pack.files import read_tsv

RES = DEFAULT_RESOURCES
PACK = load_pack()

APPROVED = [
    "trastuzumab emtansine",
    "trastuzumab deruxtecan",
    "sacituzumab govitecan",
    "datopotamab deruxtecan",
    "enfortumab vedotin",
    "tisotumab vedotin",
    "mirvetuximab soravtansine",
    "gemtuzumab ozogamicin",
    "inotuzumab ozogamicin",
    "brentuximab vedotin",
    "polatuzumab vedotin",
    "belantamab mafodotin",
    "loncastuximab tesirine",
    "disitamab vedotin",
]
INVESTIGATIONAL = [
    "trastuzumab duocarmazine",
    "patritumab deruxtecan",
    "telisotuzumab vedotin",
    "sacituzumab tirumotecan",
    "ifinatamab deruxtecan",
    "raludotatug deruxtecan",
    "tusamitamab ravtansine",
    "anetumab ravtansine",
    "depatuxizumab mafodotin",
    "ladiratuzumab vedotin",
]
PAYLOAD_CLASSES = {"microtubule inhibitor", "TOP1 inhibitor", "DNA-damaging", "other"}


def test_catalogue_has_required_adcs_with_complete_rows():
    cat = {r.inn: r for r in PACK.adc_catalog}
    assert len(cat) >= 30
    for inn in APPROVED + INVESTIGATIONAL:
        assert inn in cat, inn
    for r in cat.values():
        assert r.inn == r.inn.lower() and not r.inn.startswith(("ado-", "fam-"))
        assert r.entity_id == "adc:" + r.inn.replace(" ", "_")
        assert r.target and r.payload and r.linker, r.inn
        assert r.payload_class in PAYLOAD_CLASSES, r.inn
    for inn in APPROVED:
        assert cat[inn].first_approval_year.isdigit(), inn


@pytest.mark.parametrize(
    ("name", "inn"),
    [
        ("T-DM1", "trastuzumab emtansine"),
        ("Kadcyla", "trastuzumab emtansine"),
        ("ado-trastuzumab emtansine", "trastuzumab emtansine"),
        ("DS-8201a", "trastuzumab deruxtecan"),
        ("T-DXd", "trastuzumab deruxtecan"),
        ("Enhertu", "trastuzumab deruxtecan"),
        ("Trodelvy", "sacituzumab govitecan"),
        ("IMMU-132", "sacituzumab govitecan"),
        ("Dato-DXd", "datopotamab deruxtecan"),
        ("DS-1062", "datopotamab deruxtecan"),
        ("Padcev", "enfortumab vedotin"),
        ("Tivdak", "tisotumab vedotin"),
        ("Elahere", "mirvetuximab soravtansine"),
        ("RC48", "disitamab vedotin"),
        ("SYD985", "trastuzumab duocarmazine"),
        ("sacituzumab vedotin", "sacituzumab govitecan"),  # Table 1 typo of the review
    ],
)
def test_synonyms_resolve_to_the_inn(name, inn):
    terms = PACK.term_index[lexicon.normalise_name(name)]
    assert {t.entity_id for t in terms if t.type == "ADC"} == {"adc:" + inn.replace(" ", "_")}


def test_ambiguous_short_forms_are_doc_defined_only():
    direct = {t.text for t in PACK.terms if t.type == "ADC"}
    defined = PACK.doc_defined_terms
    for short in ("SG", "EV", "TV", "MIRV"):
        assert short not in direct
        assert short in defined
    assert "TF" in defined and defined["TF"][0].entity_id == "hgnc:F3"
    assert not any(t.text == "TF" for t in PACK.terms)


def test_suffix_table_covers_the_spec():
    suffixes = PACK.adc_suffixes
    for s in (
        "vedotin",
        "mafodotin",
        "deruxtecan",
        "govitecan",
        "emtansine",
        "soravtansine",
        "ravtansine",
        "ozogamicin",
        "tesirine",
        "duocarmazine",
        "tirumotecan",
    ):
        assert s in suffixes
        assert suffixes[s][1] in PAYLOAD_CLASSES


@pytest.mark.parametrize(
    ("alias", "symbols"),
    [
        ("MDR1", {"ABCB1"}),
        ("P-gp", {"ABCB1"}),
        ("BCRP", {"ABCG2"}),
        ("HER2", {"ERBB2"}),
        ("p95HER2", {"ERBB2"}),
        ("Trop2", {"TACSTD2"}),
        ("TROP-2", {"TACSTD2"}),
        ("Nectin-4", {"NECTIN4"}),
        ("PVRL4", {"NECTIN4"}),
        ("CD30", {"TNFRSF8"}),
        ("FRα", {"FOLR1"}),
        ("FR α", {"FOLR1"}),
        ("FRalpha", {"FOLR1"}),
        ("caveolin-1", {"CAV1"}),
        ("cyclin B1", {"CCNB1"}),
        ("Bcl-2/xL", {"BCL2", "BCL2L1"}),
        ("HER3", {"ERBB3"}),
        ("PD-1", {"PDCD1"}),
        ("PD-L1", {"CD274"}),
        ("B7-H3", {"CD276"}),
        ("CLDN18.2", {"CLDN18"}),
        ("cathepsin L", {"CTSL"}),
        ("tissue factor", {"F3"}),
        ("c-MET", {"MET"}),
    ],
)
def test_gene_aliases_normalise_to_hgnc(alias, symbols):
    terms = PACK.term_index[lexicon.normalise_name(alias)]
    assert {t.canonical for t in terms if t.type == "GENE"} == symbols


def test_gene_table_size_and_unique_symbols():
    rows = PACK.rows("genes.tsv")
    symbols = [r["symbol"] for r in rows]
    assert len(rows) >= 150
    assert len(symbols) == len(set(symbols))
    for r in rows:
        assert r["mechanism_category"] in MECHANISM_CATEGORIES, r["symbol"]


def test_no_alias_names_two_genes_except_declared_pairs():
    by_alias: dict[str, set[str]] = {}
    for t in PACK.terms:
        if t.type == "GENE":
            key = t.text if t.case_sensitive else t.text.lower()
            by_alias.setdefault(key, set()).add(t.entity_id)
    shared = {a: ids for a, ids in by_alias.items() if len(ids) > 1}
    # Only the declared two-gene aliases ("Bcl-2/xL" -> BCL2 + BCL2L1) and their variants.
    assert shared
    for alias, ids in shared.items():
        assert re.sub(r"[\s\-/]", "", alias) in {"bcl2xl", "bcl2bclxl"}, alias
        assert ids == {"hgnc:BCL2", "hgnc:BCL2L1"}


def test_partner_drugs_have_drugbank_ids_from_the_package():
    rows = {r["inn"]: r for r in PACK.rows("partner_drugs.tsv")}
    for inn in (
        "pembrolizumab",
        "nivolumab",
        "atezolizumab",
        "durvalumab",
        "olaparib",
        "tucatinib",
        "neratinib",
        "lapatinib",
        "pertuzumab",
        "trastuzumab",
        "bevacizumab",
        "cyclosporine",
        "tariquidar",
        "verapamil",
        "volasertib",
        "osimertinib",
        "alpelisib",
        "capivasertib",
        "everolimus",
        "venetoclax",
        "navitoclax",
        "docetaxel",
        "paclitaxel",
        "capecitabine",
        "carboplatin",
    ):
        assert rows[inn]["drugbank_id"].startswith("DB"), inn
        assert rows[inn]["source"] == "drug-named-entity-recognition"
    assert rows["Ko143"]["drugbank_id"] == ""  # not in DrugBank: entity drug:ko143
    for r in rows.values():
        assert r["strategy_category"] in STRATEGY_CATEGORIES, r["inn"]


def test_partner_drug_table_is_what_the_builder_writes():
    """partner_drugs.tsv is generated: regenerating it must give the same rows."""
    from pipeline.resources.build_partner_drugs import build_rows

    with (RES / "partner_drugs.tsv").open(encoding="utf-8") as fh:
        on_disk = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert build_rows() == on_disk


def test_stem_drug_table_is_what_the_builder_writes():
    """drugbank_stem_drugs.tsv is generated: regenerating it must give the same rows, and a
    look-up through it answers what the package's own exact match answers."""
    from pipeline.resources.build_partner_drugs import build_stem_rows, exact_drugbank

    on_disk = read_tsv(RES / "drugbank_stem_drugs.tsv")
    assert build_stem_rows() == on_disk
    for word in ("decitabine", "zanubrutinib", "osimertinib", "carboplatin", "fooplatin"):
        assert PACK.stem_drugs.get(word) == exact_drugbank(word), word
    assert PACK.stem_drugs.get("fooplatin") is None


def test_payload_names_never_become_drug_synonyms():
    drug_texts = {t.text.lower() for t in PACK.terms if t.type == "DRUG"}
    assert "sn-38" not in drug_texts and "dxd" not in drug_texts


def test_cue_categories_are_the_spec_strings():
    for fname, allowed in (
        ("mechanism_cues.tsv", MECHANISM_CATEGORIES),
        ("strategy_cues.tsv", STRATEGY_CATEGORIES),
    ):
        rows = read_tsv(RES / fname)
        assert rows
        for r in rows:
            assert r["category"] in allowed, (fname, r["cue"])
        cues = [r["cue"].lower() for r in rows]
        assert len(cues) == len(set(cues)), f"{fname}: a cue maps to two categories"


def test_every_resource_file_is_documented():
    readme = (RES / "README.md").read_text(encoding="utf-8")
    for path in sorted(RES.glob("*.tsv")):
        assert path.name in readme, path.name


def test_malformed_table_raises_with_file_and_line(tmp_path: Path):
    bad = tmp_path / "adc_catalog.tsv"
    header = (RES / "adc_catalog.tsv").read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(header + "\nonly two\tcolumns\n", encoding="utf-8")
    with pytest.raises(ValueError, match="adc_catalog.tsv:2"):
        read_tsv(bad)
    with pytest.raises(FileNotFoundError, match="genes.tsv"):
        read_tsv(tmp_path / "genes.tsv")


def test_a_partner_drugs_strategy_is_named_once():
    """A listed partner drug's strategy category comes from partner_drug_names.tsv only;
    partner_strategy.tsv holds class, target and gene words, not the same drugs again."""
    listed = {r["inn"].lower() for r in read_tsv(RES / "partner_drug_names.tsv")}
    for row in read_tsv(RES / "partner_strategy.tsv"):
        words = {w.lower() for w in row["pattern"].split("|")}
        assert not words & listed, (row["strategy_category"], sorted(words & listed))
