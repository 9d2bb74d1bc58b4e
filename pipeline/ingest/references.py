"""Parse one reference string into fields, whichever of the corpus' three styles it uses.

* glued web capture: ``Abuhelwa Z,Nagasaka M.A comprehensive review....Cancer Treat
  Rev2022;106:102393 PMCID:PMC12582167`` (spaces lost between the parts);
* Vancouver: ``Verma S, ... et al; EMILIA Study Group. Title. N Engl J Med.
  2012;367:1783-91. PMCID:PMC5125250``;
* markdown from a PDF: ``Damelin M, ... Title. *Pharm Res*. 2015;32(11):3494–3507. [DOI](#)``.

Identifiers (DOI, PMID, PMCID) are read first and removed, then the journal/year tail
is located, then the rest is split into authors and title. Nothing is invented: a field
the string does not contain stays empty and :func:`parse_reference` says what failed.

:func:`not_a_reference` says when a slot's text is no reference at all (page furniture,
"1999;;;;;"), and :func:`pick_slots` keeps one slot per number: the first real reference,
so that lines numbered like references ahead of the list cannot replace it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ingest.draft import RefSlot
from pipeline.prefilter import guarded

# Behind its literals ("10.", "/"): the optional prefix makes ``re`` try the pattern at
# every character, a fifth of an abstract's ingest (profiled); most lines have no DOI.
DOI = guarded(
    re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s\]>)\"<]+)", re.I)
)
PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
PMCID = re.compile(r"\bPMCID:?\s*(PMC\d+)\b")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>]+)>")
_NOISE = (
    re.compile(r"Electronic address:\s*\S+?\.(?=\s|$)\s*"),
    re.compile(r"Available from:\s*\S*\.?\s*$"),
)
_YEAR = r"(?P<year>(?:19|20)\d{2})[a-z]?"
_TAIL = re.compile(
    _YEAR + r"(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?"
    r"(?:\s*;\s*(?P<volume>[^:(;.\s]+))?"
    r"(?:\s*\((?P<issue>[^)]*)\))?"
    r"(?:\s*:\s*(?P<pages>[^\s;]+?))?\.?\s*$"
)
# Glued capture: ".JournalYYYY;vol:pages" at the end (journal abbreviations carry no dots).
_GLUED_TAIL = re.compile(
    r"\.(?P<journal>[A-Z][^.;]*?[A-Za-z)])\s?" + _YEAR + r";(?P<volume>[^:;(]+)"
    r"(?:\((?P<issue>[^)]*)\))?:(?P<pages>\S+?)\.?\s*$"
)
# Vancouver: ". Journal. YYYY..." (the journal is the last dot-free segment before the year).
_VANCOUVER_TAIL = re.compile(r"(?:^|\.\s+)(?P<journal>[^.]+?)\.\s+(?=(?:19|20)\d{2}\b)")
_ITALIC_JOURNAL = re.compile(r"\*(?P<journal>[^*]+?)\.?\*\.?\s*")
_ET_AL = re.compile(r"^(?P<authors>.*?\bet al\.?(?:\s*;\s*[^.]+)?)\.\s*(?P<title>.+)$", re.S)
_UP = "A-ZÀ-ÖØ-Þ"
_INITIALS_END = re.compile(
    rf"^(?P<authors>.+?(?:\s[{_UP}](?:-?[{_UP}]){{0,3}}|\s))\.\s*(?P<title>[^\s].*)$", re.S
)


@dataclass
class ParsedReference:
    authors: str = ""
    title: str = ""
    journal: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    clean: str = ""  # the reference as shown in the cleaned text
    error: str = ""  # why parsing was incomplete ("" when title and year were found)


def clean_reference_text(raw: str) -> str:
    """Markdown links, angle-bracket URLs and emphasis removed; spaces collapsed."""
    s = _MD_LINK.sub(lambda m: m.group(1) if m.group(2) not in ("#", "") else "", raw)
    s = s.replace("[DOI]", "")
    s = _ANGLE_URL.sub(r"\1", s)
    s = re.sub(r"\*+([^*]+)\*+", r"\1", s)
    return re.sub(r"\s+", " ", s).strip()


def _split_authors_title(pre: str) -> tuple[str, str]:
    pre = pre.strip().rstrip(".").strip()
    for rx in _NOISE:
        pre = rx.sub("", pre)
    m = _ET_AL.match(pre) or _INITIALS_END.match(pre)
    if m:
        return m.group("authors").strip(), m.group("title").strip()
    head, sep, rest = pre.partition(". ")
    if sep and "[Internet]" not in head and len(head.split()) <= 8:
        return head.strip(), rest.strip()
    return "", pre


def _fill_tail(p: ParsedReference, m: re.Match[str] | None) -> None:
    if not m:
        return
    for key in ("year", "volume", "issue", "pages"):
        setattr(p, key, (m.group(key) or "").strip())


def parse_reference(raw: str) -> ParsedReference:
    """Fields of one reference; ``error`` names what could not be found."""
    p = ParsedReference(clean=clean_reference_text(raw))
    work = raw
    if m := PMCID.search(work):
        p.pmcid = m.group(1)
    if m := PMID.search(work):
        p.pmid = m.group(1)
    if m := DOI.search(_MD_LINK.sub(r"\1 \2", work)):
        p.doi = m.group(1).rstrip(".,;")
    work = PMCID.sub("", PMID.sub("", work))
    work = _MD_LINK.sub("", work)
    work = DOI.sub("", work)
    work = _ANGLE_URL.sub("", work)
    for rx in _NOISE:
        work = rx.sub("", work)
    work = re.sub(r"\s+", " ", work).strip().rstrip(".").strip()

    if m := _ITALIC_JOURNAL.search(work):  # markdown style
        p.journal = m.group("journal").strip()
        pre, tail = work[: m.start()], work[m.end() :]
        _fill_tail(p, _TAIL.match(tail.strip().rstrip(".") + "."))
        if not p.year and (y := re.search(r"\b(?:19|20)\d{2}\b", tail)):
            p.year = y.group(0)
    elif m := _GLUED_TAIL.search(work):  # glued web capture
        p.journal = m.group("journal").strip()
        _fill_tail(p, m)
        pre = work[: m.start()]
    elif (m := _VANCOUVER_TAIL.search(work)) and (t := _TAIL.match(work[m.end() :] + ".")):
        p.journal = m.group("journal").strip()
        _fill_tail(p, t)
        pre = work[: m.start()] if m.start() else ""
        if not pre:  # the "journal" segment was the only one before the year
            pre, p.journal = p.journal, ""
    else:
        pre = work
        if y := re.search(r"\b(?:19|20)\d{2}\b", work):
            p.year = y.group(0)
            pre = work[: y.start()].rstrip(" .[")
    p.authors, p.title = _split_authors_title(pre)
    missing = [f for f in ("title", "year") if not getattr(p, f)]
    if missing:
        p.error = f"no {' or '.join(missing)} found"
    return p


_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: a name, a title word, a journal
REFERENCES_HEADING = re.compile(
    r"^(?:references|bibliography|literature cited|works cited|cited literature)\s*:?$", re.I
)
_NUMBERED_ENTRY = re.compile(r"^(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+(\S.*)$")


def reference_list(lines: list[str]) -> list[RefSlot]:
    """The entries under a "References" heading of running text (an abstract, a blog post):
    one per non-blank line; ``1.``, ``1)`` or ``[1]`` keeps its number, others are counted."""
    slots: list[RefSlot] = []
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if m := _NUMBERED_ENTRY.match(line):
            slots.append(RefSlot(int(m.group(1) or m.group(2)), m.group(3).strip()))
        else:
            slots.append(RefSlot(slots[-1].number + 1 if slots else 1, line))
    return slots


def not_a_reference(p: ParsedReference) -> str:
    """Why the parsed text of a slot is not a reference ("" when it is one)."""
    if p.doi or p.pmid or p.pmcid:
        return ""
    if not (p.year or p.journal):
        return "no year, journal or identifier"
    if not _WORD.search(f"{p.authors} {p.title} {p.journal}"):
        return "nothing but a year, numbers and punctuation"
    return ""


def pick_slots(
    slots: list[RefSlot],
) -> tuple[list[tuple[RefSlot, ParsedReference | None]], list[str]]:
    """One slot per number, in number order, with its parse (None for an empty slot), and
    one message per number that several slots share.

    Of the slots sharing a number the first real reference is kept (else the first
    non-empty one, else the first): a numbered list ahead of the references, or a
    second list, must not replace real references.
    """
    by_number: dict[int, list[tuple[RefSlot, ParsedReference | None]]] = {}
    for slot in slots:
        parsed = parse_reference(slot.raw) if slot.raw else None
        by_number.setdefault(slot.number, []).append((slot, parsed))
    chosen: list[tuple[RefSlot, ParsedReference | None]] = []
    clashes: list[str] = []
    for number in sorted(by_number):
        group = by_number[number]
        real = [g for g in group if g[1] is not None and not not_a_reference(g[1])]
        keep = (real or [g for g in group if g[1] is not None] or group)[0]
        chosen.append(keep)
        if len(group) > 1:
            ignored = [g[0].raw for g in group if g is not keep]
            what = "the first real reference" if real else "the first slot"
            clashes.append(
                f"reference number [{number}] used {len(group)} times: kept {what} "
                f"{keep[0].raw[:50]!r}, ignored "
                + ", ".join(repr(raw[:50]) if raw else "an empty slot" for raw in ignored)
            )
    return chosen, clashes
