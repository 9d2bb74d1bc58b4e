"""The bench's peer: blank spaCy + EntityRuler loaded from the same knowledge pack."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
peer = importlib.import_module("bench.peer")


def test_patterns_are_every_surface_of_the_pack_once() -> None:
    from pipeline.pack import load_pack

    pack = load_pack("")
    surfaces = {(t.text if t.case_sensitive else t.text.lower(), t.case_sensitive)
                for t in pack.terms if t.text.strip()}  # fmt: skip
    surfaces |= {(w.lower(), False) for w in pack.stem_drugs}
    patterns = peer.pack_patterns()
    assert len(patterns) == len(surfaces)
    assert 3_000 <= len(patterns) <= 5_000  # issue 16: "about 3.6k, drug stems included"
    assert {p["label"] for p in patterns} >= {"ADC", "GENE", "DRUG", "PAYLOAD"}


def test_peer_finds_pack_entities_with_the_pack_case_rules() -> None:
    nlp, n = peer.build_peer()
    assert n == len(peer.pack_patterns())
    doc = nlp("Trastuzumab deruxtecan met resistance through MET amplification and osimertinib.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Trastuzumab deruxtecan", "ADC") in found
    assert ("MET", "GENE") in found and not any(e.text == "met" for e in doc.ents)
    assert ("osimertinib", "DRUG") in found
