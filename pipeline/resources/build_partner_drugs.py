"""Regenerate ``partner_drugs.tsv`` from ``partner_drug_names.tsv`` and the DrugBank/MeSH
dictionary shipped offline in the ``drug-named-entity-recognition`` package.

Ids and synonyms come from the package, not from hand typing: for each INN in the input
list the package is asked for an exact match; its DrugBank id and synonyms are
written out. Names the package does not know keep an empty id (entity ``drug:<inn>``).

Run: ``.venv/bin/python -m pipeline.resources.build_partner_drugs`` (deterministic output).
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE / "partner_drug_names.tsv"
TARGET = HERE / "partner_drugs.tsv"
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


def main() -> None:
    rows = build_rows()
    with TARGET.open("w", encoding="utf-8", newline="") as fh:
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
    n_ids = sum(bool(r["drugbank_id"]) for r in rows)
    print(f"wrote {TARGET} ({len(rows)} drugs, {n_ids} with DrugBank id)")


if __name__ == "__main__":
    main()
