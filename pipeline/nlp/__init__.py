"""Biomedical NER and normalisation: scispacy pipeline + the ADC knowledge pack.

Public API (imported lazily so ``import pipeline.nlp`` stays cheap)::

    annotate(docs, pack, spacy_model="", batch_size=64, n_process=1) -> {doc_id: [Mention]}
    build_entities(mentions: Iterable[Mention]) -> list[Entity]

The vocabularies come from the knowledge pack (:mod:`pipeline.pack`).
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "annotate": "pipeline.nlp.mentions",
    "build_entities": "pipeline.nlp.mentions",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pipeline.nlp' has no attribute {name!r}")
