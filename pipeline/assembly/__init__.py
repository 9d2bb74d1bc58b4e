"""Assembly (INDRA-style preassembly): claims into deduplicated triples with their counts,
confidence and every distinct evidence row (``triples``), and the separate, clearly
marked class-level view from the ADC catalogue (``class_level``).
"""

from pipeline.assembly.class_level import infer_class_level
from pipeline.assembly.triples import (
    AFFIRMED,
    NEGATED,
    assemble,
    confidence,
    confidence_of,
    document_error,
    polarity_of,
)

__all__ = [
    "AFFIRMED",
    "NEGATED",
    "assemble",
    "confidence",
    "confidence_of",
    "document_error",
    "infer_class_level",
    "polarity_of",
]
