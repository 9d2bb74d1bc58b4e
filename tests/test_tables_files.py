"""Staged cleaned texts: nothing appears before commit, an error leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.tables.files import StagedFiles


def test_staged_files_appear_only_on_commit(tmp_path: Path):
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.txt").write_text("old", encoding="utf-8")
    (tmp_path / "clean" / "kept.txt").write_text("kept", encoding="utf-8")
    with StagedFiles(tmp_path) as staged:
        staged.write_texts([("clean/a.txt", "new ü"), ("clean/b.txt", "b")])
        assert (tmp_path / "clean" / "a.txt").read_text(encoding="utf-8") == "old"
        assert not (tmp_path / "clean" / "b.txt").exists()
        assert staged.commit() == [tmp_path / "clean" / "a.txt", tmp_path / "clean" / "b.txt"]
    assert (tmp_path / "clean" / "a.txt").read_text(encoding="utf-8") == "new ü"
    assert (tmp_path / "clean" / "kept.txt").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean"]


def test_a_new_folder_moves_in_whole(tmp_path: Path):
    with StagedFiles(tmp_path) as staged:
        staged.write_texts([("clean/a.txt", "a")])
        staged.write_texts([("clean/b.txt", "b"), ("top.txt", "top")])
        assert staged.commit() == [tmp_path / "clean" / "a.txt", tmp_path / "clean" / "b.txt",
                                   tmp_path / "top.txt"]  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "clean").iterdir()) == ["a.txt", "b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "top.txt"]


def test_staged_files_are_discarded_on_error(tmp_path: Path):
    with pytest.raises(RuntimeError):
        with StagedFiles(tmp_path) as staged:
            staged.write_texts([("clean/a.txt", "new")])
            raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []
