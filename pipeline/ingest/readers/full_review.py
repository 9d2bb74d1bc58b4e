"""Reader for a full review converted from PDF to markdown-like text.

What the conversion leaves behind and how it is undone:

* page breaks split a paragraph mid-sentence, with blank or space-only lines between
  ("...Antibody drug" / "conjugates (ADCs) are ..."): a paragraph that does not end a
  sentence is joined with the next one when that starts in lower case;
* inline markdown and LaTeX (``**Figure 1A**``, ``*Pharm Res*``, ``$FR\\alpha$``,
  ``[DOI](#)``) are reduced to text;
* front matter (affiliations, correspondence, dates, copyright, publisher's note) becomes
  metadata, not sentences;
* tab-separated lines are a table (after a "Table N" caption) or, in the Abbreviations
  section, (short, long) pairs; ``N. ...`` lines after "References" are the reference list.
"""

from __future__ import annotations

import re

from pipeline.ingest.draft import Draft, RefSlot
from pipeline.ingest.furniture import furniture_rule
from pipeline.ingest.readers.markdown_inline import strip_inline
from pipeline.ingest.references import DOI
from pipeline.ingest.sentences import sentence_spans

_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^.;:!?]{0,150}$")
_REF_LINE = re.compile(r"^(\d{1,4})\.\s+(\S.*)$")
_FIGURE = re.compile(r"^(?:Figure|Fig\.?)\s*\d+[A-Za-z]?[.:]\s")
_TABLE = re.compile(r"^(Table\s+\d+[A-Z]?)\.?\s+(.*)$")
_PANEL_LABEL = re.compile(r"^[A-H]\.\s+[A-Z][^.]{0,80}$")
_ARTICLE_TYPE = re.compile(
    r"^(?:review|article|original article|research article|mini[- ]review|perspective)$", re.I
)
_LABEL = re.compile(
    r"^(Copyright|Publisher['’]s Note|Cite This Article|Citation)\s*:\s*(.*)$", re.I
)
_DATE_LINE = re.compile(r"^(Received|Accepted|Published|Revised)\s*:\s*(.*)$", re.I)
_KEYWORDS = re.compile(r"^Key\s?words\s*:\s*(.+)$", re.I)
_TERMINAL = tuple('.!?:;)]”"')
_LICENCE = re.compile(r"\bCC[ -]BY(?:[- ][A-Z]{2})*(?:[- ]\d\.\d)?\b")
_SUPER_DIGITS = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰*")


def looks_like_full_review(lines: list[str]) -> bool:
    """A "References" line followed by numbered ``N. Author ...`` lines."""
    try:
        i = next(i for i, ln in enumerate(lines) if ln.strip().lower() == "references")
    except StopIteration:
        return False
    numbered = sum(1 for ln in lines[i + 1 : i + 40] if _REF_LINE.match(ln.strip()))
    return numbered >= 3


def _units(lines: list[str], d: Draft) -> list[str]:
    """Non-blank lines, with paragraphs split by a page break joined back together."""
    units: list[str] = []
    prev_blank = False
    for raw in lines:
        line = raw.rstrip("\n").strip(" \u00a0\u200b")
        if not line.strip():
            prev_blank = True
            continue
        if (
            units
            and prev_blank
            and line[0].islower()
            and "\t" not in units[-1]
            and len(units[-1]) > 60
            and not units[-1].endswith(_TERMINAL)
        ):
            units[-1] = units[-1] + " " + line
            d.drop("page-break join")
        else:
            units.append(line)
        prev_blank = False
    return units


def _is_heading(unit: str) -> bool:
    if "\t" in unit or _FIGURE.match(unit) or _TABLE.match(unit):
        return False
    if _NUMBERED_HEADING.match(unit) and len(unit.split()) <= 16:
        return True
    words = unit.split()
    return (
        0 < len(words) <= 8
        and unit[0].isupper()
        and not unit.endswith(tuple(".!?:;,"))
        and not _PANEL_LABEL.match(unit)
    )


def _is_prose(unit: str) -> bool:
    """A paragraph of sentences, not an affiliation: without an "Abstract" heading (a plain
    abstract with a reference list) the first one starts the body, not front matter."""
    return len(unit.split()) >= 20 and unit.endswith(_TERMINAL) and len(sentence_spans(unit)) >= 2


