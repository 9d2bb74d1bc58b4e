"""Readers for news releases and blog posts captured from the web.

Both are prose with site furniture around it. A press release ends its text at the
"###" terminator; what follows on a distribution site is a trailer (DOI, source URL,
funding, "About the journal", site tags, disclaimer, testimonials) of which only the
funding note and attachment captions are content. A company blog post ends with an
advertisement and a "Media Contact" block: the company named in the contact block marks
where the advertisement starts, even when the capture glued it to the last paragraph.
"""

from __future__ import annotations

import re

from pipeline.ingest.draft import Draft
from pipeline.ingest.furniture import furniture_rule
from pipeline.ingest.readers.glue import looks_like_heading, split_caption, split_glued
from pipeline.ingest.readers.markdown_inline import strip_inline
from pipeline.ingest.references import DOI, REFERENCES_HEADING, reference_list
from pipeline.ingest.sentences import sentence_spans

PRESS_RELEASE_END = re.compile(r"^\s*(?:###|-\s?30\s?-|ENDS)\s*$")
DATELINE = re.compile(r"^(?P<date>\d{1,2}[./]\d{1,2}[./](?P<year>(?:19|20)\d{2}))(?:\s+\S.*)?$")
CONTACT_START = re.compile(
    r"^(?:Media|Press)\s+Contacts?:?$|^Contact(?: us| information)?:?$", re.I
)
_COMPANY = re.compile(r"^Company(?: Name)?\s*:\s*(.+)$", re.I)
_CORP_SUFFIX = re.compile(
    r"[,\s]+(?:Inc\.?|Incorporation|Incorporated|Ltd\.?|LLC|Co\.?|Corporation|Corp\.?|GmbH)$",
    re.I,
)
_DISCLAIMER = re.compile(r"^Disclaimer\s*:", re.I)
_BULLET = re.compile(r"^\s*[•·▪◦*-]\s+(.+)$")
_TRAILER_SKIP_NEXT = re.compile(r"^(?:About\s.+|DOI|Original Source URL)$", re.I)
_TRAILER_META = re.compile(
    r"^(Paper title|Regions|Keywords|Funding information)\s*:?\s*(.*)$", re.I
)


def looks_like_press_release(lines: list[str]) -> bool:
    return any(PRESS_RELEASE_END.match(ln) for ln in lines) or any(
        DATELINE.match(ln.strip()) for ln in lines[:12]
    )


def _add_line(d: Draft, line: str, section: str) -> str:
    """Add one prose line, splitting glued captions and headings; returns the section."""
    if cap := split_caption(line):
        d.add("caption", cap[0], section)
        line = cap[1]
        if not line:
            return section
    if looks_like_heading(line):
        d.add("heading", line, line)
        return line
    for kind, text in split_glued(line):
        if kind == "heading":
            section = text
            d.add("heading", text, section)
        elif kind == "label":
            d.drop("glued label")
        else:
            d.add("abstract" if section.lower() == "abstract" else "body", text, section)
    return section


def _doi_line(line: str, doi: re.Match[str]) -> bool:
    return len((line[: doi.start()] + line[doi.end() :]).split()) <= 6


def _has_prose(d: Draft) -> bool:
    return any(b.kind in ("body", "abstract") for b in d.blocks)


_INNER_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")


def _title_line(lines: list[str], i: int) -> bool:
    """A first line without a final period, or one sentence ending in a period that stands
    alone before a blank line ("Mechanisms of Resistance to Antibody-Drug Conjugates.", as
    PubMed prints titles)."""
    line = lines[i].strip()
    if not line.endswith("."):
        return True
    alone = i + 1 < len(lines) and not lines[i + 1].strip()
    return alone and not _INNER_SENTENCE_END.search(line)


