"""Reader for captured journal article pages (title, authors, abstract, keywords, references).

The reference list is either ``[N]`` marker lines each followed by the reference, or a
pipe table with one ``| [N] |`` row per slot whose cell may be empty. Both keep every
slot: an empty slot stays a slot (``filled`` False), it is counted, never invented.
"""

from __future__ import annotations

import re

from pipeline.ingest.draft import Draft, RefSlot
from pipeline.ingest.furniture import furniture_rule
from pipeline.ingest.readers.markdown_inline import strip_inline
from pipeline.ingest.references import DOI

BRACKET_MARKER = re.compile(r"^\[(\d{1,4})\]$")
PIPE_MARKER = re.compile(r"^\|\s*\[(\d{1,4})\]\s*\|$")
_JOURNAL_LINE = re.compile(r"^(?P<journal>[^›»]+?)\s*(?:››|»|›)\s*(?P<year>(?:19|20)\d{2})\b")
_HEADINGS = {
    "abstract",
    "keywords",
    "key words",
    "references",
    "introduction",
    "background",
    "methods",
    "results",
    "discussion",
    "conclusion",
    "conclusions",
}
_NAME_PART = re.compile(r"^(?:[A-ZÀ-Þ][\w'’\-]*\.?)(?: [A-ZÀ-Þ][\w'’\-]*\.?){0,3}$")


def looks_like_authors(line: str) -> bool:
    """ "Yue Hao , Zhengbo Song": comma-separated capitalised names, no digits, no full stop."""
    if any(c.isdigit() for c in line) or line.endswith(".") or len(line) > 600:
        return False
    parts = [p.strip() for p in line.split(",") if p.strip()]
    return 0 < len(parts) <= 60 and all(_NAME_PART.match(p) for p in parts)


def looks_like_keywords(line: str) -> bool:
    parts = [p.strip() for p in re.split(r"\s+/\s+|;\s*", line)]
    return (
        len(parts) >= 3
        and all(0 < len(p.split()) <= 6 for p in parts)
        and not line.rstrip().endswith(".")
    )


def is_reference_marker(line: str) -> re.Match[str] | None:
    return BRACKET_MARKER.match(line) or PIPE_MARKER.match(line)


def _read_front(d: Draft, lines: list[str]) -> None:
    title = ""
    section = ""
    for raw in lines:
        line = strip_inline(raw.strip())
        if not line:
            continue
        if rule := furniture_rule(line):
            d.drop(rule)
            continue
        if not title:
            title = line
            d.meta["title"] = title
            d.add("title", line, "Title")
            continue
        if line == title:
            d.drop("repeated title")
            continue
        if m := _JOURNAL_LINE.match(line):
            d.meta.setdefault("journal", m.group("journal").strip())
            d.meta.setdefault("year", m.group("year"))
            if doi := DOI.search(line):
                d.meta["doi"] = doi.group(1).rstrip(".")
            d.drop("journal/issue line")
            continue
        if section in ("", "Title") and "authors" not in d.meta and looks_like_authors(line):
            d.meta["authors"] = "; ".join(p.strip() for p in line.split(",") if p.strip())
            d.drop("author line")
            continue
        if (doi := DOI.search(line)) and title.lower() in line.lower():
            d.meta.setdefault("doi", doi.group(1).rstrip("."))
            d.drop("citation widget")
            continue
        if line.lower().rstrip(":") in _HEADINGS:
            section = line.rstrip(":")
            d.add("heading", line, section)
            continue
        if section == "Keywords" or (
            section in ("", "Title", "Abstract") and looks_like_keywords(line)
        ):
            d.add("keywords", line, "Keywords")
            section = "Keywords"
            continue
        if section in ("", "Title") and len(line) > 200:
            section = "Abstract"  # captured without its heading: the first long paragraph
        kind = "abstract" if section == "Abstract" else "body"
        d.add(kind, line, section or "Body")


def _read_references(d: Draft, lines: list[str]) -> None:
    slots: list[RefSlot] = []
    extra: dict[int, list[str]] = {}
    current: RefSlot | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if m := is_reference_marker(line):
            current = RefSlot(int(m.group(1)), "")
            slots.append(current)
            continue
        content = line.strip("|").strip() if line.startswith("|") or line.endswith("|") else line
        if not content:
            continue
        if rule := furniture_rule(content):
            d.drop(rule)
            continue
        if current is None:
            d.problems.append(("warning", f"text before the first reference marker: {line[:80]!r}"))
            continue
        if not current.raw:
            current.raw = content
        else:
            extra.setdefault(current.number, []).append(content)
    for number, garbage in extra.items():
        for g in garbage:
            d.problems.append(
                (
                    "warning",
                    f"reference [{number}]: ignored extra line {g[:80]!r} (not a reference)",
                )
            )
    d.ref_slots.extend(slots)


def read_journal_page(text: str) -> Draft:
    d = Draft("journal_page")
    lines = text.splitlines()
    first_marker = next((i for i, ln in enumerate(lines) if is_reference_marker(ln.strip())), None)
    if first_marker is None:
        _read_front(d, lines)
        return d
    # the "References" heading (if any) sits just before the first marker
    front = lines[:first_marker]
    _read_front(d, front)
    if not any(b.kind == "heading" and b.text.lower() == "references" for b in d.blocks):
        d.add("heading", "References", "References")
    _read_references(d, lines[first_marker:])
    return d
