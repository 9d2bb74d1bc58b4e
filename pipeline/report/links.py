"""Cited references of an evidence row: parsing ``cited_refs`` and building outbound links.

``Evidence.cited_refs`` is a "; "-separated list of items ``N|doi:..|pmid:..|pmcid:..``
(empty values allowed). The report turns each item into links a curator can follow to the
primary paper: DOI (doi.org), PubMed and PubMed Central. Identifiers that do not look like
identifiers get no link (their text is still shown), so a malformed cell never yields a
broken or unsafe URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

DOI_BASE = "https://doi.org/"
PUBMED_BASE = "https://pubmed.ncbi.nlm.nih.gov/"
PMC_BASE = "https://www.ncbi.nlm.nih.gov/pmc/articles/"

_DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID_RE = re.compile(r"^\d{1,9}$")
_PMCID_RE = re.compile(r"^(?:PMC)?(\d{1,9})$", re.IGNORECASE)


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
    m = _PMCID_RE.match(value.strip())
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


def ref_links(ref: CitedRef) -> list[tuple[str, str]]:
    """``(label, href)`` pairs for the identifiers of ``ref`` that are well formed."""
    links: list[tuple[str, str]] = []
    if ref.doi and _DOI_RE.match(ref.doi):
        links.append(("DOI", DOI_BASE + quote(ref.doi, safe="/:;()._-")))
    if ref.pmid and _PMID_RE.match(ref.pmid):
        links.append(("PubMed", f"{PUBMED_BASE}{ref.pmid}/"))
    if ref.pmcid and _PMCID_RE.match(ref.pmcid):
        links.append(("PMC", f"{PMC_BASE}{ref.pmcid}/"))
    return links
