"""Europe PMC REST search: query builders, cursor paging and the ``resultType=core`` parser.

Shapes follow the documented ``GET {base}/search?query=..&format=json&resultType=core
&pageSize=..&cursorMark=..`` response: ``hitCount``, ``nextCursorMark``, ``request``
and ``resultList.result[]`` with ``id``, ``source``, ``pmid``, ``pmcid``, ``doi``,
``title``, ``authorString``/``authorList.author[]``, ``pubYear``, ``journalInfo.journal
.title`` (``journalTitle`` in ``lite``), ``abstractText`` (with HTML markup) and
``firstPublicationDate``. Europe PMC reports some errors as HTTP 200 with an ``errCode`` /
``errMsg`` object and no ``resultList``; that is a :class:`BadResponse` here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.literature.http import BadResponse, PoliteClient
from pipeline.literature.paper import (
    Paper,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    plain_text,
)

SOURCE = "europepmc"


@dataclass(frozen=True)
class SearchPage:
    hit_count: int
    next_cursor: str
    papers: list[Paper]


def query_pmcid(pmcid: str) -> str:
    return f"PMCID:{pmcid}"


def query_pmid(pmid: str) -> str:
    return f"EXT_ID:{pmid} AND SRC:MED"


def query_doi(doi: str) -> str:
    return f'DOI:"{doi}"'


def query_title(title: str) -> str:
    """A phrase search on the title's words: punctuation that is query syntax is dropped."""
    words = re.sub(r"[^\w]+", " ", title, flags=re.UNICODE).split()
    return f'TITLE:"{" ".join(words)}"'


def since_clause(query: str, since: str, until: str) -> str:
    """``(query) AND FIRST_PDATE:[since TO until]`` (ISO dates, both ends inclusive)."""
    return f"({query}) AND FIRST_PDATE:[{since} TO {until}]"


class EuropePMC:
    """Search Europe PMC through one :class:`PoliteClient`."""

    def __init__(self, client: PoliteClient, base_url: str):
        self.client = client
        self.url = base_url.rstrip("/") + "/search"

    def search(self, query: str, page_size: int = 25, cursor: str = "*") -> SearchPage:
        params = {
            "query": query,
            "format": "json",
            "resultType": "core",
            "pageSize": page_size,
            "cursorMark": cursor,
            "email": self.client.settings.contact_email,
        }
        return self.client.get_json(self.url, params, parse=lambda d: self._page(d, query))

    def iter_search(
        self, query: str, page_size: int = 100, max_records: int = 1000
    ) -> Iterator[SearchPage]:
        """Yield pages following ``nextCursorMark`` until the results or the cap run out."""
        cursor, seen = "*", 0
        while seen < max_records:
            page = self.search(query, page_size=min(page_size, max_records - seen), cursor=cursor)
            yield page
            seen += len(page.papers)
            if not page.papers or not page.next_cursor or page.next_cursor == cursor:
                return
            if seen >= page.hit_count:
                return
            cursor = page.next_cursor

    def _page(self, data: Any, query: str) -> SearchPage:
        if not isinstance(data, dict):
            raise BadResponse(f"Europe PMC answered {type(data).__name__}, not an object")
        if "errCode" in data or "errMsg" in data:
            raise BadResponse(
                f"Europe PMC error {data.get('errCode')}: {data.get('errMsg')} (query {query!r})"
            )
        results = (data.get("resultList") or {}).get("result")
        if results is None:
            if int(data.get("hitCount") or 0) == 0:
                results = []
            else:
                raise BadResponse(f"Europe PMC response without resultList (query {query!r})")
        if not isinstance(results, list):
            raise BadResponse("Europe PMC resultList.result is not a list")
        papers = [parse_result(r) for r in results if isinstance(r, dict)]
        return SearchPage(
            hit_count=int(data.get("hitCount") or 0),
            next_cursor=str(data.get("nextCursorMark") or ""),
            papers=papers,
        )


def parse_result(r: dict[str, Any]) -> Paper:
    """One ``resultList.result[]`` entry (core or lite) -> :class:`Paper`."""
    source = str(r.get("source") or "")
    journal_info = r.get("journalInfo")
    journal_info = journal_info if isinstance(journal_info, dict) else {}
    journal = (
        r.get("journalTitle")
        or (journal_info.get("journal") or {}).get("title")
        or (journal_info.get("journal") or {}).get("medlineAbbreviation")
        or (r.get("bookOrReportDetails") or {}).get("publisher")  # preprints
        or ""
    )
    pmid = normalise_pmid(str(r.get("pmid") or ""))
    if not pmid and source == "MED":
        pmid = normalise_pmid(str(r.get("id") or ""))
    return Paper(
        source=SOURCE,
        record_id=f"{source}:{r.get('id', '')}",
        pmid=pmid,
        pmcid=normalise_pmcid(str(r.get("pmcid") or "")),
        doi=normalise_doi(str(r.get("doi") or "")),
        title=plain_text(str(r.get("title") or "")).replace("\n", " "),
        authors=_authors(r),
        journal=str(journal),
        year=str(r.get("pubYear") or journal_info.get("yearOfPublication") or ""),
        first_publication_date=str(r.get("firstPublicationDate") or ""),
        abstract=plain_text(str(r.get("abstractText") or "")),
        is_preprint=source == "PPR",
    )


def _authors(r: dict[str, Any]) -> tuple[str, ...]:
    listed = ((r.get("authorList") or {}).get("author")) or []
    names = []
    for a in listed if isinstance(listed, list) else []:
        if not isinstance(a, dict):
            continue
        name = a.get("fullName") or " ".join(p for p in (a.get("lastName"), a.get("initials")) if p)
        name = name or a.get("collectiveName") or ""
        if name:
            names.append(str(name))
    if names:
        return tuple(names)
    author_string = str(r.get("authorString") or "").rstrip(".")
    return tuple(a.strip() for a in author_string.split(",") if a.strip())
