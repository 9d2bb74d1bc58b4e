"""Contrasts between groups: "TROP2 was higher in Dato-DXd-sensitive models", "responders had
higher CD33 and lower P-gp activity than non-responders", "increased γH2AX in the sensitive
BCXs but not in a resistant BCX" state a resistance claim (spec, "What counts as a claim").

The comparison words and the two kinds of group are cue kinds of ``relation_cues.tsv``
(``level_up``, ``level_down``, ``sensitive_group``, ``resistant_group``). The first group
the sentence names is the side the levels describe; a marker higher on the sensitive side
(or lower on the resistant one) is lost in resistance, which is what makes a target antigen
an ``antigen_loss`` mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.pack.cues import CueLexicon, Span


@dataclass(frozen=True)
class Contrast:
    span: Span  # from the first comparison word to the end of the first group
    levels: tuple[tuple[Span, bool], ...]  # comparison words, True for "higher"
    sensitive_first: bool  # the first group named is the sensitive one

    def near(self, start: int, end: int, reach: int = 60) -> bool:
        """Whether a marker at [start, end) has a comparison word within ``reach``."""
        return any(s - reach <= end and start <= e + reach for (s, e), _ in self.levels)

    def lost_in_resistance(self, position: int) -> bool:
        """Whether the marker at ``position`` is lower in the resistant group (its nearest
        comparison word decides the direction)."""
        (_, up) = min(self.levels, key=lambda lv: abs(lv[0][0] - position))
        return up == self.sensitive_first


def find_contrast(text: str, cues: CueLexicon) -> Contrast | None:
    """The contrast a sentence states, or None (no comparison word, or no group)."""
    sensitive = cues.find(text, "sensitive_group")
    resistant = cues.find(text, "resistant_group")
    levels = [(s, True) for s in cues.find(text, "level_up")]
    levels += [(s, False) for s in cues.find(text, "level_down")]
    if not levels or not (sensitive or resistant):
        return None
    groups = sorted([(s, True) for s in sensitive] + [(s, False) for s in resistant])
    (first_span, sensitive_first) = groups[0]
    start = min(s[0] for s, _ in levels)
    return Contrast(
        (min(start, first_span[0]), max(first_span[1], start)),
        tuple(sorted(levels)),
        sensitive_first,
    )
