"""Biomedical NER and normalisation: scispacy pipeline + the ADC knowledge pack.

Public API (imported lazily so ``import pipeline.nlp`` stays cheap)::

    annotate(docs: list[DocIngest], batch_size=64, n_process=1) -> dict[str, list[Mention]]
    build_entities(mentions: Iterable[Mention]) -> list[Entity]
    adc_catalog_frame() -> pandas.DataFrame          # extracted/adc_catalog.csv
    load_adc_catalog() -> tuple[AdcRecord, ...]      # inn, target, payload, payload_class, ...
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "annotate": "pipeline.nlp.mentions",
    "build_entities": "pipeline.nlp.mentions",
    "adc_catalog_frame": "pipeline.nlp.lexicon",
    "load_adc_catalog": "pipeline.nlp.lexicon",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pipeline.nlp' has no attribute {name!r}")
