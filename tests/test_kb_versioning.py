"""The extraction version follows the extraction's import closure, the pack and the model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.kb.versioning import (
    EXTRACTION_ROOTS,
    NOT_VERSIONED,
    PACKAGE_DIR,
    compute_extraction_version,
    extraction_version,
    import_closure,
)

ROOT = Path(__file__).resolve().parents[1]
ABSTRACTS = ROOT / "tests" / "fixtures" / "extract" / "abstracts"


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("copy") / "pipeline"
    shutil.copytree(PACKAGE_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _edit(path: Path) -> bytes:
    before = path.read_bytes()
    path.write_bytes(before + b"\n# changed\n")
    return before


def test_version_follows_the_pack_and_every_module_of_the_closure(package_copy: Path) -> None:
    base = compute_extraction_version(package_copy)
    assert base == compute_extraction_version(package_copy)  # stable
    closure = import_closure(EXTRACTION_ROOTS, package_copy)
    expected = {"pipeline.batch", "pipeline.assembly", "pipeline.cited_refs", "pipeline.prefilter",
                "pipeline.model", "pipeline.pack.lexicon", "pipeline.nlp.mentions",
                "pipeline.extract.relations", "pipeline.ingest.references"}  # fmt: skip
    assert expected <= set(closure)
    assert "pipeline.kb.refresh" not in closure and "pipeline.tables" not in closure
    for name, path in closure.items():
        before = _edit(path)
        try:
            assert compute_extraction_version(package_copy) != base, name
        finally:
            path.write_bytes(before)
    tsv = package_copy / "resources" / "mechanism_cues.tsv"
    before = _edit(tsv)
    try:
        assert compute_extraction_version(package_copy) != base
    finally:
        tsv.write_bytes(before)
    assert compute_extraction_version(package_copy) == base


def test_a_module_new_on_the_path_is_covered(package_copy: Path) -> None:
    document = package_copy / "extract" / "document.py"
    before = document.read_bytes()
    (package_copy / "extract" / "newrule.py").write_text("RULE = 1\n")
    try:
        document.write_bytes(before + b"\nfrom pipeline.extract import newrule  # noqa\n")
        assert "pipeline.extract.newrule" in import_closure(EXTRACTION_ROOTS, package_copy)
        with_rule = compute_extraction_version(package_copy)
        (package_copy / "extract" / "newrule.py").write_text("RULE = 2\n")
        assert compute_extraction_version(package_copy) != with_rule
    finally:
        document.write_bytes(before)
        (package_copy / "extract" / "newrule.py").unlink()


def test_version_ignores_unrelated_code(package_copy: Path) -> None:
    base = compute_extraction_version(package_copy)
    changed = [package_copy / p for p in ("commands/cli.py", "kb/query.py", "tables/writer.py",
                                          "config.py")]  # fmt: skip
    saved = [_edit(p) for p in changed]
    try:
        assert compute_extraction_version(package_copy) == base
    finally:
        for path, before in zip(changed, saved, strict=True):
            path.write_bytes(before)


def test_resources_dir_setting_changes_the_version(tmp_path: Path, monkeypatch) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACKAGE_DIR / "resources", pack)
    monkeypatch.setenv("ADCM_RESOURCES_DIR", str(pack))
    settings = Settings.from_env()
    same = extraction_version(settings.resources_dir, settings.spacy_model)
    assert same == extraction_version()  # the same files elsewhere: the same version
    with (pack / "genes.tsv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    extraction_version.cache_clear()
    try:
        assert extraction_version(settings.resources_dir, settings.spacy_model) != same
    finally:
        extraction_version.cache_clear()


def _model(folder: Path, version: str) -> Path:
    folder.mkdir()
    meta = {"lang": "en", "name": "tiny_ner", "version": version}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_spacy_model_setting_changes_the_version(tmp_path: Path, monkeypatch) -> None:
    versions = {}
    for label, value in (("none", "none"), ("v1", str(_model(tmp_path / "m1", "0.0.1"))),
                         ("v2", str(_model(tmp_path / "m2", "0.0.2")))):  # fmt: skip
        monkeypatch.setenv("ADCM_SPACY_MODEL", value)
        settings = Settings.from_env()
        versions[label] = extraction_version(settings.resources_dir, settings.spacy_model)
    assert len(set(versions.values())) == 3, versions


COVERAGE_SCRIPT = """
import json, sys
from pathlib import Path
from pipeline.config import Settings
before = set(sys.modules)
from pipeline.assembly import assemble, infer_class_level
from pipeline.batch import process_batch
from pipeline.ingest import discover
from pipeline.pack import load_pack
settings = Settings(spacy_model="none", expand_references=True, offline=True,
                    http_cache_path=Path(sys.argv[2]))
sources, _ = discover(Path(sys.argv[1]))
batch = process_batch(sources, settings)
triples, _ = assemble([c for r in batch.docs for c in r.claims])
assert triples, "the fixture abstracts yield triples"
infer_class_level(triples, load_pack().adc_catalog)
print(json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith("pipeline"))))
"""


def test_every_module_the_extraction_imports_is_versioned(tmp_path: Path) -> None:
    """Run the stage function (expansion on, offline) and assembly in a fresh process: every
    ``pipeline`` module it imported is in the versioned closure (or deliberately not)."""
    out = subprocess.run(
        [sys.executable, "-c", COVERAGE_SCRIPT, str(ABSTRACTS), str(tmp_path / "cache.sqlite")],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    imported = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert {"pipeline.extract.relations", "pipeline.literature.expansion"} <= imported
    missing = imported - set(import_closure(EXTRACTION_ROOTS)) - NOT_VERSIONED
    assert not missing, f"imported by the extraction but not in its version: {sorted(missing)}"
