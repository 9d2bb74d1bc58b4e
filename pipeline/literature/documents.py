"""Abstracts of cited (or newly published) papers as documents of their own.

Each abstract becomes a ``DocIngest`` with ``Document.kind == "abstract"`` and
``doc_id`` = hash of the abstract text (the same abstract cited by two reviews is one
document). Sentences are split by the ingest splitter (``pipeline.ingest.sentences``), so
abstracts and reviews are cut the same way. The text is ``title + blank line + abstract``;
sentences index it like any ingested document, so NER and extraction run on it unchanged.

How evidence carries the paper's identifiers: the document has one filled ``Reference``
(number :data:`SELF_REF`) holding the paper's PMID/PMCID/DOI, and every sentence cites it
through a ``Citation`` with an empty marker (no bracket in the text). Extraction builds
``Evidence.cited_refs`` from citations, so every claim mined from an abstract says
``1|doi:..|pmid:..|pmcid:..``. ``Document.doi`` and ``source_url`` carry them too.
The link back to the citing review and reference number is
``ResolvedReference.abstract_doc_id``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from pipeline.ingest.sentences import sentence_spans
from pipeline.model import Citation, DocIngest, Document, Reference, ResolvedReference, Sentence

SELF_REF = 1
_HEADINGS = {
    "abstract",
    "background",
    "introduction",
    "objective",
    "objectives",
    "purpose",
    "aim",
    "aims",
    "methods",
    "materials and methods",
    "patients and methods",
    "design",
    "results",
    "findings",
    "conclusion",
    "conclusions",
    "interpretation",
    "significance",
    "trial registration",
    "funding",
}


def abstract_doc_id(abstract: str) -> str:
    """Stable id of an abstract document: hash of its (plain) text."""
    return hashlib.sha256(abstract.strip().encode("utf-8")).hexdigest()[:16]


def abstract_documents(resolved: Iterable[ResolvedReference]) -> list[DocIngest]:
    """One ``DocIngest`` per distinct abstract among resolved references (sorted by doc_id)."""
    docs: dict[str, DocIngest] = {}
    for r in resolved:
        if r.status != "resolved" or not r.abstract.strip():
            continue
        doc = make_abstract_doc(
            title=r.title,
            abstract=r.abstract,
            authors=r.authors,
            journal=r.journal,
            year=r.year,
            doi=r.doi,
            pmid=r.pmid,
            pmcid=r.pmcid,
            source=r.source,
        )
        docs.setdefault(doc.document.doc_id, doc)
    return [docs[k] for k in sorted(docs)]


def paper_url(pmid: str, pmcid: str, doi: str) -> str:
    if pmid:
        return f"https://europepmc.org/article/MED/{pmid}"
    if pmcid:
        return f"https://europepmc.org/article/PMC/{pmcid}"
    return f"https://doi.org/{doi}" if doi else ""


def make_abstract_doc(
    *,
    title: str,
    abstract: str,
    authors: str,
    journal: str,
    year: str,
    doi: str,
    pmid: str,
    pmcid: str,
    source: str,
) -> DocIngest:
    """Build the document, its sentences, the self-reference and one citation per sentence."""
    doc_id = abstract_doc_id(abstract)
    title = " ".join(title.split())
    body = abstract.strip()
    text = f"{title}\n\n{body}" if title else body
    ident = (
        f"pmid:{pmid}" if pmid else f"pmcid:{pmcid}" if pmcid else f"doi:{doi}" if doi else doc_id
    )
    document = Document(
        doc_id=doc_id,
        file=f"abstract/{ident}",
        title=title,
        authors=authors,
        journal=journal,
        year=year,
        doi=doi,
        kind="abstract",
        source_url=paper_url(pmid, pmcid, doi),
        licence="abstract; publisher's terms apply",
        metadata_source=source,
        n_chars_raw=len(abstract),
        n_chars_clean=len(text),
        text=text,
    )
    sentences = _sentences(doc_id, text, title_len=len(title))
    reference = Reference(
        doc_id=doc_id,
        number=SELF_REF,
        filled=True,
        raw=". ".join(p for p in (authors, title, f"{journal} {year}".strip()) if p),
        authors=authors,
        title=title,
        journal=journal,
        year=year,
        volume="",
        issue="",
        pages="",
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
    )
    citations = [
        Citation(
            doc_id=doc_id,
            sentence_index=s.sentence_index,
            ref_number=SELF_REF,
            marker="",
            resolved=True,
        )
        for s in sentences
        if s.kind != "heading"
    ]
    return DocIngest(
        document=document, sentences=sentences, references=[reference], citations=citations
    )


def _sentences(doc_id: str, text: str, title_len: int) -> list[Sentence]:
    out: list[Sentence] = []
    if title_len:
        out.append(
            Sentence(doc_id, 0, "Title", "title", 0, title_len, text[:title_len], False, True)
        )
    section = "Abstract"
    start_body = title_len + 2 if title_len else 0
    for line in _lines(text, start_body):
        line_start, line_text = line
        label = line_text.rstrip(":").strip()
        if label.casefold() in _HEADINGS:
            section = label
            out.append(
                Sentence(
                    doc_id,
                    len(out),
                    section,
                    "heading",
                    line_start,
                    line_start + len(line_text),
                    line_text,
                    False,
                    False,
                )
            )
            continue
        for s, e in sentence_spans(line_text):
            out.append(
                Sentence(
                    doc_id,
                    len(out),
                    section,
                    "abstract",
                    line_start + s,
                    line_start + e,
                    line_text[s:e],
                    False,
                    False,
                )
            )
    return out


def _lines(text: str, start: int) -> list[tuple[int, str]]:
    out = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        stripped = m.group(0).strip()
        if stripped:
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            out.append((start + m.start() + lead, stripped))
    return out
