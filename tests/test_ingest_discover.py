"""Bad input: each case gets one clear Problem and the run goes on."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from pipeline.ingest import discover, ingest_corpus
from pipeline.ingest.decode import BinaryContentError, decode_bytes, sniff_encoding

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOOD = "004_fca7b6f8e7325ee6.txt"


def _problems_for(problems, name):
    return [p for p in problems if p.file == name]


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Path:
    """One good document plus every kind of bad input the issue lists."""
    shutil.copy(CORPUS / GOOD, tmp_path / GOOD)
    shutil.copy(CORPUS / GOOD, tmp_path / "copy_of_review.txt")  # duplicate content
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n \t\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    )
    for name in (
        "latin1_page.txt",
        "utf16_note.txt",
        "no_references.txt",
        "garbage_references.txt",
    ):
        shutil.copy(FIXTURES / name, tmp_path / name)
    with (tmp_path / "huge.txt").open("wb") as fh:  # 50 MB, sparse: never committed
        fh.truncate(50 * 1024 * 1024)
    return tmp_path


def test_bad_inputs_each_reported_and_run_goes_on(bad_corpus: Path):
    tracemalloc.start()
    docs, problems = ingest_corpus(bad_corpus)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 15 * 1024 * 1024  # the 50 MB file was never read

    files = sorted(d.document.file for d in docs)
    assert files == sorted(
        [GOOD, "latin1_page.txt", "utf16_note.txt", "no_references.txt", "garbage_references.txt"]
    )
    skipped = {p.file: p.message for p in problems if p.severity == "skipped"}
    assert set(skipped) == {"copy_of_review.txt", "empty.txt", "blank.txt", "image.txt", "huge.txt"}
    assert "duplicate of 004_fca7b6f8e7325ee6.txt" in skipped["copy_of_review.txt"]
    assert "empty file" in skipped["empty.txt"]
    assert "only whitespace" in skipped["blank.txt"]
    assert "binary" in skipped["image.txt"]
    assert "52,428,800 bytes" in skipped["huge.txt"] and "limit" in skipped["huge.txt"]
    for name in skipped:  # exactly one line each
        assert len([p for p in problems if p.file == name]) == 1, name

    latin = [p for p in problems if p.file == "latin1_page.txt" and p.severity == "warning"]
    assert len(latin) == 1 and "not valid UTF-8" in latin[0].message
    utf16 = [p for p in problems if p.file == "utf16_note.txt" and "utf-16" in p.message]
    assert len(utf16) == 1

    by_file = {d.document.file: d for d in docs}
    assert "Zürich" in by_file["latin1_page.txt"].document.text
    assert "Sacituzumab govitecan resistance" in by_file["utf16_note.txt"].document.text
    no_refs = [p for p in by_file["no_references.txt"].problems if "no reference list" in p.message]
    assert len(no_refs) == 1
    garbage = by_file["garbage_references.txt"]
    msgs = [p.message for p in garbage.problems if p.severity == "warning"]
    assert any("[1]: ignored extra line 'Loading related articles...'" in m for m in msgs)
    assert any(m.startswith("reference [2]: not a reference") for m in msgs)
    assert any(m.startswith("reference [4]: not a reference") for m in msgs)
    assert [(r.number, r.filled) for r in garbage.references] == [
        (1, True),
        (2, False),
        (3, True),
        (4, False),
    ]
    # every file without a manifest row is still ingested and said so
    info = [p for p in problems if "no manifest row" in p.message]
    assert {p.file for p in info} == set(files)


def test_manifest_rows_are_used_and_missing_files_reported(tmp_path: Path):
    shutil.copy(CORPUS / GOOD, tmp_path / GOOD)
    (tmp_path / "manifest.csv").write_text(
        "file,title,authors,journal,year,doi,kind,source_url,licence\n"
        f"{GOOD},A title,Ann Author,J Test,2025,10.1/x,full_review,,CC BY 4.0\n"
        "gone.txt,Gone,,,,,,,\n",
        encoding="utf-8",
    )
    sources, problems = discover(tmp_path)
    assert len(sources) == 1 and sources[0].metadata_source == "manifest"
    assert sources[0].title == "A title" and sources[0].licence == "CC BY 4.0"
    assert [p.message for p in problems] == ["listed in manifest.csv but not found"]


def test_manifest_without_required_column_raises(tmp_path: Path):
    (tmp_path / "manifest.csv").write_text("file,title\nx.txt,X\n", encoding="utf-8")
    with pytest.raises(ValueError, match="manifest lacks column"):
        discover(tmp_path)


def test_sniff_and_decode():
    assert sniff_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert sniff_encoding("abc".encode("utf-16")) == "utf-16"
    assert sniff_encoding("abcdef".encode("utf-16-le")) == "utf-16-le"
    with pytest.raises(BinaryContentError):
        sniff_encoding(b"\x00\x01\x02\x03binary\x00")
    assert decode_bytes("café".encode(), "utf-8") == ("café", "utf-8")
    assert decode_bytes("café".encode("latin-1"), "utf-8") == ("café", "cp1252")
    assert decode_bytes(b"\x81\x8d", "utf-8")[1] == "latin-1"


def test_control_bytes_over_five_percent_are_binary():
    ok = b"a" * 95 + b"\x01\x02\x0b\x1c\x7f" + b"\t\n\r\x0c\x1b" * 3  # DEL, tab, ESC: text
    assert sniff_encoding(ok) == "utf-8"
    with pytest.raises(BinaryContentError, match="6 control bytes in the first 100"):
        sniff_encoding(b"a" * 94 + b"\x01\x02\x03\x0e\x0f\x1f")


def test_project_manifest_describes_the_five_documents():
    sources, problems = discover(CORPUS)
    assert len(sources) == 5
    assert all(s.metadata_source == "manifest" and s.title and s.kind for s in sources)
    assert not problems


def test_sub_folders_are_walked_and_named_by_their_path(tmp_path: Path):
    shutil.copy(CORPUS / GOOD, tmp_path / GOOD)
    (tmp_path / "2024" / "march").mkdir(parents=True)
    (tmp_path / "2024" / "march" / "note.txt").write_text("A note\n\nSome text.\n", "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("not a document\n", "utf-8")
    (tmp_path / "2024" / "README.md").write_text("about this folder\n", "utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,authors,journal,year,doi,kind,source_url,licence\n"
        "2024/march/note.txt,A listed note,Ann Author,,2024,,blog_post,,CC BY 4.0\n",
        encoding="utf-8",
    )
    sources, problems = discover(tmp_path)
    assert [s.file for s in sources] == ["004_fca7b6f8e7325ee6.txt", "2024/march/note.txt"]
    note = sources[1]
    assert note.title == "A listed note" and note.metadata_source == "manifest"
    assert not [p for p in problems if p.severity in ("warning", "skipped")]


def test_symlink_loops_and_broken_links_are_reported_not_followed(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("A title\n\nText of a.\n", "utf-8")
    (tmp_path / "sub" / "back").symlink_to(tmp_path)  # a loop to the corpus folder
    (tmp_path / "self").symlink_to(tmp_path / "sub")  # the same folder twice
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    sources, problems = discover(tmp_path)
    assert [s.file for s in sources] == ["sub/a.txt"]  # by its own path, once
    msgs = {p.file: p.message for p in problems if p.severity == "warning"}
    assert msgs == {
        "gone.txt": f"broken symbolic link to {tmp_path / 'nowhere.txt'}; not followed",
        "sub/back": "symbolic link loop: leads back to ./; not followed",
        "self": "the same folder as sub/; not followed",
    }
    assert not [p for p in problems if p.severity == "skipped"]  # no document failed


def test_a_top_level_abstract_folder_is_reserved(tmp_path: Path):
    (tmp_path / "abstract").mkdir()
    (tmp_path / "abstract" / "x.txt").write_text("A title\n\nText.\n", "utf-8")
    sources, problems = discover(tmp_path)
    assert sources == []
    assert any(p.file == "abstract" and "kept for fetched abstracts" in p.message for p in problems)
