"""The knowledge pack: TSV files under ``pipeline/resources/`` turned into match terms.

Vocabularies are data: adding an ADC, a gene alias or a cue is a one-line edit of a TSV.
Everything is read lazily and cached per resources directory (``functools.cache``); nothing
is read at import time. This module imports no spaCy, so the catalogue can be used anywhere.

Term rules (documented in ``pipeline/resources/README.md``):

* an alias of 4+ characters is matched case-insensitively, a shorter one only as written;
  aliases in a ``*_cs`` column are always matched as written;
* ``doc_defined_*`` short forms (SG, EV, TV, MIRV, TF, ...) are never matched on their own:
  they resolve only where the document defines them or names their entity in full;
* a hyphenated term also matches with a space and, for a single word, without the hyphen
  ("T-DM1" ~ "TDM1", "Nectin-4" ~ "Nectin 4").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.model import GENERIC_ADC

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
MIN_CASELESS_LEN = 4


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


def resources_path(resources_dir: str | Path | None = None) -> Path:
    return Path(resources_dir) if resources_dir else RESOURCES


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV file as dicts; a missing or malformed file raises with its name."""
    if not path.is_file():
        raise FileNotFoundError(f"knowledge pack file missing: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = []
        for line_no, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise ValueError(f"{path.name}:{line_no}: wrong number of tab-separated columns")
            rows.append({k: v.strip() for k, v in row.items()})
    return rows


def split_list(value: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in value.split("|") if s.strip())


def entity_key(name: str) -> str:
    """The id part of an entity id: lower case, spaces to underscores."""
    return re.sub(r"\s+", "_", name.strip().lower())


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


@cache
def load_adc_catalog(resources_dir: str | None = None) -> tuple[AdcRecord, ...]:
    """The ADC catalogue, one record per ADC, in file order."""
    records = []
    for row in read_tsv(resources_path(resources_dir) / "adc_catalog.tsv"):
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


def adc_catalog_frame(resources_dir: str | None = None):
    """The catalogue as a DataFrame (for ``extracted/adc_catalog.csv``), sorted by INN."""
    import pandas as pd

    rows = [
        {
            "entity_id": r.entity_id,
            "inn": r.inn,
            "synonyms": "; ".join(r.synonyms + r.doc_defined_abbreviations),
            "target": r.target,
            "payload": r.payload,
            "payload_class": r.payload_class,
            "linker": r.linker,
            "cleavable": r.cleavable,
            "first_approval_year": r.first_approval_year,
            "status": r.status,
        }
        for r in load_adc_catalog(resources_dir)
    ]
    return pd.DataFrame(rows).sort_values("inn", kind="stable").reset_index(drop=True)


@cache
def load_adc_suffixes(resources_dir: str | None = None) -> dict[str, tuple[str, str]]:
    """INN suffix -> (payload, payload class)."""
    rows = read_tsv(resources_path(resources_dir) / "adc_inn_suffixes.tsv")
    return {r["suffix"].lower(): (r["payload"], r["payload_class"]) for r in rows}


@cache
def gene_rows(resources_dir: str | None = None) -> tuple[dict[str, str], ...]:
    return tuple(read_tsv(resources_path(resources_dir) / "genes.tsv"))


@cache
def partner_drug_rows(resources_dir: str | None = None) -> tuple[dict[str, str], ...]:
    return tuple(read_tsv(resources_path(resources_dir) / "partner_drugs.tsv"))


def drug_entity_id(inn: str, drugbank_id: str) -> str:
    return f"drugbank:{drugbank_id}" if drugbank_id else "drug:" + entity_key(inn)


def _adc_terms(resources_dir: str | None) -> list[Term]:
    terms = []
    for r in load_adc_catalog(resources_dir):
        for name in (r.inn, *r.synonyms):
            for v in surface_variants(name):
                terms.append(
                    Term(v, "ADC", r.entity_id, r.inn, r.payload_class, is_case_sensitive(v))
                )
    return terms


def _gene_terms(resources_dir: str | None) -> list[Term]:
    terms = []
    for r in gene_rows(resources_dir):
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


def _drug_terms(resources_dir: str | None) -> list[Term]:
    terms = []
    for r in partner_drug_rows(resources_dir):
        eid = drug_entity_id(r["inn"], r["drugbank_id"])
        for name in (r["inn"], *split_list(r["synonyms"])):
            for v in surface_variants(name):
                terms.append(
                    Term(v, "DRUG", eid, r["inn"].lower(), r["strategy_category"], len(v) < 4)
                )
    rows = read_tsv(resources_path(resources_dir) / "drug_classes.tsv")
    for r in rows:
        name = r["drug_class"]
        eid = "drugclass:" + entity_key(name)
        for alias in (name, *split_list(r["synonyms"])):
            for v in surface_variants(alias):
                terms.append(
                    Term(v, "DRUG_CLASS", eid, name, r["strategy_category"], len(v) < 4, "class")
                )
    return terms


def _payload_and_class_terms(resources_dir: str | None) -> list[Term]:
    base = resources_path(resources_dir)
    terms = []
    for r in read_tsv(base / "payloads.tsv"):
        name = r["payload"]
        eid = "payload:" + entity_key(name)
        for alias in (name, *split_list(r["synonyms"])):
            for v in surface_variants(alias):
                terms.append(Term(v, "PAYLOAD", eid, name, r["payload_class"], len(v) < 4))
    for r in read_tsv(base / "adc_class_terms.tsv"):
        for v in surface_variants(r["term"]):
            terms.append(
                Term(v, "ADC_CLASS", "adcclass:generic", GENERIC_ADC, "", len(v) < 4, "class")
            )
    return terms


def _cue_terms(resources_dir: str | None) -> list[Term]:
    base = resources_path(resources_dir)
    terms = []
    for fname, typ, prefix in (
        ("mechanism_cues.tsv", "MECHANISM", "mech"),
        ("strategy_cues.tsv", "STRATEGY", "strat"),
    ):
        for r in read_tsv(base / fname):
            cat = r["category"]
            for v in surface_variants(r["cue"]):
                terms.append(Term(v, typ, f"{prefix}:{cat}", cat, cat, len(v) < 4, "cue"))
    return terms


@cache
def pack_terms(resources_dir: str | None = None) -> tuple[Term, ...]:
    """Every term the pack matches directly (doc-defined short forms excluded)."""
    terms = (
        _adc_terms(resources_dir)
        + _gene_terms(resources_dir)
        + _drug_terms(resources_dir)
        + _payload_and_class_terms(resources_dir)
        + _cue_terms(resources_dir)
    )
    # Deterministic order and no duplicates.
    return tuple(sorted(set(terms), key=lambda t: (t.text.lower(), t.type, t.entity_id, t.text)))


@cache
def doc_defined_terms(resources_dir: str | None = None) -> dict[str, tuple[Term, ...]]:
    """Ambiguous short forms (exact case) -> the entities they may stand for in a document."""
    out: dict[str, list[Term]] = {}
    for r in load_adc_catalog(resources_dir):
        for short in r.doc_defined_abbreviations:
            out.setdefault(short, []).append(
                Term(short, "ADC", r.entity_id, r.inn, r.payload_class, True)
            )
    for r in gene_rows(resources_dir):
        for short in split_list(r["doc_defined_aliases"]):
            out.setdefault(short, []).append(
                Term(
                    short, "GENE", f"hgnc:{r['symbol']}", r["symbol"], r["mechanism_category"], True
                )
            )
    return {k: tuple(v) for k, v in sorted(out.items())}


@cache
def drug_inn_stems(resources_dir: str | None = None) -> tuple[str, ...]:
    """INN stems of drugs ("-tinib", "-platin", ...) that make a word worth a DrugBank look-up."""
    rows = read_tsv(resources_path(resources_dir) / "drug_inn_stems.tsv")
    return tuple(sorted({r["stem"].lower() for r in rows}, key=len, reverse=True))


@cache
def stem_drug_table(resources_dir: str | None = None) -> dict[str, tuple[str, str]]:
    """One-word DrugBank drug names with an INN stem -> (canonical name, DrugBank id).

    ``drugbank_stem_drugs.tsv`` is generated by ``build_partner_drugs.py`` from the
    DrugBank/MeSH dictionary of ``drug-named-entity-recognition``: the part of it the
    drug-stem rule can ask for, so no process loads the whole dictionary (~2-4 s, 340 MB).
    """
    rows = read_tsv(resources_path(resources_dir) / "drugbank_stem_drugs.tsv")
    return {r["word"]: (r["name"], r["drugbank_id"]) for r in rows}


def drugbank_lookup(word: str, resources_dir: str | None = None) -> tuple[str, str] | None:
    """(canonical name, DrugBank id) of a one-word lower-case drug name ending in an INN stem
    (``drug_inn_stems.tsv``), as the package's exact match gives it; None when DrugBank does
    not know the word."""
    return stem_drug_table(resources_dir).get(word)


def normalise_name(text: str) -> str:
    """Lookup key for a name: lower case, dashes and spaces collapsed."""
    return re.sub(r"[\s\-‐‑–—‒]+", " ", text.lower()).strip()


@cache
def term_index(resources_dir: str | None = None) -> dict[str, tuple[Term, ...]]:
    """Normalised name -> terms (for abbreviation long forms and model entities)."""
    out: dict[str, list[Term]] = {}
    for t in pack_terms(resources_dir):
        out.setdefault(normalise_name(t.text), []).append(t)
    return {k: tuple(v) for k, v in out.items()}


@cache
def adc_by_id(resources_dir: str | None = None) -> dict[str, AdcRecord]:
    return {r.entity_id: r for r in load_adc_catalog(resources_dir)}
