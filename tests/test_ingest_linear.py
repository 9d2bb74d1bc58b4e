"""Ingest is linear in a file's size: the fast token-start search gives what the plain one
gave, on every corpus file and on a long file without tabs (the case that was quadratic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import discover, ingest_document
from pipeline.ingest import sentences as sentences_module
from pipeline.ingest.sentences import last_space, last_space_plain, sentence_spans

ROOT = Path(__file__).resolve().parents[1]
TEXT_DIRS = (ROOT / "corpus", ROOT / "tests" / "gold" / "heldout" / "abstracts")


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for d in TEXT_DIRS for p in sorted(d.glob("*.txt"))]


def test_last_space_equals_the_plain_search_at_every_position() -> None:
    samples = [*_texts()[:3], "no-space-at-all.", "a\tb c\nd.e", "\n\n\t  x", ""]
    for text in samples:
        for pos in range(len(text) + 1):
            assert last_space(text, pos) == last_space_plain(text, pos), (text[:40], pos)


def test_sentence_spans_equal_the_plain_search_on_real_text(monkeypatch) -> None:
    texts = _texts()
    fast = [sentence_spans(t) for t in texts]
    monkeypatch.setattr(sentences_module, "last_space", last_space_plain)
    assert fast == [sentence_spans(t) for t in texts]


@pytest.mark.parametrize("path", sorted((ROOT / "corpus").glob("*.txt")), ids=lambda p: p.name)
def test_ingest_of_corpus_files_is_unchanged_by_the_fast_path(path: Path, monkeypatch) -> None:
    sources, _ = discover(path.parent)
    src = next(s for s in sources if s.file == path.name)
    fast = ingest_document(src)
    monkeypatch.setattr(sentences_module, "last_space", last_space_plain)
    assert ingest_document(src) == fast


def test_a_long_file_without_tabs_scans_each_sentence_locally(monkeypatch) -> None:
    """The plain search scanned back to the file's start for the missing tab at every full
    stop: the characters scanned grew with the square of the size. Counted, not timed."""
    scanned = 0
    real_rfind = str.rfind

    class Counting(str):
        def rfind(self, sub: str, start: int = 0, end: int | None = None) -> int:  # noqa: D102
            nonlocal scanned
            at = real_rfind(self, sub, start, end)
            scanned += (end if end is not None else len(self)) - max(at, start)
            return at

    sentence = "Loss of SLFN11 was seen in 12 of 40 patients, e.g. in Fig. 2 of the study. "
    for n in (200, 800):
        scanned = 0
        text = Counting(sentence * n)
        spans = sentence_spans(text)
        assert len(spans) == n
        per_sentence = scanned / n
        assert per_sentence < 5 * len(sentence), (n, per_sentence)
