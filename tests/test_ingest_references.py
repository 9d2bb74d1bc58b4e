"""Reference strings of the three corpus styles -> fields; garbage is flagged, not invented."""

from __future__ import annotations

from pipeline.ingest.references import clean_reference_text, parse_reference


def test_glued_web_capture_style():
    p = parse_reference(
        "Saatci Ö,Akbulut Ö.Targeting PLK1 overcomes T-DM1 resistance via CDK1-dependent "
        "phosphorylation and inactivation of Bcl-2/xL in HER2-positive breast cancer."
        "Oncogene2018;37:2251-69"
    )
    assert p.authors == "Saatci Ö,Akbulut Ö"
    assert p.title.startswith("Targeting PLK1 overcomes T-DM1 resistance")
    assert (p.journal, p.year, p.volume, p.pages) == ("Oncogene", "2018", "37", "2251-69")
    assert not p.error


def test_glued_style_group_author_and_question_mark_title():
    p = parse_reference(
        "Wang D,Li Z,Shi C.Current progress and remaining challenges of peptide-drug conjugates "
        "(PDCs): next generation of antibody-drug conjugates (ADCs)?.J Nanobiotechnology2025;"
        "23:305 PMCID:PMC12013038"
    )
    assert p.title.endswith("(ADCs)?")
    assert (p.journal, p.year, p.pmcid) == ("J Nanobiotechnology", "2025", "PMC12013038")


def test_vancouver_style():
    p = parse_reference(
        "Modi S, Jacot W, Yamashita T, et al; DESTINY-Breast04 Trial Investigators. Trastuzumab "
        "deruxtecan in previously treated HER2-low advanced breast cancer. N Engl J Med. "
        "2022;387:9-20. PMCID:PMC12065936"
    )
    assert p.authors == "Modi S, Jacot W, Yamashita T, et al; DESTINY-Breast04 Trial Investigators"
    assert p.title == "Trastuzumab deruxtecan in previously treated HER2-low advanced breast cancer"
    assert (p.journal, p.year, p.volume, p.pages, p.pmcid) == (
        "N Engl J Med",
        "2022",
        "387",
        "9-20",
        "PMC12065936",
    )


def test_markdown_style_with_issue_and_doi_link():
    raw = (
        "Giugliano F, Corti C, Tarantino P, Michelini F, Curigliano G. Bystander effect of "
        "antibody–drug conjugates: fact or fiction? *Curr Oncol Rep*. 2022;24(7):809–817. [DOI](#)"
    )
    p = parse_reference(raw)
    assert p.title == "Bystander effect of antibody–drug conjugates: fact or fiction?"
    assert (p.journal, p.year, p.volume, p.issue, p.pages) == (
        "Curr Oncol Rep",
        "2022",
        "24",
        "7",
        "809–817",
    )
    assert "[DOI]" not in p.clean and "*" not in p.clean


def test_identifiers():
    p = parse_reference(
        "Doe J. A title. J Test. 2020;1:2. doi:10.1000/xyz.123. PMID: 12345678 PMCID:PMC99"
    )
    assert (p.doi, p.pmid, p.pmcid) == ("10.1000/xyz.123", "12345678", "PMC99")


def test_garbage_is_reported_not_invented():
    p = parse_reference("this line is not a reference at all")
    assert p.error and not p.year and not p.journal


def test_clean_reference_text():
    assert (
        clean_reference_text("A. *J X*. 2020. [DOI](#) <https://x.org/a>")
        == "A. J X. 2020. https://x.org/a"
    )


def test_doi_pattern_answers_like_its_regex():
    """``DOI`` skips the regex for a text without "10." and "/", where no DOI can be."""
    from pipeline.ingest.references import DOI

    texts = [
        "doi: 10.1038/s41586-020-2649-2.",
        "see https://doi.org/10.1200/JCO.2020.38.15 and DOI:10.1/x",
        "version 10.2 of a page without a DOI",
        "no identifier at all",
        "",
    ]
    for text in texts:
        guarded, plain = DOI.search(text), DOI.pattern.search(text)
        assert (guarded and guarded.group(0, 1)) == (plain and plain.group(0, 1))
        assert DOI.sub("", text) == DOI.pattern.sub("", text)
    assert DOI.search(texts[0]).group(1) == "10.1038/s41586-020-2649-2."
    assert DOI.search(texts[3]) is None


# -- reference lists in whole documents -------------------------------------------------------

from pipeline.ingest import ingest_text  # noqa: E402
from pipeline.ingest.references import not_a_reference, reference_list  # noqa: E402
from pipeline.model import SourceFile  # noqa: E402

