"""When a search hit counts as the cited paper: title, year and first author must all agree.

A title search returns *similar* papers; taking the top hit would silently attach the wrong
abstract (and its claims) to a review's reference. So a candidate counts only when

- the normalised titles are at least :data:`TITLE_THRESHOLD` similar (:func:`title_similarity`,
  difflib on characters and on words: tolerant of dashes, diacritics, case, punctuation and
  reordered subtitles; one different word in a short title is too much);
- the reference year is one of the paper's years (issue year or first-publication year);
- the first author's surname matches.

Several distinct papers passing -> ambiguous; none -> unresolved. Nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from pipeline.literature.paper import Paper

TITLE_THRESHOLD = 0.9

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043"), "-")
_INITIALS = re.compile(r"^(?:[A-Z]{1,3}|(?:[A-Z]\.-?){1,3}|[A-Z]\.?-[A-Z]\.?)$")
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "2nd", "3rd"}
_PARTICLES = {"van", "von", "der", "den", "de", "da", "del", "di", "la", "le", "du", "dos", "ter"}


def normalise_text(text: str) -> str:
    """Casefolded, accent-free, punctuation-free words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("ß", "ss")
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE).replace("_", " ")
    return " ".join(text.split())


def title_similarity(a: str, b: str) -> float:
    """0..1 similarity of normalised titles; every word counts, not just every character.

    Per ordering (as written, and words sorted, for reordered subtitles) the score is the
    *lower* of the character ratio and the word-sequence ratio: the character ratio alone
    rates "... in HER2-low breast cancer" vs "... gastric cancer" above 0.9.
    """
    ta, tb = normalise_text(a).split(), normalise_text(b).split()
    if not ta or not tb:
        return 0.0

    def score(x: list[str], y: list[str]) -> float:
        chars = SequenceMatcher(None, " ".join(x), " ".join(y), autojunk=False).ratio()
        words = SequenceMatcher(None, x, y, autojunk=False).ratio()
        return min(chars, words)

    return max(score(ta, tb), score(sorted(ta), sorted(tb)))


def first_author_surname(authors: str | tuple[str, ...] | list[str]) -> str:
    """Normalised surname of the first author of "Surname AB, Other C" style author lists."""
    if isinstance(authors, str):
        first = re.split(r"[;,]| and ", authors, maxsplit=1)[0]
    else:
        first = authors[0] if authors else ""
    first = re.sub(r"\bet al\b\.?", "", first).strip()
    tokens = first.split()
    while len(tokens) > 1 and (
        _INITIALS.match(tokens[-1]) or tokens[-1].rstrip(".").casefold() in _SUFFIXES
    ):
        tokens.pop()
    return normalise_text(" ".join(tokens))


def surnames_agree(a: str, b: str) -> bool:
    """Equal normalised surnames, or one is the other without particles ("von Minckwitz")."""
    if not a or not b:
        return False
    if a == b:
        return True
    core_a = " ".join(t for t in a.split() if t not in _PARTICLES)
    core_b = " ".join(t for t in b.split() if t not in _PARTICLES)
    return bool(core_a) and core_a == core_b


@dataclass(frozen=True)
class MatchOutcome:
    status: str  # resolved | unresolved | ambiguous
    paper: Paper | None
    message: str


def match_by_title(title: str, year: str, authors: str, candidates: list[Paper]) -> MatchOutcome:
    """Pick the one candidate whose title, year and first author agree with the reference."""
    surname = first_author_surname(authors)
    year = (year or "").strip()[:4]
    if not normalise_text(title) or not year or not surname:
        missing = [
            n
            for n, v in (("title", normalise_text(title)), ("year", year), ("author", surname))
            if not v
        ]
        return MatchOutcome(
            "unresolved", None, f"no title search: reference lacks {', '.join(missing)}"
        )
    if not candidates:
        return MatchOutcome("unresolved", None, "title search: no results")
    passing: list[Paper] = []
    best = (0.0, None)
    for paper in candidates:
        sim = title_similarity(title, paper.title)
        if sim > best[0]:
            best = (sim, paper)
        if (
            sim >= TITLE_THRESHOLD
            and year in paper.years
            and surnames_agree(surname, first_author_surname(paper.authors))
        ):
            passing.append(paper)
    if not passing:
        sim, paper = best
        why = f"best title similarity {sim:.2f}"
        if paper is not None and sim >= TITLE_THRESHOLD:
            why += (
                f" but year {year} vs {sorted(paper.years)} / first author {surname!r} vs "
                f"{first_author_surname(paper.authors)!r}"
            )
        return MatchOutcome("unresolved", None, f"title search: no candidate agrees ({why})")
    # A preprint and its journal version share title and authors: the reference cites the
    # journal version, so preprints only count when nothing else passed.
    journal_versions = [p for p in passing if not p.is_preprint]
    passing = journal_versions or passing
    distinct = {p.pmid or p.pmcid or p.doi or p.record_id for p in passing}
    if len(distinct) > 1:
        ids = ", ".join(sorted(distinct))
        return MatchOutcome(
            "ambiguous", None, f"title search: {len(distinct)} papers agree ({ids})"
        )
    return MatchOutcome("resolved", passing[0], "")
