"""pipeline.pack: one loader per folder, shared by NER, extraction and assembly."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from pipeline.extract import extract_claims
from pipeline.model import DocIngest, Document, Mention, Sentence
from pipeline.pack import DEFAULT_RESOURCES, load_pack
from pipeline.pack.files import read_tsv


def _copy_pack(tmp_path: Path) -> Path:
    dst = tmp_path / "resources"
    shutil.copytree(DEFAULT_RESOURCES, dst, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dst


def test_one_pack_per_folder_and_a_pickled_pack_is_that_pack():
    pack = load_pack()
    assert load_pack("") is pack and load_pack(DEFAULT_RESOURCES) is pack
    assert pickle.loads(pickle.dumps(pack)) is pack


def test_a_missing_pack_folder_is_named(tmp_path):
    with pytest.raises(NotADirectoryError, match="nowhere.*ADCM_RESOURCES_DIR"):
        load_pack(tmp_path / "nowhere")


def test_a_missing_column_is_named(tmp_path):
    bad = tmp_path / "genes.tsv"
    bad.write_text("symbol\tname\nERBB2\tHER2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns.*group"):
        read_tsv(bad, ("symbol", "group"))


def _sentence_doc(text: str) -> tuple[DocIngest, list[Mention]]:
    doc = DocIngest(
        document=Document(
            "d1", "a.txt", "", "", "", "", "", "abstract", "", "", "text", 0, 0, text
        ),
        sentences=[Sentence("d1", 0, "Abstract", "abstract", 0, len(text), text, False, False)],
    )
    s = text.index("T-DM1")
    g = text.index("XYZ1")
    mentions = [
        Mention("d1", 0, g, g + 4, "XYZ1", "GENE", "hgnc:XYZ1", "XYZ1", "pack", "drug_efflux"),
        Mention(
            "d1",
            0,
            s,
            s + 5,
            "T-DM1",
            "ADC",
            "adc:trastuzumab_emtansine",
            "trastuzumab emtansine",
            "pack",
            "microtubule inhibitor",
        ),
    ]
    return doc, mentions


def test_the_resources_dir_reaches_extraction(tmp_path):
    """A relation cue added to a copied pack changes what extraction reads (the setting
    ADCM_RESOURCES_DIR reached NER only before the pack had one loader)."""
    text = "XYZ1 frobnicates T-DM1 in these cells."
    doc, mentions = _sentence_doc(text)
    assert extract_claims(doc, mentions, load_pack()) == []
    res = _copy_pack(tmp_path)
    with (res / "relation_cues.tsv").open("a", encoding="utf-8") as fh:
        fh.write("resistance\tfrobnicat\\w*\ttest cue\n")
    claims = extract_claims(doc, mentions, load_pack(res))
    assert [(c.triple.drug, c.triple.mechanism_entity) for c in claims] == [
        ("trastuzumab emtansine", "XYZ1")
    ]
