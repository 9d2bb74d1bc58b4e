"""Turn a reader's :class:`Draft` into the records of one document (:class:`DocIngest`).

Shared by every reader, so every format gets the same guarantees: blocks are joined into
the cleaned text with blank lines between them, sentence offsets index that text and
round-trip exactly, every reference slot is kept (empty ones with ``filled`` False),
each reference title is a sentence of its own, and in-text citations are resolved per
sentence against the filled slots.
"""

from __future__ import annotations

import logging

from pipeline.ingest.citations import find_citations
from pipeline.ingest.draft import SPLIT_KINDS, WHOLE_KINDS, Block, Draft
from pipeline.ingest.references import not_a_reference, pick_slots
from pipeline.ingest.sentences import sentence_spans
from pipeline.model import (
    Abbreviation,
    Citation,
    DocIngest,
    Document,
    Problem,
    Reference,
    Sentence,
    SourceFile,
    TableCell,
)

log = logging.getLogger(__name__)

READER_KIND = {
    "journal_page": "review_page",
    "full_review": "full_review",
    "press_release": "press_release",
    "blog_post": "blog_post",
    "html_page": "web_page",
}


def _problem(src: SourceFile, severity: str, message: str, stage: str = "ingest") -> Problem:
    return Problem(stage, src.file, src.doc_id, severity, message)


def _references(
    src: SourceFile, draft: Draft, problems: list[Problem]
) -> tuple[list[Reference], list[Block], dict[int, str]]:
    refs: list[Reference] = []
    blocks: list[Block] = []
    titles: dict[int, str] = {}
    numbers = [s.number for s in draft.ref_slots]
    chosen, clashes = pick_slots(draft.ref_slots)
    problems.extend(_problem(src, "warning", m, "references") for m in clashes)
    if numbers:
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            problems.append(
                _problem(src, "warning", f"reference numbering gaps: {missing}", "references")
            )
    for slot, p in chosen:
        if p is None:
            refs.append(Reference(src.doc_id, slot.number, False, "", *([""] * 10)))
            continue
        if why := not_a_reference(p):
            problems.append(
                _problem(
                    src,
                    "warning",
                    f"reference [{slot.number}]: not a reference ({why}),"
                    f" slot kept empty: {slot.raw[:70]!r}",
                    "references",
                )
            )
            refs.append(Reference(src.doc_id, slot.number, False, slot.raw, *([""] * 10)))
            continue
        if p.error:
            problems.append(
                _problem(
                    src,
                    "warning",
                    f"reference [{slot.number}] only partly parsed ({p.error}): {slot.raw[:70]!r}",
                    "references",
                )
            )
        refs.append(
            Reference(
                src.doc_id,
                slot.number,
                True,
                slot.raw,
                p.authors,
                p.title,
                p.journal,
                p.year,
                p.volume,
                p.issue,
                p.pages,
                p.doi,
                p.pmid,
                p.pmcid,
            )
        )
        blocks.append(Block("reference", f"[{slot.number}] {p.clean}", "References", slot.number))
        if p.title:
            titles[slot.number] = p.title
    return refs, blocks, titles


def _sentences(
    src: SourceFile, blocks: list[Block], titles: dict[int, str]
) -> tuple[str, list[Sentence]]:
    pieces: list[str] = []
    length = 0
    spans: list[tuple[Block, int, int]] = []
    for block in blocks:
        if pieces:
            pieces.append("\n\n")
            length += 2
        pieces.append(block.text)
        spans.append((block, length, length + len(block.text)))
        length += len(block.text)
    text = "".join(pieces)
    sentences: list[Sentence] = []
    for block, start, end in spans:
        kind = block.kind
        if kind in SPLIT_KINDS:
            found = sentence_spans(text, start, end)
        elif kind in WHOLE_KINDS:
            found = [(start, end)]
        elif kind == "reference":
            title = titles.get(block.ref_number or -1, "")
            at = block.text.find(title) if title else -1
            found = [(start + at, start + at + len(title))] if at >= 0 else []
            kind = "reference_title"
        else:
            raise ValueError(f"{src.file}: reader produced unknown block kind {kind!r}")
        for s, e in found:
            sentences.append(
                Sentence(
                    doc_id=src.doc_id,
                    sentence_index=len(sentences),
                    section=block.section,
                    kind=kind,
                    char_start=s,
                    char_end=e,
                    text=text[s:e],
                    is_caption=kind == "caption",
                    is_title=kind == "title",
                    ref_number=block.ref_number if kind == "reference_title" else None,
                )
            )
    return text, sentences


