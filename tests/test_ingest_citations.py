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
