"""An ADC's target antigen at a stated level against the response to that ADC.

"Patients with high NECTIN4 levels respond well to EV", "no responses in patients with
HER2 1+ status": the response follows the antigen, which affirms antigen loss as a
mechanism. "Patients with no HER2 expression responded well to T-DXd": the drug works
without the antigen, which denies it (the curators' reading of "responses across antigen
levels", spec "What counts as a claim": a marker tied to response).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.extract.negation import negation_cues
from pipeline.extract.slots import Slot, symbol_of
from pipeline.model import Mention
from pipeline.pack.cues import CueLexicon, Span

# The antigen's level, written before or after its name ("low HER2", "no HER2 expression",
# "HER2-low", "HER2 1+ status", "high levels of the protein NECTIN4", "NECTIN4
# amplification"). Structural patterns around a gene name, like slots.py's status patterns.
# "HER2-positive", "EGFR-amplified" name the drug's population, not a level; "increased
# HER3" is a change.
_LOW_BEFORE = re.compile(
    r"(?:\b(?:low|lower|no|absent|negative|reduced|decreased|minimal)\s+(?:levels?\s+of\s+)?"
    r"|\b(?:lack|loss|absence)\s+of\s+)(?:the\s+)?(?:[\w\-]+\s+)?$",
    re.IGNORECASE,
)
_LOW_AFTER = re.compile(
    r"^(?:[\s\-]*(?:low|ultralow|negative|null|zero)\b|\s+(?:IHC\s+)?(?:0|1\s*\+)"
    r"|\s+(?:expression|levels?)\s+(?:below|under)\b)",
    re.IGNORECASE,
)
_HIGH_BEFORE = re.compile(
    r"\b(?:high|higher|elevated|strong)\s+(?:levels?\s+of\s+)?(?:the\s+)?"
    r"(?:[\w\-]+\s+){0,2}$",
    re.IGNORECASE,
)
_HIGH_AFTER = re.compile(
    r"^(?:[\s\-]*high\b|\s+(?:IHC\s+)?3\s*\+"
    r"|\s+(?:gene\s+)?(?:amplification|overexpression)\b"
    r"|\s+(?:expression|levels?)\s+(?:above|over)\b)",
    re.IGNORECASE,
)
# a negation word governs the response word it precedes by at most one word ("no
# response", "No treatment responses"), not one separated by the antigen ("no HER2
# expression responded")
_GOVERNS = re.compile(r"^\s*(?:[\w\-]+\s+)?$")


def antigen_level(text: str, start: int, end: int) -> bool | None:
    """True if the antigen named at [start, end) is said to be low, False if high, None
    if the text gives no level."""
    before, after = text[max(0, start - 40) : start], text[end : end + 30]
    if _LOW_BEFORE.search(before) or _LOW_AFTER.match(after):
        return True
    if _HIGH_BEFORE.search(before) or _HIGH_AFTER.match(after):
        return False
    return None


def response_is_good(text: str, resistance: list[Span], cues: CueLexicon) -> bool | None:
    """True if the sentence says the drug worked ("responded well"), False if it did not
    ("poor or no response", "no treatment responses"), None if it speaks of no response
    or of both."""
    works = cues.find(text, "works")
    # "high TROP2 expression enhances Dato-DXd antitumor activity" reads as a resistance
    # cue (what limits efficacy) but states a response
    poor = [r for r in resistance if not any(r[0] <= w0 and w1 <= r[1] for w0, w1 in works)]
    if not works:
        return None if not poor else False
    if poor:
        return None  # "active in HER2-low cancer, but resistance develops": mixed
    denied = any(
        n1 <= w0 and _GOVERNS.match(text[n1:w0])
        for _, n1 in negation_cues(text, cues)
        for w0, _ in works
    )
    return not denied


def level_response_slots(
    mentions: list[Mention],
    text: str,
    offset: int,
    targets: frozenset[str],
    resistance: list[Span],
    cues: CueLexicon,
) -> list[Slot]:
    """Antigen-loss slots of the target antigens whose level the sentence ties to the
    response, each with the negation the reading decides."""
    good = response_is_good(text, resistance, cues)
    if good is None or cues.find(text, "resistant_group"):
        return []  # "effective in a T-DM1-insensitive model with high HER2": another drug
    out = []
    for m in mentions:
        symbol = symbol_of(m) if m.type == "GENE" else ""
        if symbol not in targets:
            continue
        s, e = m.char_start - offset, m.char_end - offset
        low = antigen_level(text, s, e)
        if low is None:
            continue
        slot = Slot("mech", s, e, m.text, "antigen_loss", symbol, gene=symbol, evident=True)
        out.append(replace(slot, negated=low == good))
    return out
