"""In-text citation markers -> reference numbers."""

from __future__ import annotations

import pytest

from pipeline.ingest.citations import expand_marker, find_citations


@pytest.mark.parametrize(
    ("inner", "numbers"),
    [
        ("12", [12]),
        ("38,39", [38, 39]),
        ("3–5", [3, 4, 5]),
        ("1,3-5", [1, 3, 4, 5]),
        ("1, 3 – 5, 9", [1, 3, 4, 5, 9]),
        ("6;8", [6, 8]),
        ("5,5", [5]),
    ],
)
def test_expand(inner, numbers):
    assert expand_marker(inner) == numbers


def test_find_in_sentence():
    text = "As shown [12] and [3–5], not [Internet] nor [2000-2100], see [1,3-5]."
    assert find_citations(text) == [("[12]", [12]), ("[3–5]", [3, 4, 5]), ("[1,3-5]", [1, 3, 4, 5])]


def test_backwards_range_is_not_a_citation():
    with pytest.raises(ValueError):
        expand_marker("9-3")
    assert find_citations("a [9-3] b") == []


def test_a_sentence_cites_each_reference_once():
    """ "[3,5] ... [5]" links the sentence to reference 5 once (the KB keys citations so)."""
    from pipeline.ingest import ingest_text
    from pipeline.model import SourceFile

    text = (
        "A title\n\nAbstract\n\nHER2 loss drives resistance [3,5] in several models [5].\n\n"
        "References\n\n3. Doe J. First paper. J Test. 2020;1:1.\n"
        "5. Roe K. Second paper. J Test. 2021;2:2.\n"
    )
    doc = ingest_text(
        SourceFile(path="d.txt", file="d.txt", doc_id="0" * 16, n_bytes=0, encoding="utf-8"), text
    )
    pairs = [(c.sentence_index, c.ref_number) for c in doc.citations]
    assert sorted(pairs) == sorted(set(pairs))
    assert {n for _, n in pairs} == {3, 5}
