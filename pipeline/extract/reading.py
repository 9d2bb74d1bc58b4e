"""The cue spans of one sentence: where it speaks of resistance, of overcoming it, of
combinations, of selection markers, of associations with an outcome.

``read_cues`` reads them from the pack's ``relation_cues.tsv``, minus what only looks like
resistance to an ADC: a disease population ("relapsed/refractory lymphoma") and resistance
to another therapy ("EGFR TKI-resistant cancers", "resistance to immunotherapy").
Improvement wording ("enhanced", "strategy") reads as overcoming resistance in a review's
strategy passages, not in a research abstract's results or a cited title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.frame import Frame
from pipeline.extract.slots import Slot
from pipeline.model import Mention
from pipeline.pack.cues import CueLexicon, Span

_NEAR = 30  # characters between a resistance word and the therapy it is about
# "efficacy in HER2-low cancer, but resistance eventually develops": a contrast separates
# the status word from the resistance wording.
_CONTRAST = re.compile(r"\b(?:but|whereas|while|although|though|however|yet)\b", re.IGNORECASE)


@dataclass
class Reading:
    """The cue spans of one sentence (offsets relative to it)."""

    resistance: list[Span]
    overcome: list[Span]
    combination: list[Span]
    biomarker: list[Span]
    association: list[Span]  # an association with an outcome ("associated with shorter PFS")

    @property
    def claims_resistance(self) -> bool:
        return bool(self.resistance or self.overcome or self.biomarker or self.association)

    @property
    def any(self) -> bool:
        return bool(self.resistance or self.overcome or self.combination or self.biomarker)

    def reaches(self, text: str, m: Slot, overcome: bool = False) -> bool:
        """A mechanism that is not one by its wording (a bare gene, "HER2-low") needs a
        resistance or association cue (or, for one a strategy acts on, an ``overcome``
        cue) that no contrastive conjunction separates from it."""
        spans = self.resistance + self.association + (self.overcome if overcome else [])
        for r0, r1 in spans:
            lo, hi = (m.end, r0) if r0 >= m.end else (r1, m.start)
            if not _CONTRAST.search(text[lo:hi]):
                return True
        return False


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _of_another_therapy(cue: Span, adcs: list[Span], others: list[Span]) -> bool:
    """Whether the therapy nearest a resistance word is not an ADC."""

    def gap(span: Span) -> int:
        return max(span[0] - cue[1], cue[0] - span[1], 0)

    nearest_other = min((gap(o) for o in others), default=_NEAR + 1)
    nearest_adc = min((gap(a) for a in adcs), default=_NEAR + 1)
    return nearest_other <= _NEAR and nearest_other < nearest_adc


def therapy_spans(
    mentions: list[Mention], off: int, text: str, cues: CueLexicon
) -> tuple[list[Span], list[Span]]:
    """(spans of the ADCs, spans of the other therapies) a sentence names."""
    adcs = [
        (m.char_start - off, m.char_end - off) for m in mentions if m.type in ("ADC", "ADC_CLASS")
    ]
    others = [
        (m.char_start - off, m.char_end - off) for m in mentions if m.type in ("DRUG", "DRUG_CLASS")
    ]
    return adcs, others + list(cues.find(text, "other_therapy"))


def read_cues(
    text: str, mentions: list[Mention], off: int, cues: CueLexicon, frame: Frame
) -> Reading:
    """The cue spans of ``text`` (see the module docstring)."""
    adcs, others = therapy_spans(mentions, off, text, cues)
    population = cues.find(text, "population")
    resistance = [
        r
        for r in cues.find(text, "resistance")
        if not any(_overlap(r, p) for p in population) and not _of_another_therapy(r, adcs, others)
    ]
    overcome = list(cues.find(text, "overcome"))
    if not frame.strict:
        overcome = sorted(overcome + list(cues.find(text, "improvement")))
    association = list(cues.find(text, "association")) if cues.find(text, "outcome") else []
    return Reading(
        resistance,
        overcome,
        list(cues.find(text, "combination")),
        list(cues.find(text, "biomarker")),
        association,
    )