def _read_prose(d: Draft, lines: list[str]) -> int:
    """Title and body lines up to a press-release end or a contact block; returns the stop index."""
    section = ""
    title = ""
    refs: list[str] | None = None  # lines after a "References" heading: the list, not prose
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if PRESS_RELEASE_END.match(line) or CONTACT_START.match(line):
            d.ref_slots.extend(reference_list(refs or []))
            return i
        if refs is not None:
            refs.append(line)
            continue
        if title and REFERENCES_HEADING.match(line):
            d.add("heading", line, "References")
            refs = []
            continue
        if rule := furniture_rule(line):
            d.drop(rule)
            continue
        if m := DATELINE.match(line):
            d.meta.setdefault("date", m.group("date"))
            d.meta.setdefault("year", m.group("year"))
            d.drop("dateline")
            continue
        if title and line == title:
            d.drop("repeated title")
            continue
        if not title and not d.blocks and len(line) < 250 and _title_line(lines, i):
            title = line
            d.meta["title"] = line
            d.add("title", line, "Title")
            continue
        # the document's own DOI comes from its front matter (a line that is little more
        # than the DOI, before the first paragraph), never from the text or a reference
        if (doi := DOI.search(line)) and _doi_line(line, doi) and not _has_prose(d):
            d.meta.setdefault("doi", doi.group(1).rstrip(".)"))
        section = _add_line(d, strip_inline(line), section)
    d.ref_slots.extend(reference_list(refs or []))
    return len(lines)


def _read_trailer(d: Draft, lines: list[str]) -> None:
    """What follows "###": metadata, funding, attachment captions; the rest is site furniture."""
    skip_next = False
    section = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _DISCLAIMER.match(line):
            d.drop("distribution-site footer")
            break
        if skip_next:
            skip_next = False
            if line.lower().startswith(("http", "10.")):
                d.meta.setdefault("source_url" if line.startswith("http") else "doi", line)
            d.drop("press-release trailer")
            continue
        if _TRAILER_SKIP_NEXT.match(line):
            skip_next = True
            d.drop("press-release trailer")
            continue
        if m := _TRAILER_META.match(line):
            label, value = m.group(1).lower(), m.group(2).strip()
            if label == "paper title" and value:
                d.meta["paper_title"] = value
            if label == "funding information":
                section = "Funding information"
                d.add("heading", "Funding information", section)
            else:
                d.drop("press-release trailer")
            continue
        if m := _BULLET.match(raw):
            d.add("caption", m.group(1), "Attachments")
            continue
        if section == "Funding information" and len(line) > 80:
            d.add("body", line, section)
            section = ""
            continue
        d.drop("press-release trailer")


def _company_name(lines: list[str]) -> str:
    for line in lines:
        if m := _COMPANY.match(line.strip()):
            return _CORP_SUFFIX.sub("", m.group(1).strip())
    return ""


def _cut_advertisement(d: Draft, company: str) -> None:
    """Drop the advertisement: from the first sentence naming the advertiser in the last
    paragraph that names it, to the end (earlier paragraphs naming it are kept)."""
    needle = company.lower()
    for bi in range(len(d.blocks) - 1, -1, -1):
        block = d.blocks[bi]
        if block.kind == "title" or needle not in block.text.lower():
            continue
        for s, e in sentence_spans(block.text):
            if needle in block.text[s:e].lower():
                kept = block.text[:s].strip()
                removed = len(d.blocks) - bi
                del d.blocks[bi:]
                if kept:
                    d.add(block.kind, kept, block.section)
                d.dropped["advertisement"] = d.dropped.get("advertisement", 0) + removed
                return


def read_web_article(text: str) -> Draft:
    lines = text.splitlines()
    press = looks_like_press_release(lines)
    d = Draft("press_release" if press else "blog_post")
    stop = _read_prose(d, lines)
    rest = lines[stop:]
    if rest and PRESS_RELEASE_END.match(rest[0]):
        _read_trailer(d, rest[1:])
    elif rest:
        company = _company_name(rest)
        d.dropped["contact block"] = sum(1 for ln in rest if ln.strip())
        if company:
            d.meta.setdefault("publisher", company)
            _cut_advertisement(d, company)
    return d
