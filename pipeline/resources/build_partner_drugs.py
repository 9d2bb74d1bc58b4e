"""Regenerate ``partner_drugs.tsv`` from ``partner_drug_names.tsv`` and the DrugBank/MeSH
dictionary shipped offline in the ``drug-named-entity-recognition`` package, and
``drugbank_stem_drugs.tsv`` (the package's one-word drug names ending in an INN stem of
``drug_inn_stems.tsv``).

Ids and synonyms come from the package, not from hand typing: for each INN in the input
list the package is asked for an exact match; its DrugBank id and synonyms are
written out. Names the package does not know keep an empty id (entity ``drug:<inn>``).

The stem table is the part of the dictionary the NER's drug-stem rule can ever ask for
(loading the whole dictionary costs ~2-4 s and ~340 MB in every process): each name that
is a single lower-case word ``[a-z][a-z]+<stem>`` with the DrugBank id and canonical name
the package gives its exact match.

Run: ``.venv/bin/python -m pipeline.resources.build_partner_drugs`` (deterministic output).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE / "partner_drug_names.tsv"
TARGET = HERE / "partner_drugs.tsv"
STEMS = HERE / "drug_inn_stems.tsv"
STEM_TARGET = HERE / "drugbank_stem_drugs.tsv"
MIN_SYNONYM_LEN = 4  # shorter package synonyms ("csa", "5fu") are too ambiguous to match
PAYLOADS = HERE / "payloads.tsv"


def payload_names() -> set[str]:
    """ADC payload names: never a partner-drug synonym (DrugBank lists SN-38 under irinotecan)."""
    names: set[str] = set()
    with PAYLOADS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            names.add(row["payload"].lower())
            names.update(s.lower() for s in row["synonyms"].split("|") if s)
    return names


def lookup(name: str) -> dict | None:
    """The package's record for ``name`` when it matches exactly, else None."""
    from drug_named_entity_recognition import find_drugs

    hits = find_drugs(name.split(), is_ignore_case=True)
    for record, start, end in hits:
        if start == 0 and end == len(name.split()) and record.get("match_type") == "exact":
            return record
    return None


def build_rows() -> list[dict[str, str]]:
    rows = []
    excluded = payload_names()
    with SOURCE.open(encoding="utf-8") as fh:
        for src in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            inn = src["inn"]
            record = lookup(inn)
            synonyms = {s for s in src["extra_synonyms"].split("|") if s}
            if record:
                synonyms |= {
                    s
                    for s in record.get("synonyms", [])
                    if len(s) >= MIN_SYNONYM_LEN and " " not in s
                }
                synonyms.add(record["name"].lower())
            synonyms = {s for s in synonyms if s.lower() not in excluded}
            synonyms.discard(inn)
            synonyms.discard(inn.lower())
            rows.append(
                {
                    "inn": inn,
                    "drugbank_id": (record or {}).get("drugbank_id", "") or "",
                    "synonyms": "|".join(sorted(synonyms, key=lambda s: (s.lower(), s))),
                    "drug_class": src["drug_class"],
                    "strategy_category": src["strategy_category"],
                    "source": "drug-named-entity-recognition" if record else "manual",
                }
            )
    return sorted(rows, key=lambda r: r["inn"].lower())


def exact_drugbank(word: str) -> tuple[str, str] | None:
    """(canonical name, DrugBank id) of the package's first exact one-word match with an id."""
    from drug_named_entity_recognition import find_drugs

    for record, start, end in find_drugs([word], is_ignore_case=True):
        if (start, end) == (0, 1) and record.get("match_type") == "exact":
            dbid = record.get("drugbank_id") or ""
            if dbid:
                return record["name"].lower(), dbid
    return None


def stem_word_pattern(stems: list[str]) -> re.Pattern[str]:
    """A whole lower-case word ending in a stem: what the NER rule looks up (its text regex
    ``pipeline.nlp.resolve.drug_stem_pattern``, lower-cased)."""
    alts = "|".join(sorted((re.escape(s) for s in stems), key=len, reverse=True))
    return re.compile(rf"[a-z][a-z]+(?:{alts})")


def build_stem_rows() -> list[dict[str, str]]:
    from drug_named_entity_recognition.drugs_finder import drug_variant_to_canonical

    with STEMS.open(encoding="utf-8") as fh:
        stems = [
            r["stem"].strip().lower()
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]
    word = stem_word_pattern(stems)
    rows = []
    for variant in sorted(v for v in drug_variant_to_canonical if word.fullmatch(v)):
        found = exact_drugbank(variant)
        if found:
            rows.append({"word": variant, "name": found[0], "drugbank_id": found[1]})
    return rows


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh,
            fieldnames=list(rows[0]),
            delimiter="\t",
            lineterminator="\n",
            quoting=csv.QUOTE_NONE,
            escapechar="\\",
        )
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    rows = build_rows()
    write_rows(TARGET, rows)
    n_ids = sum(bool(r["drugbank_id"]) for r in rows)
    print(f"wrote {TARGET} ({len(rows)} drugs, {n_ids} with DrugBank id)")
    stem_rows = build_stem_rows()
    write_rows(STEM_TARGET, stem_rows)
    print(f"wrote {STEM_TARGET} ({len(stem_rows)} one-word DrugBank names with an INN stem)")


if __name__ == "__main__":
    main()
