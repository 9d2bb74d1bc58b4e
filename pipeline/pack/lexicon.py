"""NER terms of the knowledge pack: its TSV rows turned into match terms.

Vocabularies are data: adding an ADC, a gene alias or a cue is a one-line edit of a TSV.
These builders read through a :class:`pipeline.pack.Pack`, which calls each once and keeps
the result (nothing is read at import time). No spaCy here, so the catalogue can be used
anywhere.

Term rules (documented in ``pipeline/resources/README.md``):

* an alias of 4+ characters is matched case-insensitively, a shorter one only as written;
  aliases in a ``*_cs`` column are always matched as written;
* ``doc_defined_*`` short forms (SG, EV, TV, MIRV, TF, ...) are never matched on their own:
  they resolve only where the document defines them or names their entity in full;
* a hyphenated term also matches with a space and, for a single word, without the hyphen
  ("T-DM1" ~ "TDM1", "Nectin-4" ~ "Nectin 4").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.model import GENERIC_ADC
from pipeline.pack.files import split_list

if TYPE_CHECKING:
    from pipeline.pack import Pack

MIN_CASELESS_LEN = 4
_SPACES = re.compile(r"\s+")
_SPACES_DASHES = re.compile(r"[\s\-‐‑–—‒]+")


@dataclass(frozen=True)
class Term:
    """One surface form that names one entity."""

    text: str
    type: str  # one of model.ENTITY_TYPES
    entity_id: str
    canonical: str
    category: str = ""  # payload class (ADC), mechanism/strategy category, gene's mechanism hint
    case_sensitive: bool = False
    layer: str = "core"  # core | class | cue


@dataclass(frozen=True)
class AdcRecord:
    """One row of the ADC catalogue (``adc_catalog.tsv``)."""

    inn: str
    entity_id: str
    synonyms: tuple[str, ...]
    doc_defined_abbreviations: tuple[str, ...]
    target: str  # HGNC symbol
    payload: str
    payload_class: str
    linker: str
    cleavable: bool
    first_approval_year: str
    status: str
    notes: str


def entity_key(name: str) -> str:
    """The id part of an entity id: lower case, spaces to underscores."""
    return _SPACES.sub("_", name.strip().lower())


def surface_variants(text: str) -> set[str]:
    """``text`` plus its hyphen/space variants (see module docstring)."""
    out = {text}
    if "-" in text:
        out.add(text.replace("-", " "))
        if " " not in text and len(text) <= 12:
            out.add(text.replace("-", ""))
    return {v for v in out if v.strip()}


def is_case_sensitive(alias: str) -> bool:
    return len(alias) < MIN_CASELESS_LEN


def normalise_name(text: str) -> str:
    """Lookup key for a name: lower case, dashes and spaces collapsed."""
    return _SPACES_DASHES.sub(" ", text.lower()).strip()


def drug_entity_id(inn: str, drugbank_id: str) -> str:
    return f"drugbank:{drugbank_id}" if drugbank_id else "drug:" + entity_key(inn)


def adc_catalog(pack: Pack) -> tuple[AdcRecord, ...]:
    """The ADC catalogue, one record per ADC, in file order."""
    records = []
    for row in pack.rows("adc_catalog.tsv"):
        inn = row["inn"].lower()
        records.append(
            AdcRecord(
                inn=inn,
                entity_id="adc:" + entity_key(inn),
                synonyms=split_list(row["synonyms"]),
                doc_defined_abbreviations=split_list(row["doc_defined_abbreviations"]),
                target=row["target_symbol"],
                payload=row["payload"],
                payload_class=row["payload_class"],
                linker=row["linker"],
                cleavable=row["cleavable"].lower() == "yes",
                first_approval_year=row["first_approval_year"],
                status=row["status"],
                notes=row["notes"],
            )
        )
    return tuple(records)


def adc_suffixes(pack: Pack) -> dict[str, tuple[str, str]]:
    """INN suffix -> (payload, payload class)."""
    return {
        r["suffix"].lower(): (r["payload"], r["payload_class"])
        for r in pack.rows("adc_inn_suffixes.tsv")
    }


def _adc_terms(pack: Pack) -> list[Term]:
    terms = []
    for r in pack.adc_catalog:
        for name in (r.inn, *r.synonyms):
            for v in surface_variants(name):
                terms.append(
                    Term(v, "ADC", r.entity_id, r.inn, r.payload_class, is_case_sensitive(v))
                )
    return terms


def _gene_terms(pack: Pack) -> list[Term]:
    terms = []
    for r in pack.rows("genes.tsv"):
        sym, hint = r["symbol"], r["mechanism_category"]
        eid = f"hgnc:{sym}"
        caseless = list(split_list(r["aliases"]))
        exact = list(split_list(r["aliases_cs"]))
        if r["match_symbol"].lower() == "yes":
            exact.append(sym)
            if len(sym) >= MIN_CASELESS_LEN and any(c.isdigit() for c in sym):
                caseless.append(sym)
        for alias in caseless:
            for v in surface_variants(alias):
                terms.append(Term(v, "GENE", eid, sym, hint, is_case_sensitive(v)))
        for alias in exact:
            for v in surface_variants(alias):
                terms.append(Term(v, "GENE", eid, sym, hint, True))
    return terms


def _drug_terms(pack: Pack) -> list[Term]:
    terms = []
    for r in pack.rows("partner_drugs.tsv"):
        eid = drug_entity_id(r["inn"], r["drugbank_id"])
        for name in (r["inn"], *split_list(r["synonyms"])):
            for v in surface_variants(name):
                terms.append(
                    Term(v, "DRUG", eid, r["inn"].lower(), r["strategy_category"], len(v) < 4)
                )
    for r in pack.rows("drug_classes.tsv"):
        name = r["drug_class"]
        eid = "drugclass:" + entity_key(name)
        for alias in (name, *split_list(r["synonyms"])):
            for v in surface_variants(alias):
                terms.append(
                    Term(v, "DRUG_CLASS", eid, name, r["strategy_category"], len(v) < 4, "class")
                )
    return terms


def _payload_and_class_terms(pack: Pack) -> list[Term]:
    terms = []
    for r in pack.rows("payloads.tsv"):
        name = r["payload"]
        eid = "payload:" + entity_key(name)
        for alias in (name, *split_list(r["synonyms"])):
            for v in surface_variants(alias):
                terms.append(Term(v, "PAYLOAD", eid, name, r["payload_class"], len(v) < 4))
    for r in pack.rows("adc_class_terms.tsv"):
        for v in surface_variants(r["term"]):
            terms.append(
                Term(v, "ADC_CLASS", "adcclass:generic", GENERIC_ADC, "", len(v) < 4, "class")
            )
    return terms


def _cue_terms(pack: Pack) -> list[Term]:
    terms = []
    for fname, typ, prefix in (
        ("mechanism_cues.tsv", "MECHANISM", "mech"),
        ("strategy_cues.tsv", "STRATEGY", "strat"),
    ):
        for r in pack.rows(fname):
            cat = r["category"]
            for v in surface_variants(r["cue"]):
                terms.append(Term(v, typ, f"{prefix}:{cat}", cat, cat, len(v) < 4, "cue"))
    return terms


def pack_terms(pack: Pack) -> tuple[Term, ...]:
    """Every term the pack matches directly (doc-defined short forms excluded)."""
    terms = (
        _adc_terms(pack)
        + _gene_terms(pack)
        + _drug_terms(pack)
        + _payload_and_class_terms(pack)
        + _cue_terms(pack)
    )
    # Deterministic order and no duplicates.
    return tuple(sorted(set(terms), key=lambda t: (t.text.lower(), t.type, t.entity_id, t.text)))


def doc_defined_terms(pack: Pack) -> dict[str, tuple[Term, ...]]:
    """Ambiguous short forms (exact case) -> the entities they may stand for in a document."""
    out: dict[str, list[Term]] = {}
    for r in pack.adc_catalog:
        for short in r.doc_defined_abbreviations:
            out.setdefault(short, []).append(
                Term(short, "ADC", r.entity_id, r.inn, r.payload_class, True)
            )
    for r in pack.rows("genes.tsv"):
        for short in split_list(r["doc_defined_aliases"]):
            out.setdefault(short, []).append(
                Term(
                    short, "GENE", f"hgnc:{r['symbol']}", r["symbol"], r["mechanism_category"], True
                )
            )
    return {k: tuple(v) for k, v in sorted(out.items())}


def drug_inn_stems(pack: Pack) -> tuple[str, ...]:
    """INN stems of drugs ("-tinib", "-platin", ...) that make a word worth a DrugBank look-up."""
    stems = {r["stem"].lower() for r in pack.rows("drug_inn_stems.tsv")}
    return tuple(sorted(stems, key=len, reverse=True))


def stem_drugs(pack: Pack) -> dict[str, tuple[str, str]]:
    """One-word DrugBank drug names with an INN stem -> (canonical name, DrugBank id).

    ``drugbank_stem_drugs.tsv`` is generated by ``build_partner_drugs.py`` from the
    DrugBank/MeSH dictionary of ``drug-named-entity-recognition``: the part of it the
    drug-stem rule can ask for, so no process loads the whole dictionary (~2-4 s, 340 MB).
    """
    return {r["word"]: (r["name"], r["drugbank_id"]) for r in pack.rows("drugbank_stem_drugs.tsv")}


def term_index(pack: Pack) -> dict[str, tuple[Term, ...]]:
    """Normalised name -> terms (for abbreviation long forms and model entities)."""
    out: dict[str, list[Term]] = {}
    for t in pack.terms:
        out.setdefault(normalise_name(t.text), []).append(t)
    return {k: tuple(v) for k, v in out.items()}


def partner_drug_words(pack: Pack) -> frozenset[str]:
    """Partner-drug names and synonyms, lower case."""
    return frozenset(
        v.lower()
        for r in pack.rows("partner_drugs.tsv")
        for v in (r["inn"], *split_list(r["synonyms"]))
    )


def class_antigens(pack: Pack) -> dict[str, str]:
    """Drug-class entity id -> the antigen its therapies target, for classes that include
    the ADCs of that antigen ("HER2-targeted therapy" covers T-DM1 and T-DXd)."""
    return {
        "drugclass:" + entity_key(r["drug_class"]): r["antigen"]
        for r in pack.rows("drug_classes.tsv")
        if r["antigen"]
    }


def partner_categories(pack: Pack) -> dict[str, str]:
    """Partner drug and drug class names and synonyms (lower case) -> strategy category."""
    out: dict[str, str] = {}
    for r in pack.rows("partner_drugs.tsv"):
        for v in (r["inn"], *split_list(r["synonyms"])):
            out.setdefault(v.lower(), r["strategy_category"])
    for r in pack.rows("drug_classes.tsv"):
        for v in (r["drug_class"], *split_list(r["synonyms"])):
            out.setdefault(v.lower(), r["strategy_category"])
    return {k: v for k, v in out.items() if v}


def antibody_stems(pack: Pack) -> dict[str, str]:
    """First word of an ADC's INN (lower case) -> the ADC's entity id, for words that name
    exactly one catalogue ADC and no partner drug: "inotuzumab" -> inotuzumab ozogamicin,
    but not "trastuzumab" (a drug of its own, and the antibody of three ADCs)."""
    partners = pack.partner_drug_words
    owners: dict[str, set[str]] = {}
    for r in pack.adc_catalog:
        words = r.inn.split()
        if len(words) == 2:
            owners.setdefault(words[0], set()).add(r.entity_id)
    return {
        w: next(iter(ids))
        for w, ids in sorted(owners.items())
        if len(ids) == 1 and w not in partners
    }


def payload_families(pack: Pack) -> frozenset[str]:
    """Names and synonyms (lower case) of payload families ("maytansinoid", "auristatin"):
    "trastuzumab-maytansinoid ADC" names a kind of ADC, not one ADC."""
    return frozenset(
        v.lower()
        for r in pack.rows("payloads.tsv")
        if r["family"] == "yes"
        for v in (r["payload"], *split_list(r["synonyms"]))
    )


def payload_surfaces(pack: Pack) -> dict[str, tuple[str, str]]:
    """Payload name or synonym (lower case) -> (payload, payload class)."""
    out = {}
    for r in pack.rows("payloads.tsv"):
        for v in (r["payload"], *split_list(r["synonyms"])):
            out[v.lower()] = (r["payload"], r["payload_class"])
    return out


def linker_surfaces(pack: Pack) -> tuple[str, ...]:
    """Linker names and synonyms (``adc_linkers.tsv``), longest first."""
    names = {
        v for r in pack.rows("adc_linkers.tsv") for v in (r["linker"], *split_list(r["synonyms"]))
    }
    return tuple(sorted(names, key=lambda v: (-len(v), v)))
