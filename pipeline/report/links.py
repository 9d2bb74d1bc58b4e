"""Outbound links for the cited references of an evidence row.

``Evidence.cited_refs`` is parsed by :mod:`pipeline.cited_refs`; each item becomes links a
curator can follow to the primary paper: DOI (doi.org), PubMed and PubMed Central.
Identifiers that do not look like identifiers get no link (their text is still shown), so
a malformed cell never yields a broken or unsafe URL.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from pipeline.cited_refs import PMCID_RE, CitedRef

DOI_BASE = "https://doi.org/"
PUBMED_BASE = "https://pubmed.ncbi.nlm.nih.gov/"
PMC_BASE = "https://www.ncbi.nlm.nih.gov/pmc/articles/"

_DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID_RE = re.compile(r"^\d{1,9}$")


def ref_links(ref: CitedRef) -> list[tuple[str, str]]:
    """``(label, href)`` pairs for the identifiers of ``ref`` that are well formed."""
    links: list[tuple[str, str]] = []
    if ref.doi and _DOI_RE.match(ref.doi):
        links.append(("DOI", DOI_BASE + quote(ref.doi, safe="/:;()._-")))
    if ref.pmid and _PMID_RE.match(ref.pmid):
        links.append(("PubMed", f"{PUBMED_BASE}{ref.pmid}/"))
    if ref.pmcid and PMCID_RE.match(ref.pmcid):
        links.append(("PMC", f"{PMC_BASE}{ref.pmcid}/"))
    return links
