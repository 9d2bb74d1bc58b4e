"""scispacy's AbbreviationDetector, fed by a linear bracket scan.

scispacy finds "(...)" candidates with the Matcher pattern ``( + )``, which returns every
"(" paired with every later ")": quadratic on a whole document (most of our NER time on a
56k-character review). :func:`bracket_candidates` finds the same candidates with one regex
pass over the text, and the later occurrences of each short form with a text search
instead of a second token Matcher. The algorithm is scispacy's own (``filter_matches``,
``find_abbreviation`` = Schwartz & Hearst 2003): the same definitions, the same output.

Sets ``Doc._.abbreviations`` exactly as scispacy does with ``make_serializable=True``:
a list of dicts (short_text, short_start, short_end, long_text, long_start, long_end).
"""

from __future__ import annotations

import re
from collections import defaultdict

from scispacy.abbreviation import AbbreviationDetector, filter_matches, find_abbreviation
from spacy.language import Language
from spacy.tokens import Doc, Span

# Innermost bracket pairs with at most 80 characters inside.
_BRACKETS = re.compile(r"\(([^()\n]{1,80})\)")


def doc_text(doc: Doc) -> str:
    """``doc.text`` without rebuilding it from every token: our tokenizer keeps the input
    text in ``doc.user_data["adcm_text"]``; for any other Doc it is computed once and kept."""
    text = doc.user_data.get("adcm_text")
    if text is None:
        text = doc.user_data["adcm_text"] = doc.text
    return text


def bracket_candidates(doc: Doc) -> list[tuple[int, int, int]]:
    """(match_id, start, end) token spans *inside* bracket pairs, as scispacy's matcher
    output after it strips the brackets. Brackets that are not tokens of their own are
    skipped."""
    out = []
    for mo in _BRACKETS.finditer(doc_text(doc)):
        inner = doc.char_span(mo.start(1), mo.end(1), alignment_mode="strict")
        if inner is None or len(inner) == 0:
            continue
        if doc[inner.start - 1].text != "(" or inner.end >= len(doc):
            continue
        out.append((0, inner.start, inner.end))
    return out


_WORDISH = re.compile(r"[\w-]")


def word_occurrences(text: str, words: list[str]) -> list[tuple[int, str]]:
    """(start, word) of each occurrence of ``words`` not inside a longer ``[\\w-]`` run, as
    ``re.finditer(r"(?<![\\w-])(?:w1|w2|...)(?![\\w-])", text)`` finds them with the
    longest word first (at a position the first that fits, then on from its end); found
    with ``str.find``, so no pattern is compiled per document."""

    def free(i: int) -> bool:  # no word character or hyphen at i
        return i < 0 or i >= len(text) or _WORDISH.match(text, i) is None

    first: dict[int, str] = {}  # start -> the first word (longest first) that fits there
    for word in sorted(words, key=len, reverse=True):
        if not word:
            continue  # an empty short form finds nothing to link
        at = text.find(word)
        while at >= 0:
            if free(at - 1) and free(at + len(word)):
                first.setdefault(at, word)
            at = text.find(word, at + 1)
    out, end = [], 0
    for start in sorted(first):
        if start >= end:
            out.append((start, first[start]))
            end = start + len(first[start])
    return out


@Language.factory("adcm_abbreviation_detector", default_config={"make_serializable": True})
class FastAbbreviationDetector(AbbreviationDetector):
    """scispacy's detector with :func:`bracket_candidates` instead of the ``( + )`` Matcher."""

    def __init__(self, nlp: Language, name: str, make_serializable: bool = True) -> None:
        super().__init__(nlp, name=name, make_serializable=make_serializable)

    def find_matches_for(
        self, filtered: list[tuple[Span, Span]], doc: Doc
    ) -> list[tuple[Span, set[Span]]]:
        """scispacy's ``find_matches_for``, with the short forms' other occurrences found
        by a text search instead of a token Matcher over the whole document."""
        all_occurrences: dict[Span, set[Span]] = defaultdict(set)
        seen_long: set[str] = set()
        seen_short: set[str] = set()
        rules: dict[str, Span] = {}
        for long_candidate, short_candidate in filtered:
            short, long = find_abbreviation(long_candidate, short_candidate)
            if long is None or long.text in seen_long or short.text in seen_short:
                continue
            seen_long.add(long.text)
            seen_short.add(short.text)
            all_occurrences[long].add(short)
            rules[short.text] = long
        for start, short in word_occurrences(doc_text(doc), list(rules)):
            span = doc.char_span(start, start + len(short), alignment_mode="strict")
            if span is not None:
                all_occurrences[rules[short]].add(span)
        return list(all_occurrences.items())

    def __call__(self, doc: Doc) -> Doc:
        filtered = filter_matches(bracket_candidates(doc), doc)
        occurrences = self.find_matches_for(filtered, doc)
        found = []
        for long_form, short_forms in occurrences:
            for short in short_forms:
                short._.long_form = long_form
                found.append(short)
        if self.make_serializable:
            found = [self.make_short_form_serializable(a) for a in found]
        doc._.abbreviations = found
        return doc
