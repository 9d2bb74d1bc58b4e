"""The extraction lexicons in pipeline/resources/: loadable, complete, documented."""

from __future__ import annotations

import csv

from pipeline.pack import DEFAULT_RESOURCES, load_pack
from pipeline.pack.cues import CUE_KINDS

RES = DEFAULT_RESOURCES


def _rows(name: str) -> list[dict[str, str]]:
    with (RES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_relation_cues_load_from_resources_with_known_kinds():
    pack = load_pack()
    assert set(pack.cues.patterns()) == set(CUE_KINDS)
    assert pack.cues.find("HER2 expression was retained", "negation")
    assert pack.partner_strategy_category("bevacizumab") == "combination_antiangiogenic"


def test_every_cue_has_a_readable_canonical_entity():
    for name in ("mechanism_cues.tsv", "strategy_cues.tsv"):
        for r in _rows(name):
            canonical = r["canonical"]
            assert canonical and canonical == " ".join(canonical.split()), (name, r["cue"])
            # lower case except acronyms and symbols ("ctDNA", "ADC", "Rab", "Fc", "T cell")
            for word in canonical.split():
                acronym = not word[1:].islower() or len(word) <= 3
                assert word.islower() or acronym, (name, r["cue"], canonical)


def test_cues_of_one_canonical_entity_share_its_category():
    for name in ("mechanism_cues.tsv", "strategy_cues.tsv"):
        seen: dict[str, str] = {}
        for r in _rows(name):
            if r.get("generic") == "yes":
                continue  # alteration words: the gene is the entity
            category = seen.setdefault(r["canonical"].lower(), r["category"])
            assert category == r["category"], (name, r["cue"], r["canonical"])


def test_extraction_lexicons_are_documented_in_the_resources_readme():
    readme = (RES / "README.md").read_text(encoding="utf-8")
    for name in ("relation_cues.tsv", "partner_strategy.tsv", "canonical"):
        assert name in readme
