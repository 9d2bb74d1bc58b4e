"""NCBI E-utilities (PubMed): the fallback when Europe PMC has no answer.

Three calls, shaped as documented (every call carries ``tool`` and ``email``; ``api_key``
when configured):

- ``esearch.fcgi?db=pubmed&term=..&retmode=json`` -> ``{"esearchresult": {"count",
  "idlist": [...], ...}}`` (errors as ``esearchresult.ERROR`` or a top-level ``error``);
- ``esummary.fcgi?db=pubmed&id=1,2&retmode=json`` -> ``{"result": {"uids": [...],
  "<uid>": {"title", "authors": [{"name"}], "pubdate", "sortpubdate", "source",
  "fulljournalname", "articleids": [{"idtype": "doi"|"pmc"|"pubmed", "value"}]}}}``;
- ``efetch.fcgi?db=pubmed&id=..&rettype=abstract&retmode=xml`` -> ``PubmedArticleSet`` XML
  with ``Abstract/AbstractText`` (optionally ``Label``-ed sections). PubMed efetch has no
  JSON mode, hence the XML parser.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from pipeline.literature.http import BadResponse, PoliteClient
from pipeline.literature.paper import Paper, normalise_doi, normalise_pmcid, plain_text

SOURCE = "ncbi"


class NCBI:
    def __init__(self, client: PoliteClient, base_url: str, api_key: str = ""):
        self.client = client
        self.base = base_url.rstrip("/")
        self.api_key = api_key

    def _params(self, **extra: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            "db": "pubmed",
            "tool": "adc-resistance-miner",
            "email": self.client.settings.contact_email,
            **extra,
        }
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    def esearch(self, term: str, retmax: int = 5) -> list[str]:
        return self.client.get_json(
            f"{self.base}/esearch.fcgi",
            self._params(term=term, retmode="json", retmax=retmax),
            parse=lambda data: _esearch_ids(data, term),
        )

    def esummary(self, pmids: list[str]) -> list[Paper]:
        if not pmids:
            return []
        return self.client.get_json(
            f"{self.base}/esummary.fcgi",
            self._params(id=",".join(pmids), retmode="json"),
            parse=lambda data: _esummary_papers(data, pmids),
        )

    def efetch_abstracts(self, pmids: list[str]) -> dict[str, str]:
        if not pmids:
            return {}
        return self.client.get_text(
            f"{self.base}/efetch.fcgi",
            self._params(id=",".join(pmids), rettype="abstract", retmode="xml"),
            parse=parse_efetch_abstracts,
        )


def _esearch_ids(data: Any, term: str) -> list[str]:
    result = data.get("esearchresult") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        raise BadResponse(f"NCBI esearch: no esearchresult object (term {term!r})")
    if result.get("ERROR"):
        raise BadResponse(f"NCBI esearch error: {result['ERROR']} (term {term!r})")
    ids = result.get("idlist") or []
    return [str(i) for i in ids if str(i).isdigit()]


def _esummary_papers(data: Any, pmids: list[str]) -> list[Paper]:
    result = data.get("result") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        raise BadResponse(f"NCBI esummary: no result object (ids {','.join(pmids)})")
    papers = []
    for uid in result.get("uids") or []:
        doc = result.get(str(uid))
        if isinstance(doc, dict) and not doc.get("error"):
            papers.append(parse_docsum(doc))
    return papers


def parse_docsum(doc: dict[str, Any]) -> Paper:
    ids = {
        str(a.get("idtype")): str(a.get("value") or "")
        for a in doc.get("articleids") or []
        if isinstance(a, dict)
    }
    pmcid = normalise_pmcid(ids.get("pmc", ""))
    if not pmcid and ids.get("pmcid"):  # "pmc-id: PMC123;"
        found = re.search(r"PMC\d+", ids["pmcid"])
        pmcid = found.group(0) if found else ""
    date = str(doc.get("sortpubdate") or doc.get("pubdate") or "")
    year = date[:4] if date[:4].isdigit() else ""
    epub = str(doc.get("epubdate") or "")
    return Paper(
        source=SOURCE,
        record_id=str(doc.get("uid") or ""),
        pmid=str(doc.get("uid") or ids.get("pubmed", "")),
        pmcid=pmcid,
        doi=normalise_doi(ids.get("doi", "")),
        title=plain_text(str(doc.get("title") or "")).replace("\n", " "),
        authors=tuple(str(a.get("name")) for a in doc.get("authors") or [] if isinstance(a, dict)),
        journal=str(doc.get("fulljournalname") or doc.get("source") or ""),
        year=year,
        first_publication_date=epub[:4] if epub[:4].isdigit() else "",
    )


def parse_efetch_abstracts(xml_text: str) -> dict[str, str]:
    """PMID -> plain abstract text from a ``PubmedArticleSet`` (labelled sections kept)."""
    try:
        root = ET.fromstring(xml_text.encode("utf-8"))
    except ET.ParseError as exc:
        raise BadResponse(f"NCBI efetch: malformed XML: {exc}") from exc
    out: dict[str, str] = {}
    for article in root.iter("PubmedArticle"):
        pmid = (article.findtext("MedlineCitation/PMID") or "").strip()
        parts = []
        for node in article.iterfind("MedlineCitation/Article/Abstract/AbstractText"):
            body = " ".join("".join(node.itertext()).split())
            label = node.get("Label")
            if body:
                parts.append(f"{label}\n{body}" if label else body)
        if pmid and parts:
            out[pmid] = "\n".join(parts)
    return out
