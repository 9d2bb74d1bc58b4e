"""How a sentence is read: the part of its document it sits in, and whether it can state a
claim at all (spec, "What counts as a claim").

Only sentences that state a finding or a proposal yield claims. Methods and design ("was
assessed", "we treated", "were enrolled", a structured abstract's "Methods:" part), aims
and outlines ("we sought to", "this review summarizes") and open questions ("it is unknown
whether") do not, unless they also say what was found. A research abstract (a short text
with no reference list, as a paper's abstract is) is read more strictly than a review: its
sentences are not framed by a review's strategy passages, so a claim needs the sentence's
own resistance angle, and sentences that name no drug take the paper's drug only outside
its background. Structured abstracts' labels (Purpose, Methods, Results, Conclusions, read
from ``abstract_sections.tsv``) carry over to the sentences after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import DocIngest, Sentence
from pipeline.nlp.text import fold_dashes
from pipeline.pack import Pack

SHORT_DOCUMENT_SENTENCES = 40  # an abstract, not a review
# Kinds of document a reader recognised as something other than a paper's abstract.
_NOT_ABSTRACT_KINDS = frozenset({"press_release", "review_page", "full_review"})
# "Experimental Design:In vitro ...": a label of one to three words, then a colon; or a
# label in capitals with no colon ("BACKGROUND HER2-targeting therapies ...").
_LABEL = re.compile(
    r"^\s*(?:([A-Z][A-Za-z]*(?:\s+[A-Za-z]+){0,2})\s*:\s*|([A-Z]{4,}(?:\s+AND\s+[A-Z]{4,})?)\s+(?=[A-Z]))"
)
# A research abstract without labels opens with background until it names its drug or
# its own work ("Here we show ...").
_OWN_WORK = re.compile(r"\b(?:we|our|here|this\s+study|the\s+present\s+study)\b", re.I)


@dataclass(frozen=True)
class Frame:
    """The reading of one sentence."""

    section: str  # title | background | purpose | methods | results | conclusions | body
    abstract: bool  # the document is a research abstract (see the module docstring)
    readable: bool  # False: methods, aims, open questions state no claim
    cited: bool = False  # a reference title: another paper, read without the text's frame

    @property
    def strict(self) -> bool:
        """Read on its own: a research abstract's sentence or a cited title."""
        return self.abstract or self.cited


BODY = Frame("body", False, True)


def is_research_abstract(doc: DocIngest) -> bool:
    """A short text with no reference list that no reader took for a review or a release."""
    own = sum(1 for s in doc.sentences if s.kind != "reference_title")
    return (
        own <= SHORT_DOCUMENT_SENTENCES
        and not doc.references
        and doc.document.kind not in _NOT_ABSTRACT_KINDS
    )


def section_label(text: str, labels: dict[str, str]) -> str:
    """The section a structured-abstract label opening ``text`` starts, or ''."""
    found = _LABEL.match(text)
    if not found:
        return ""
    return labels.get((found.group(1) or found.group(2)).lower(), "")


def is_readable(sentence: Sentence, section: str, abstract: bool, pack: Pack) -> bool:
    """False for a sentence that only describes methods, an aim or an open question.

    In a review, where "X was evaluated" reports others' work rather than the text's own
    methods, only aims and outlines count, and one that also makes a resistance point ("we
    focus on how heterogeneity limits the efficacy of ADCs") is read as that point."""
    if sentence.kind in ("title", "reference_title"):
        return True
    text = fold_dashes(sentence.text)
    cues = pack.cues
    if cues.find(text, "question"):
        return False
    found = bool(cues.find(text, "finding"))
    if not abstract:
        return not cues.find(text, "aim") or bool(
            cues.find(text, "resistance") or cues.find(text, "overcome")
        )
    if cues.find(text, "aim"):  # "we sought to determine whether X causes ...": no finding
        return False
    if section == "methods" and not found:
        return False
    return not (cues.find(text, "method") and not found)


def document_frames(
    doc: DocIngest, pack: Pack, naming_adcs: frozenset[int] = frozenset()
) -> dict[int, Frame]:
    """Sentence index -> Frame, for every sentence of ``doc``; ``naming_adcs``: the indexes
    of the sentences that name an ADC (an unlabelled abstract's background ends there)."""
    abstract = is_research_abstract(doc)
    labels = pack.abstract_sections
    labelled = abstract and any(section_label(s.text, labels) for s in doc.sentences)
    section = "background" if abstract and not labelled else "body"
    out: dict[int, Frame] = {}
    for s in doc.sentences:
        if s.kind == "title":
            current = "title"
        else:
            section = section_label(s.text, labels) or section
            if (
                section == "background"
                and not labelled
                and (s.sentence_index in naming_adcs or _OWN_WORK.search(s.text))
            ):
                section = "body"
            current = section
        out[s.sentence_index] = Frame(
            current,
            abstract,
            is_readable(s, current, abstract, pack),
            s.kind == "reference_title",
        )
    return out
