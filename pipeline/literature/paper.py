"""One bibliographic record as a service returned it, in one shape for both services.

Europe PMC and NCBI describe a paper differently (``authorList`` vs ``authors``,
``pubYear`` vs ``pubdate``); the parsers in ``europepmc`` and ``ncbi`` turn both into a
:class:`Paper`, so matching and document building never see service-specific JSON.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"</?(h\d|p|br|div|sec|title|AbstractText)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Paper:
    source: str  # "europepmc" | "ncbi"
    record_id: str  # service id: Europe PMC "MED:12345" / "PMC:PMC123" / "PPR:PPR1"; NCBI pmid
    pmid: str = ""
    pmcid: str = ""
    doi: str = ""
    title: str = ""
    authors: tuple[str, ...] = field(default_factory=tuple)  # "Surname Initials", in order
    journal: str = ""
    year: str = ""
    first_publication_date: str = ""  # YYYY-MM-DD when known
    abstract: str = ""  # plain text (markup removed)
    is_preprint: bool = False

    @property
    def years(self) -> set[str]:
        """Years this paper may be cited under: issue year and first (e)publication year."""
        out = {self.year} if self.year else set()
        if self.first_publication_date[:4].isdigit():
            out.add(self.first_publication_date[:4])
        return out


def plain_text(markup: str) -> str:
    """Abstract markup (Europe PMC's ``<h4>``/``<i>``, HTML entities) to plain text.

    Block tags become line breaks so section headings ("Background") stay separate from the
    sentence that follows; inline tags vanish; whitespace is collapsed per line.
    """
    if not markup:
        return ""
    text = _BLOCK_TAG.sub("\n", markup)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def normalise_doi(doi: str) -> str:
    """Bare lower-case DOI: no ``https://doi.org/`` or ``doi:`` prefix, no trailing dot."""
    doi = (doi or "").strip()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    return doi.rstrip(".").lower()


def normalise_pmcid(pmcid: str) -> str:
    pmcid = (pmcid or "").strip().upper()
    if pmcid.isdigit():
        pmcid = "PMC" + pmcid
    return pmcid if re.fullmatch(r"PMC\d+", pmcid) else ""


def normalise_pmid(pmid: str) -> str:
    pmid = (pmid or "").strip()
    return pmid if pmid.isdigit() else ""
