"""Title / year / first-author agreement: what counts as the cited paper."""

from __future__ import annotations

from pipeline.literature.matching import (
    first_author_surname,
    match_by_title,
    normalise_text,
    surnames_agree,
    title_similarity,
)
from pipeline.literature.paper import Paper


def paper(title, authors=("Smith A",), year="2020", fpd="", pid="1", preprint=False) -> Paper:
    return Paper(
        source="europepmc",
        record_id=pid,
        pmid=pid,
        title=title,
        authors=tuple(authors),
        year=year,
        first_publication_date=fpd,
        is_preprint=preprint,
    )


def test_normalise_text_handles_dashes_diacritics_case_and_greek():
    assert normalise_text("Antibody\u2012Drug  Conjugates: Müller’s β-Catenin") == (
        "antibody drug conjugates muller s β catenin"
    )
    assert normalise_text("Straße") == "strasse"


def test_title_similarity_tolerates_punctuation_not_different_words():
    a = "A review of the clinical efficacy of FDA-approved antibody‒drug conjugates in cancers."
    assert (
        title_similarity(
            a,
            "A review of the clinical efficacy of FDA approved antibody-drug conjugates in cancers",
        )
        == 1.0
    )
    assert (
        title_similarity(
            "Resistance to T-DM1 in HER2+ breast cancer",
            "Resistance to T-DXd in HER2-low gastric cancer",
        )
        < 0.9
    )


def test_first_author_surname_from_reference_and_service_formats():
    assert first_author_surname("Abuhelwa Z,Nagasaka M") == "abuhelwa"
    assert first_author_surname("von Minckwitz G, Huang CS, et al.") == "von minckwitz"
    assert first_author_surname(("Núñez J", "Schröder K")) == "nunez"
    assert first_author_surname("Hung M-C; Hsu JL") == "hung"
    assert first_author_surname("Geyer CE Jr, Untch M, et al; KATHERINE Investigators") == "geyer"
    assert first_author_surname("") == ""
    assert surnames_agree("von minckwitz", "minckwitz")
    assert not surnames_agree("li", "liu")


def test_match_requires_title_year_and_first_author():
    title = "Trastuzumab deruxtecan in HER2-low breast cancer"
    good = paper(title, ("Modi S", "Jacot W"), "2022", pid="10")
    assert match_by_title(title, "2022", "Modi S, Jacot W", [good]).paper == good
    wrong_year = match_by_title(title, "2019", "Modi S", [good])
    assert wrong_year.status == "unresolved" and "year 2019" in wrong_year.message
    wrong_author = match_by_title(title, "2022", "Jacot W", [good])
    assert wrong_author.status == "unresolved"
    similar = paper("Trastuzumab deruxtecan in HER2-low gastric cancer", ("Modi S",), "2022")
    assert match_by_title(title, "2022", "Modi S", [similar]).status == "unresolved"


def test_epublication_year_counts_as_the_papers_year():
    p = paper("Some title about ADC resistance", ("Lee K",), year="2023", fpd="2022-12-20")
    assert match_by_title("Some title about ADC resistance", "2022", "Lee K", [p]).paper == p


def test_two_agreeing_papers_are_ambiguous_but_a_preprint_twin_is_not():
    t = "Antibody-drug conjugates in breast cancer"
    one, two = paper(t, pid="1"), paper(t, pid="2")
    outcome = match_by_title(t, "2020", "Smith A", [one, two])
    assert outcome.status == "ambiguous" and outcome.paper is None
    pre = paper(t, pid="PPR1", preprint=True)
    assert match_by_title(t, "2020", "Smith A", [pre, one]).paper == one


def test_missing_metadata_or_results_is_unresolved_with_a_reason():
    assert "lacks year" in match_by_title("A title", "", "Smith A", []).message
    assert "lacks author" in match_by_title("A title", "2020", "", []).message
    assert match_by_title("A title", "2020", "Smith A", []).message == "title search: no results"
