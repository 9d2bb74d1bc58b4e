"""The class-level view: what the ADC catalogue infers from the extracted triples.

Kept apart from the extracted rows (``inferred = true``): a payload-level or antigen-level
mechanism of one ADC suggests cross-resistance of the ADCs that share its payload class
or target, which no sentence has said.
"""

from __future__ import annotations

import logging
from typing import Any

from pipeline.assembly.triples import NEGATED
from pipeline.model import GENERIC_ADC, InferredTriple, Triple

log = logging.getLogger(__name__)


def _field(entry: Any, *names: str) -> str:
    """First non-empty of ``names`` (the catalogue calls the target 'target' or 'target_symbol')."""
    for name in names:
        value = entry.get(name, "") if isinstance(entry, dict) else getattr(entry, name, "")
        if value is not None and str(value):
            return str(value)
    return ""


def _catalog_rows(catalog: Any) -> list[dict[str, str]]:
    """Accept the catalogue as ``AdcRecord``s (``load_adc_catalog``) or dicts of its columns."""
    return [
        {
            "inn": _field(e, "inn"),
            "target_symbol": _field(e, "target_symbol", "target"),
            "payload": _field(e, "payload"),
            "payload_class": _field(e, "payload_class"),
        }
        for e in catalog
    ]


def infer_class_level(triples: list[Triple], catalog: Any) -> list[InferredTriple]:
    """Other catalogue ADCs that share the payload class / target of a resisted drug.

    A payload-level mechanism (``payload_resistance``) of drug X suggests cross-resistance
    of every ADC with X's payload class; an antigen-level one (``antigen_loss``) of every
    ADC against X's target. For the generic drug, an ``antigen_loss`` mechanism naming a
    gene extends to the ADCs against that gene. Inferred, never mixed into ``triples``.
    """
    rows = _catalog_rows(catalog)
    by_inn = {r["inn"].lower(): r for r in rows if r["inn"]}
    out: set[InferredTriple] = set()
    for t in triples:
        if t.polarity == NEGATED:
            continue  # every sentence denies it: nothing to generalise
        if t.mechanism_category == "payload_resistance":
            basis, field_name = "payload_class", "payload_class"
        elif t.mechanism_category == "antigen_loss":
            basis, field_name = "target", "target_symbol"
        else:
            continue
        source = by_inn.get(t.drug.lower())
        if source is not None:
            shared = source[field_name]
        elif t.drug == GENERIC_ADC and basis == "target" and t.mechanism_entity:
            shared = t.mechanism_entity.upper()
        else:
            continue
        if not shared:
            continue
        for r in rows:
            if r["inn"].lower() == t.drug.lower() or r[field_name].upper() != shared.upper():
                continue
            out.add(
                InferredTriple(
                    source_triple_id=t.triple_id,
                    drug=t.drug,
                    shared_with_drug=r["inn"],
                    basis=basis,
                    shared_value=shared,
                    mechanism_category=t.mechanism_category,
                    mechanism_entity=t.mechanism_entity,
                )
            )
    result = sorted(out, key=lambda i: (i.source_triple_id, i.shared_with_drug, i.basis))
    log.info("infer_class_level: %d triples -> %d inferred rows", len(triples), len(result))
    return result
