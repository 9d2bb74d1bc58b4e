"""Document context: the drug of a sentence that does not name it (spec: "The drug is
resolved inside the document").

Read in document order, sentence by sentence:

- **resistant models**: a sentence that ties an experimental model to an ADC ("cell lines
  ... made resistant to anti-CD22-vc-MMAE", "T-DXd-resistant sublines", "a T-DM1-resistant
  N87-KR cell line") makes that ADC the drug of later sentences about those models ("the
  resistant cell lines", "N87-KR cells"), when they name no ADC themselves;
- **anaphora**: "these ADCs", "the conjugate", "the vc-MMAE-based conjugates" point to the
  ADCs the previous sentence named (a plural pointer needs two or more, a singular one
  exactly one: "ADCs ...; SG is one. ... these agents" are ADCs in general);
- **discourse**: whether the previous sentence made a resistance point, so that "In
  contrast, the combination ..." after "X alone failed to prevent relapse" is read in it.

Abbreviations and code names the document defines are resolved by NER already
(:mod:`pipeline.nlp`), so they arrive here as named ADCs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.drugs import is_resisted
from pipeline.extract.slots import GENERIC_ADC_ID, Slot
from pipeline.pack.cues import CueLexicon

# "N87-KR", "SKBR3-TR", "BT-474-R", "361-TM": a cell line with a resistance suffix.
_MODEL_NAME = re.compile(
    r"\b[A-Z0-9][A-Za-z0-9]*(?:[\-\u2010][A-Za-z0-9]+)*[\-\u2010](?:[A-Z]{0,2}R|TM)\d*\b"
)
_RESISTANT_MODEL = re.compile(r"\bresistan\w*[\s\-\u2010\u2011\u2013]+(?:[\w\-]+\s+){0,2}$", re.I)
_CONTRAST_OPENING = re.compile(
    r"^\W*(?:in\s+contrast|by\s+contrast|conversely|however|instead|nevertheless)\b", re.I
)
_PLURAL = re.compile(r"(?:ADCs|conjugates|drugs|agents)\b", re.I)
# "the ADCs targeting the other three antigens": a description of a class, no pointer
_RESTRICTED = re.compile(
    r"\s+(?:targeting|against|with|that|which|directed|bearing|containing|carrying|in|for|of)\b",
    re.I,
)


@dataclass(frozen=True)
class SentenceContext:
    """What the sentences before this one tell about its drug."""

    antecedents: tuple[Slot, ...] = ()  # the named ADCs of the previous sentence
    model_drugs: tuple[Slot, ...] = ()  # the ADCs the document's resistant models resist
    model_names: frozenset[str] = frozenset()  # "N87-KR": names of those models
    follows_resistance: bool = False  # the previous sentence made a resistance point

    def continues_resistance(self, text: str) -> bool:
        """ "In contrast, the combination ..." right after a resistance point."""
        return self.follows_resistance and bool(_CONTRAST_OPENING.match(text))


NO_CONTEXT = SentenceContext()


def resolve_anaphora(
    drugs: list[Slot], text: str, context: SentenceContext, cues: CueLexicon
) -> list[Slot]:
    """A sentence that names no ADC but points to ADCs ("these ADCs", "the conjugate")
    speaks about the previous sentence's ADCs: they take the pointer's place."""
    if not context.antecedents or any(d.entity != GENERIC_ADC_ID for d in drugs):
        return drugs
    for start, end in cues.find(text, "anaphor"):
        if text[start : start + 4].lower() == "the " and _RESTRICTED.match(text, end):
            continue
        plural = bool(_PLURAL.search(text, start, end))
        if (len(context.antecedents) > 1) != plural:
            continue
        kept = [d for d in drugs if not (d.start < end and start < d.end)]
        return kept + [
            Slot("drug", start, end, a.name, entity=a.entity) for a in context.antecedents
        ]
    return drugs


def model_reference(
    text: str, context: SentenceContext, cues: CueLexicon
) -> tuple[int, int] | None:
    """The span where a sentence refers to the document's resistant models ("the resistant
    cell lines", "N87-KR cells", "in a Dato-DXd-resistant BCX"), or None."""
    if not context.model_drugs:
        return None
    for name in context.model_names:
        at = text.find(name)
        if at >= 0:
            return at, at + len(name)
    for start, end in cues.find(text, "model"):
        if _RESISTANT_MODEL.search(text[max(0, start - 40) : start]):
            return start, end
    return None


@dataclass
class DocumentContext:
    """Fed the sentences in order; gives each its :class:`SentenceContext`."""

    cues: CueLexicon
    _previous: tuple[Slot, ...] = ()
    _previous_resistance: bool = False
    _models: dict[str, Slot] = field(default_factory=dict)
    _names: set[str] = field(default_factory=set)

    def current(self) -> SentenceContext:
        return SentenceContext(
            antecedents=self._previous,
            model_drugs=tuple(self._models.values()),
            model_names=frozenset(self._names),
            follows_resistance=self._previous_resistance,
        )

    def record(self, text: str, drugs: list[Slot], resistance: bool) -> None:
        """What a sentence leaves for the next ones: its named ADCs, whether it made a
        resistance point, and the resistant models it ties to an ADC."""
        named = [d for d in drugs if d.entity != GENERIC_ADC_ID]
        self._previous = tuple({d.entity: d for d in named}.values())
        self._previous_resistance = resistance
        if not named or not self.cues.find(text, "model"):
            return
        resisted = [d for d in named if is_resisted(text, d.start, d.end)]
        for d in resisted:
            self._models.setdefault(d.entity, d)
        if resisted:
            self._names.update(m.group(0) for m in _MODEL_NAME.finditer(text))
