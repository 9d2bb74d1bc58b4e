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