ABSTRACT = (
    "Resistance to trastuzumab deruxtecan in HER2-low breast cancer\n\n"
    "Resistance to antibody-drug conjugates was reviewed across forty studies of HER2-low "
    "disease. It covers antigen loss, drug efflux by ABCB1 and payload resistance, and which "
    "combination strategies restore sensitivity.\n\n"
)


def _ingest(text: str):  # noqa: ANN202
    src = SourceFile(path="x.txt", file="x.txt", doc_id="0" * 16, n_bytes=0, encoding="utf-8")
    return ingest_text(src, text)


def _real(i: int) -> str:
    return f"[{i}]\n\nSmith J{i},Doe K.A real paper number {i}.J Oncol2020;{i}:1-9\n"


def test_lines_numbered_ahead_of_the_list_do_not_replace_real_references():
    garbage = "".join(f"[{i}]\n\nClick here to download figure {i}\n\n" for i in range(1, 11))
    doc = _ingest("A review\n\nBody text.\n\nReferences\n\n" + garbage
                  + "\n".join(_real(i) for i in range(1, 13)))  # fmt: skip
    assert [(r.number, r.filled) for r in doc.references] == [(i, True) for i in range(1, 13)]
    assert all(r.title.startswith("A real paper") for r in doc.references)
    clashes = [p.message for p in doc.problems if "used 2 times" in p.message]
    assert len(clashes) == 10
    assert clashes[0] == (
        "reference number [1] used 2 times: kept the first real reference "
        "'Smith J1,Doe K.A real paper number 1.J Oncol2020;1', ignored "
        "'Click here to download figure 1'"
    )


def test_of_two_real_references_with_one_number_the_first_is_kept():
    doc = _ingest("A review\n\nBody.\n\nReferences\n\n" + _real(1) + _real(2) + _real(3)
                  + "[2]\n\nRoe L,Poe M.A second list's paper.Cancer2019;2:3-4\n")  # fmt: skip
    assert doc.references[1].title == "A real paper number 2"
    assert any("[2] used 2 times" in p.message for p in doc.problems)


def test_slots_with_nothing_but_a_year_and_punctuation_are_not_filled():
    for raw in ("1999;;;;;", "2001. ;", "2015;12(3):45"):
        assert not_a_reference(parse_reference(raw)) == (
            "nothing but a year, numbers and punctuation"
        ), raw
    assert not_a_reference(parse_reference("Smith J. 1999")) == ""
    assert not_a_reference(parse_reference("PMID: 12345678")) == ""
    doc = _ingest("A review\n\nBody.\n\nReferences\n\n[1]\n\n1999;;;;;\n\n" + _real(2) + _real(3))
    assert [(r.number, r.filled) for r in doc.references] == [(1, False), (2, True), (3, True)]


def test_a_documents_doi_comes_from_its_front_matter_only():
    text = (
        "New ADC data\n\ndoi:10.1000/own.doi\n\nCompany X reported that the drug overcame "
        "resistance (see doi:10.1000/in.body).\n\nReferences\n\n"
        "1. Smith J. A paper. J Oncol. 2020;1:1-9. doi:10.1000/cited\n"
    )
    assert _ingest(text).document.doi == "10.1000/own.doi"
    no_front = text.replace("doi:10.1000/own.doi\n\n", "")
    assert _ingest(no_front).document.doi == ""  # neither the body's nor a reference's


def test_references_under_a_plain_abstract_are_a_list_not_sentences():
    for refs in (
        "References\n\n1. Smith J. A paper. J Oncol. 2020;1:1-9.\n2. Doe K. Another. Cancer. "
        "2019;2:3-4.\n",
        "References\n\n1. Smith J. A paper. J Oncol. 2020;1:1-9.\n2. Doe K. Another. Cancer. "
        "2019;2:3-4.\n3. Roe L. Third. Nature. 2018;3:5-6.\n",  # chosen as a full review
        "References\nSmith J. A paper. J Oncol. 2020;1:1-9.\nDoe K. Another. Cancer. 2019;2:3-4.\n",
    ):
        doc = _ingest(ABSTRACT + refs)
        kinds = {(s.section, s.kind) for s in doc.sentences}
        assert ("References", "body") not in kinds, refs
        assert any(s.kind in ("body", "abstract") and "forty studies" in s.text
                   for s in doc.sentences), refs  # fmt: skip
        assert [r.title for r in doc.references][:2] == ["A paper", "Another"], refs
        assert all(r.filled for r in doc.references)


def test_reference_list_numbers():
    slots = reference_list(["[3] A. 2020.", "", "4) B. 2021.", "C. 2022.", "7. D. 2023."])
    assert [(s.number, s.raw) for s in slots] == [
        (3, "A. 2020."), (4, "B. 2021."), (5, "C. 2022."), (7, "D. 2023.")
    ]  # fmt: skip
