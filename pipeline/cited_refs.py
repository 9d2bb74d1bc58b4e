"""The ``Evidence.cited_refs`` format, written and read in one place.

A cell is a "; "-separated list of items ``N|doi:..|pmid:..|pmcid:..`` (identifiers empty
when the reference list lacks them). Extraction writes it (:func:`format_ref`); assembly
counts distinct cited papers and the report builds links from it (:func:`parse_cited_refs`),
so both count a paper the same way (:meth:`CitedRef.paper_key`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
PMCID_RE = re.compile(r"^(?:PMC)?(\d{1,9})$", re.IGNORECASE)


def format_ref(number: int, doi: str = "", pmid: str = "", pmcid: str = "") -> str:
    """One item: ``"N|doi:..|pmid:..|pmcid:.."``."""
    return f"{number}|doi:{doi}|pmid:{pmid}|pmcid:{pmcid}"


@dataclass(frozen=True)
class CitedRef:
    """One reference cited by an evidence sentence (identifiers already normalised)."""

    number: int | None
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""

    def paper_key(self, doc_id: str) -> str:
        """Identity of the cited paper, to count distinct papers across documents."""
        if self.doi:
            return "doi:" + self.doi.lower()
        if self.pmid:
            return "pmid:" + self.pmid
        if self.pmcid:
            return "pmcid:" + self.pmcid
        return f"ref:{doc_id}#{self.number}"


def normalise_doi(value: str) -> str:
    return _DOI_PREFIX_RE.sub("", value.strip()).strip()


def normalise_pmcid(value: str) -> str:
    m = PMCID_RE.match(value.strip())
    return f"PMC{m.group(1)}" if m else value.strip()


def parse_cited_refs(cell: str) -> list[CitedRef]:
    """Parse one ``cited_refs`` cell. Unknown keys are ignored; order and duplicates kept out."""
    refs: list[CitedRef] = []
    seen: set[CitedRef] = set()
    for item in (cell or "").split(";"):
        item = item.strip()
        if not item:
            continue
        parts = [p.strip() for p in item.split("|")]
        number: int | None = None
        ids = {"doi": "", "pmid": "", "pmcid": ""}
        for part in parts:
            key, sep, value = part.partition(":")
            key = key.strip().lower()
            if not sep:
                if part.isdigit() and number is None:
                    number = int(part)
                continue
            if key in ids:
                ids[key] = value.strip()
        ref = CitedRef(
            number=number,
            doi=normalise_doi(ids["doi"]),
            pmid=ids["pmid"],
            pmcid=normalise_pmcid(ids["pmcid"]) if ids["pmcid"] else "",
        )
        if ref not in seen:
            seen.add(ref)
            refs.append(ref)
    return refs


def paper_keys(doc_id: str, cell: str) -> set[str]:
    """Distinct papers cited by one ``cited_refs`` cell of document ``doc_id``."""
    return {ref.paper_key(doc_id) for ref in parse_cited_refs(cell)}