def _citations(
    src: SourceFile, sentences: list[Sentence], refs: list[Reference], problems: list[Problem]
) -> list[Citation]:
    filled = {r.number for r in refs if r.filled}
    out: list[Citation] = []
    # One row per (sentence, reference): "[3,5] ... [5]" links the sentence to ref 5 once,
    # keeping the first marker (the knowledge base keys citations the same way).
    seen: set[tuple[int, int]] = set()
    for s in sentences:
        if s.kind == "reference_title":
            continue
        for marker, numbers in find_citations(s.text):
            for n in numbers:
                key = (s.sentence_index, n)
                if key not in seen:
                    seen.add(key)
                    out.append(Citation(src.doc_id, s.sentence_index, n, marker, n in filled))
    unresolved = sorted({c.ref_number for c in out if not c.resolved})
    if unresolved:
        problems.append(
            _problem(
                src,
                "warning",
                f"{len(unresolved)} cited reference number(s) have no filled reference slot: "
                f"{unresolved[:20]}{' ...' if len(unresolved) > 20 else ''}",
                "references",
            )
        )
    return out


def _tables(src: SourceFile, draft: Draft) -> list[TableCell]:
    cells: list[TableCell] = []
    for table_id, caption, header, rows in draft.tables:
        for ri, row in enumerate(rows):
            for ci, value in enumerate(row):
                column = header[ci] if ci < len(header) and header[ci] else f"column_{ci + 1}"
                cells.append(TableCell(src.doc_id, table_id, caption, ri, column, value))
    return cells


def assemble(src: SourceFile, draft: Draft, n_chars_raw: int) -> DocIngest:
    problems = [_problem(src, sev, msg) for sev, msg in draft.problems]
    refs, ref_blocks, titles = _references(src, draft, problems)
    text, sentences = _sentences(src, draft.blocks + ref_blocks, titles)
    for s in sentences:  # cheap guard: offsets must round-trip
        if text[s.char_start : s.char_end] != s.text:
            raise ValueError(f"{src.file}: sentence {s.sentence_index} offsets do not round-trip")
    citations = _citations(src, sentences, refs, problems)
    if not refs:
        problems.append(
            _problem(src, "info", "no reference list found: citations cannot be resolved")
        )
    if draft.dropped:
        summary = ", ".join(f"{k} x{v}" for k, v in sorted(draft.dropped.items()))
        problems.append(_problem(src, "info", f"removed page furniture: {summary}"))
    meta = draft.meta
    doc = Document(
        doc_id=src.doc_id,
        file=src.file,
        title=src.title or meta.get("title", "") or meta.get("paper_title", ""),
        authors=src.authors or meta.get("authors", "") or meta.get("publisher", ""),
        journal=src.journal or meta.get("journal", ""),
        year=src.year or meta.get("year", ""),
        doi=src.doi or meta.get("doi", ""),
        kind=src.kind or READER_KIND.get(draft.reader, draft.reader),
        source_url=src.source_url or meta.get("source_url", ""),
        licence=src.licence or meta.get("licence", "") or "unknown",
        metadata_source=src.metadata_source,
        n_chars_raw=n_chars_raw,
        n_chars_clean=len(text),
        text=text,
    )
    abbreviations = [
        Abbreviation(src.doc_id, s, lg, "abbreviation_list") for s, lg in draft.abbreviations
    ]
    log.debug(  # per document; ingest_corpus and the flow log the per-run count at INFO
        "%s: %s reader, %d sentences, %d references (%d filled), %d citations",
        src.file,
        draft.reader,
        len(sentences),
        len(refs),
        sum(r.filled for r in refs),
        len(citations),
    )
    return DocIngest(
        document=doc,
        sentences=sentences,
        references=refs,
        citations=citations,
        tables=_tables(src, draft),
        abbreviations=abbreviations,
        problems=problems,
    )
