"""The extraction version changes with the extraction code and the knowledge pack only."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.kb.versioning import PACKAGE_DIR, compute_extraction_version


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "pipeline"
    shutil.copytree(PACKAGE_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_version_follows_code_and_knowledge_pack(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    base = compute_extraction_version(root)
    assert base == compute_extraction_version(root)  # stable
    (root / "resources").mkdir(exist_ok=True)
    (root / "resources" / "extra_synonyms.tsv").write_text("a\tb\n")
    with_data = compute_extraction_version(root)
    assert with_data != base
    (root / "extract" / "__init__.py").write_text(
        (root / "extract" / "__init__.py").read_text() + "\n# changed\n"
    )
    assert compute_extraction_version(root) not in (base, with_data)


def test_version_ignores_unrelated_code(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    base = compute_extraction_version(root)
    (root / "cli.py").write_text("# a CLI change does not change what is extracted\n")
    (root / "kb" / "query.py").write_text("# nor does the KB's query code\n")
    assert compute_extraction_version(root) == base
