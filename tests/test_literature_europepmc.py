"""Europe PMC and NCBI parsers on recorded-shape bodies, and cursor paging over a local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_literature_http import make_settings
from werkzeug import Request, Response

from pipeline.literature.europepmc import EuropePMC, parse_result, query_title, since_clause
from pipeline.literature.http import BadResponse, PoliteClient
from pipeline.literature.ncbi import NCBI, parse_docsum, parse_efetch_abstracts
from pipeline.literature.paper import plain_text

FIX = Path(__file__).parent / "fixtures" / "http"


def load(name: str):
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def test_parse_core_result_identifiers_metadata_and_plain_abstract():
    paper = parse_result(load("epmc_pmcid_hit.json")["resultList"]["result"][0])
    assert (paper.pmid, paper.pmcid, paper.doi) == ("90000001", "PMC9000001", "10.5555/adcm.0001")
    assert paper.authors == ("Liu K", "Li M", "Li Y")
    assert paper.journal == "Molecular cancer" and paper.year == "2024"
    assert paper.first_publication_date == "2024-03-25"
    assert "<i>" not in paper.abstract and "<h4>" not in paper.abstract
    assert "in vitro (p<0.05)" in paper.abstract  # tags gone, entity decoded
    assert paper.abstract.startswith("Background\nSynthetic fixture abstract.")
    assert not paper.is_preprint


def test_parse_preprint_and_doi_normalisation():
    results = load("epmc_title_hits.json")["resultList"]["result"]
    preprint = parse_result(results[1])
    assert preprint.is_preprint and preprint.pmid == "" and preprint.journal == "bioRxiv"
    doi_hit = parse_result(load("epmc_doi_hit.json")["resultList"]["result"][0])
    assert doi_hit.doi == "10.5555/adcm.0003"  # upper-case in the response, normalised


def test_plain_text_keeps_headings_on_their_own_line():
    assert plain_text("<h4>Aim</h4>To test &amp; see.<h4>Results</h4>It <b>worked</b>.") == (
        "Aim\nTo test & see.\nResults\nIt worked."
    )


def test_query_builders_drop_syntax_characters():
    assert query_title('ADCs: "the (next) wave" [review]') == 'TITLE:"ADCs the next wave review"'
    assert since_clause("adc", "2026-01-01", "2026-02-01") == (
        "(adc) AND FIRST_PDATE:[2026-01-01 TO 2026-02-01]"
    )


def test_cursor_paging_follows_next_cursor_mark(httpserver, tmp_path):
    pages = {
        "*": "epmc_watch_page1.json",
        "AoJwatchcursor2": "epmc_watch_page2.json",
        "AoJwatchcursor3": "epmc_watch_page3.json",
    }

    def handler(request: Request) -> Response:
        assert request.args["format"] == "json" and request.args["resultType"] == "core"
        body = (FIX / pages[request.args["cursorMark"]]).read_text(encoding="utf-8")
        return Response(body, mimetype="application/json")

    httpserver.expect_request("/europepmc/webservices/rest/search").respond_with_handler(handler)
    settings = make_settings(tmp_path, httpserver)
    with PoliteClient(settings) as client:
        epmc = EuropePMC(client, settings.europepmc_base_url)
        got = list(epmc.iter_search("q", page_size=2, max_records=100))
    assert [len(p.papers) for p in got] == [2, 2, 1]
    assert [r.args["cursorMark"] for r, _ in httpserver.log] == ["*", *list(pages)[1:]]
    assert [r.args["pageSize"] for r, _ in httpserver.log] == ["2", "2", "2"]


def test_paging_stops_at_max_records(httpserver, tmp_path):
    httpserver.expect_request("/europepmc/webservices/rest/search").respond_with_data(
        (FIX / "epmc_watch_page1.json").read_text(encoding="utf-8"), content_type="application/json"
    )
    settings = make_settings(tmp_path, httpserver)
    with PoliteClient(settings) as client:
        got = list(EuropePMC(client, settings.europepmc_base_url).iter_search("q", 2, 2))
    assert len(got) == 1 and len(httpserver.log) == 1


def test_error_object_in_http_200_is_a_bad_response(httpserver, tmp_path):
    httpserver.expect_request("/europepmc/webservices/rest/search").respond_with_json(
        load("epmc_error_200.json")
    )
    settings = make_settings(tmp_path, httpserver)
    with PoliteClient(settings) as client:
        epmc = EuropePMC(client, settings.europepmc_base_url)
        with pytest.raises(BadResponse, match="Invalid page size"):
            epmc.search("q", page_size=5000)
        with pytest.raises(BadResponse):
            epmc.search("q", page_size=5000)
    assert len(httpserver.log) == 2  # the error answer was not served from the cache


def test_empty_result_is_an_empty_page(httpserver, tmp_path):
    httpserver.expect_request("/europepmc/webservices/rest/search").respond_with_json(
        load("epmc_empty.json")
    )
    settings = make_settings(tmp_path, httpserver)
    with PoliteClient(settings) as client:
        page = EuropePMC(client, settings.europepmc_base_url).search("PMCID:PMC0000000")
    assert page.hit_count == 0 and page.papers == []


def test_ncbi_docsum_and_efetch_parsers():
    doc = load("ncbi_esummary.json")["result"]["90000005"]
    paper = parse_docsum(doc)
    assert (paper.pmid, paper.pmcid, paper.doi) == ("90000005", "PMC9000005", "10.5555/adcm.0005")
    assert paper.authors[0] == "Kovács E" and paper.year == "2019"
    abstracts = parse_efetch_abstracts((FIX / "ncbi_efetch.xml").read_text(encoding="utf-8"))
    assert abstracts["90000005"].startswith("BACKGROUND\nSynthetic fixture abstract. SLFN11 loss")
    assert "topoisomerase I inhibitor payloads" in abstracts["90000005"]
    with pytest.raises(BadResponse, match="malformed XML"):
        parse_efetch_abstracts("<PubmedArticleSet><PubmedArticle>")


def test_ncbi_calls_carry_tool_email_and_json_mode(httpserver, tmp_path):
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_json(load("ncbi_esearch.json"))
    settings = make_settings(tmp_path, httpserver, ncbi_api_key="SECRET")
    with PoliteClient(settings) as client:
        ids = NCBI(client, settings.ncbi_base_url, settings.ncbi_api_key).esearch("x[ti]")
    assert ids == ["90000005"]
    args = httpserver.log[0][0].args
    assert args["tool"] == "adc-resistance-miner" and args["email"] == "tester@example.org"
    assert args["retmode"] == "json" and args["db"] == "pubmed" and args["api_key"] == "SECRET"
