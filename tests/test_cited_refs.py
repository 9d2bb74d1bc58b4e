"""The cited_refs format: what extraction writes, assembly and the report read back."""

from __future__ import annotations

from pipeline.cited_refs import CitedRef, format_ref, paper_keys, parse_cited_refs


def test_format_then_parse_round_trips():
    cell = "; ".join(
        [
            format_ref(12, doi="10.1000/XYZ", pmcid="PMC123"),
            format_ref(3, pmid="456"),
            format_ref(7),
        ]
    )
    assert parse_cited_refs(cell) == [
        CitedRef(12, doi="10.1000/XYZ", pmcid="PMC123"),
        CitedRef(3, pmid="456"),
        CitedRef(7),
    ]


def test_paper_keys_prefer_doi_then_pmid_then_pmcid_else_the_slot():
    cell = "; ".join(
        [
            format_ref(1, doi="https://doi.org/10.1000/ABC", pmid="9"),
            format_ref(2, pmid="9", pmcid="PMC5"),
            format_ref(3, pmcid="5"),
            format_ref(4),
        ]
    )
    assert paper_keys("d1", cell) == {"doi:10.1000/abc", "pmid:9", "pmcid:PMC5", "ref:d1#4"}
    # the same paper cited from two documents counts once; empty slots stay per document
    assert paper_keys("d2", format_ref(8, doi="10.1000/abc")) <= paper_keys("d1", cell)
    assert paper_keys("d2", format_ref(4)) == {"ref:d2#4"}