def _read_front(d: Draft, units: list[str]) -> int:
    """Title and authors into meta; returns the index of the first body unit."""
    has_abstract = any(u.lower() in ("abstract", "summary") for u in units[:80])
    i = 0
    while i < len(units):
        u = units[i]
        if u.lower() in ("abstract", "summary") or (
            not has_abstract and (_NUMBERED_HEADING.match(u) or _is_prose(u))
        ):
            return i
        if _ARTICLE_TYPE.match(u):
            d.meta["article_type"] = u
            d.drop("article type tag")
        elif "title" not in d.meta:
            title = strip_inline(u)
            d.meta["title"] = title
            d.add("title", title, "Title")
        elif "authors" not in d.meta and "," in u and "@" not in u:
            names = strip_inline(u).translate(_SUPER_DIGITS)
            d.meta["authors"] = "; ".join(n.strip() for n in names.split(",") if n.strip())
            d.drop("author line")
        else:
            d.drop("front matter (affiliation/correspondence)")
        i += 1
    return i


def _meta_label(d: Draft, units: list[str], i: int) -> int | None:
    """Handle a front-matter label line at ``units[i]``; return how many units it used."""
    u = units[i]
    if m := _DATE_LINE.match(u):
        if m.group(1).lower() == "published" and (y := re.search(r"(?:19|20)\d{2}", u)):
            d.meta["year"] = y.group(0)
        d.drop("date line")
        return 1
    if m := _LABEL.match(u):
        label = m.group(1).lower()
        body = m.group(2).strip()
        used = 1
        if not body and i + 1 < len(units):
            body = units[i + 1]
            used = 2
        if label.startswith("cite"):
            if i + 1 < len(units) and DOI.search(units[i + 1]) and used == 1:
                body += " " + units[i + 1]
                used = 2
            if doi := DOI.search(body):
                d.meta.setdefault("doi", doi.group(1).rstrip(".>"))
            if j := re.search(r"\*([^*]+?)\.?\*", body):
                d.meta.setdefault("journal", j.group(1).strip())
        if label == "copyright" and (lic := _LICENCE.search(strip_inline(body))):
            d.meta["licence"] = lic.group(0)
        d.drop(f"{label} block")
        return used
    return None


def read_full_review(text: str) -> Draft:
    d = Draft("full_review")
    units = _units(text.splitlines(), d)
    i = _read_front(d, units)
    section = ""
    table: tuple[str, str, list[str], list[list[str]]] | None = None
    in_refs = False
    while i < len(units):
        u = units[i]
        if in_refs:
            if m := _REF_LINE.match(u):
                d.ref_slots.append(RefSlot(int(m.group(1)), m.group(2).strip()))
            elif rule := furniture_rule(u):
                d.drop(rule)
            else:
                d.problems.append(("warning", f"reference list: ignored line {u[:80]!r}"))
            i += 1
            continue
        if (used := _meta_label(d, units, i)) is not None:
            i += used
            continue
        if "\t" not in u and (rule := furniture_rule(u)):
            d.drop(rule)
            i += 1
            continue
        clean = strip_inline(u)
        if "\t" in u:
            cells = [c.strip() for c in clean.split("\t")]
            if section.lower() == "abbreviations" and len(cells) >= 2:
                d.abbreviations.append((cells[0], " ".join(cells[1:])))
                d.add("table", "\t".join(cells[:2]), section)
            elif table is not None:
                if not table[2]:
                    table[2].extend(cells)
                else:
                    table[3].append(cells)
                d.add("table", "\t".join(cells), section)
            else:
                d.problems.append(("warning", f"tab-separated line outside a table: {u[:60]!r}"))
                d.add("body", " ".join(cells), section)
            i += 1
            continue
        if table is not None and table[2]:
            d.tables.append(table)
        table = None
        if m := _KEYWORDS.match(clean):
            d.add("keywords", m.group(1), "Keywords")
        elif m := _TABLE.match(clean):
            table = (m.group(1), clean, [], [])
            d.add("caption", clean, section)
        elif _FIGURE.match(clean) or _PANEL_LABEL.match(clean):
            d.add("caption", clean, section)
        elif _is_heading(clean):
            section = clean
            d.add("heading", clean, section)
            if clean.lower() == "references":
                in_refs = True
        else:
            d.add("abstract" if section.lower() == "abstract" else "body", clean, section)
        i += 1
    if table is not None and table[2]:
        d.tables.append(table)
    return d
