"""The peer the pipeline is measured against: what a user would build instead.

``spacy.blank("en")`` (spaCy's own English tokenizer) plus ``EntityRuler`` phrase patterns
from the same knowledge pack the project's NER reads (:func:`pipeline.pack.load_pack`):
every term surface and every drug of the DrugBank stem subset (the "drug stems" of the
pack). Caseless terms go to a ruler matching on LOWER, case-sensitive ones (gene symbols:
"MET" is a gene, "met" a verb) to one matching on ORTH. No abbreviation detection, no
merging, no normalisation beyond the pattern's id: a floor, not an equal. INN-stem rules
("any word ending in -tinib") are left out: as Matcher REGEX token patterns they made the
ruler 3x slower on the corpus, which would flatter the project's ratio.
"""

from __future__ import annotations

from typing import Any

Pattern = dict[str, Any]


def pack_patterns(resources_dir: str = "") -> list[Pattern]:
    """Phrase patterns for every surface of the pack, deduplicated (``cs``: case-sensitive)."""
    from pipeline.pack import load_pack

    pack = load_pack(resources_dir)
    seen: set[tuple[str, bool]] = set()
    patterns: list[Pattern] = []

    def add(label: str, text: str, case_sensitive: bool, entity_id: str) -> None:
        key = (text if case_sensitive else text.lower(), case_sensitive)
        if not text.strip() or key in seen:
            return
        seen.add(key)
        patterns.append({"label": label, "pattern": text, "id": entity_id, "cs": case_sensitive})

    for term in pack.terms:
        add(term.type, term.text, term.case_sensitive, term.entity_id)
    for word, (name, _drugbank_id) in pack.stem_drugs.items():
        add("DRUG", word, False, f"drug:{name}")
    return patterns


def build_peer(resources_dir: str = "") -> tuple[Any, int]:
    """(nlp, number of patterns): blank English + the pack's patterns in EntityRulers."""
    import spacy

    nlp = spacy.blank("en")
    patterns = pack_patterns(resources_dir)
    for name, attr, cs in (("ruler_lower", "LOWER", False), ("ruler_orth", "ORTH", True)):
        ruler = nlp.add_pipe(
            "entity_ruler", name=name, config={"phrase_matcher_attr": attr, "validate": False}
        )
        ruler.add_patterns(
            [{k: p[k] for k in ("label", "pattern", "id")} for p in patterns if p["cs"] is cs]
        )
    nlp.max_length = 5_000_000
    return nlp, len(patterns)
