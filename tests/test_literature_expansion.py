"""Reference resolution and expansion against local fake Europe PMC / NCBI services."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path

import pytest
from test_literature_http import make_settings
from werkzeug import Request, Response

from pipeline.literature.europepmc import EuropePMC
from pipeline.literature.expansion import expand_references, references_frame
from pipeline.literature.http import PoliteClient
from pipeline.literature.ncbi import NCBI
from pipeline.literature.resolve import resolve_reference
from pipeline.model import Reference

FIX = Path(__file__).parent / "fixtures" / "http"
EPMC = "/europepmc/webservices/rest/search"

EPMC_ROUTES = {
    "PMCID:PMC9000001": "epmc_pmcid_hit.json",
    "EXT_ID:90000002 AND SRC:MED": "epmc_pmid_hit.json",
    'DOI:"10.5555/adcm.0003"': "epmc_doi_hit.json",
    'TITLE:"Resistance to sacituzumab govitecan via TROP2 loss a β catenin dependent mechanism"': (
        "epmc_title_hits.json"
    ),
    'TITLE:"Antibody drug conjugates in breast cancer"': "epmc_title_ambiguous.json",
}


def ref(number, title="", authors="", year="", doi="", pmid="", pmcid="", doc_id="review1"):
    return Reference(
        doc_id=doc_id,
        number=number,
        filled=True,
        raw=title,
        authors=authors,
        title=title,
        journal="",
        year=year,
        volume="",
        issue="",
        pages="",
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
    )


R_PMCID = ref(
    1,
    "A review of the clinical efficacy of FDA-approved antibody-drug conjugates in human cancers",
    "Liu K,Li Y",
    "2024",
    pmcid="PMC9000001",
)
R_PMID = ref(
    2,
    "Lysosomal dysfunction limits payload release from ADCs",
    "Ippolito MR",
    "2021",
    pmid="90000002",
)
R_DOI = ref(3, "", "", "", doi="https://doi.org/10.5555/ADCM.0003")
# Non-ASCII title; the reference spells the authors without diacritics and cites the epub year.
R_TITLE = ref(
    4,
    "Resistance to sacituzumab govitecan via TROP2 loss - a β-catenin-dependent mechanism",
    "Nunez J, Schroder K",
    "2022",
)
R_AMBIGUOUS = ref(5, "Antibody-drug conjugates in breast cancer", "Smith A", "2020")
R_NCBI = ref(
    6,
    "Mechanisms of payload resistance to topoisomerase I inhibitor conjugates",
    "Kovacs E, Park S",
    "2019",
)
R_NOWHERE = ref(7, "A paper no service knows about", "Nobody N", "2018", pmcid="PMC0000000")
R_BARE = ref(8, "", "National Cancer Institute", "2025")
R_WRONG_ID = ref(9, "Kinase signalling in yeast mating", "Liu K", "2024", pmcid="PMC9000001")
ALL = [R_PMCID, R_PMID, R_DOI, R_TITLE, R_AMBIGUOUS, R_NCBI, R_NOWHERE, R_BARE, R_WRONG_ID]


def body(name: str) -> Response:
    mimetype = "text/xml" if name.endswith(".xml") else "application/json"
    return Response((FIX / name).read_text(encoding="utf-8"), mimetype=mimetype)


def install(httpserver, epmc_override=None):
    """Route requests like the real services would, from the recorded-shape fixtures."""

    def epmc(request: Request) -> Response:
        query = request.args["query"]
        if epmc_override and query in epmc_override:
            return epmc_override[query](request)
        return body(EPMC_ROUTES.get(query, "epmc_empty.json"))

    def esearch(request: Request) -> Response:
        hit = "mechanisms of payload resistance" in request.args["term"]
        return body("ncbi_esearch.json" if hit else "ncbi_esearch_empty.json")

    def esummary(request: Request) -> Response:
        if request.args["id"] == "90000005":
            return body("ncbi_esummary.json")
        return Response(
            json.dumps({"header": {}, "result": {"uids": []}}), mimetype="application/json"
        )

    httpserver.expect_request(EPMC).respond_with_handler(epmc)
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_handler(esearch)
    httpserver.expect_request("/eutils/esummary.fcgi").respond_with_handler(esummary)
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        lambda r: body("ncbi_efetch.xml")
    )


def resolve_one(httpserver, tmp_path, reference):
    settings = make_settings(tmp_path, httpserver)
    with PoliteClient(settings) as client:
        return resolve_reference(
            reference,
            EuropePMC(client, settings.europepmc_base_url),
            NCBI(client, settings.ncbi_base_url),
        )


@pytest.mark.parametrize(
    ("reference", "method", "pmid", "pmcid", "doi"),
    [
        (R_PMCID, "pmcid", "90000001", "PMC9000001", "10.5555/adcm.0001"),
        (R_PMID, "pmid", "90000002", "", "10.5555/adcm.0002"),
        (R_DOI, "doi", "90000003", "PMC9000003", "10.5555/adcm.0003"),
        (R_TITLE, "title", "90000004", "", "10.5555/adcm.0004"),
        (R_NCBI, "ncbi", "90000005", "PMC9000005", "10.5555/adcm.0005"),
    ],
)
def test_resolution_by_each_identifier_kind_and_title(
    httpserver, tmp_path, reference, method, pmid, pmcid, doi
):
    install(httpserver)
    r = resolve_one(httpserver, tmp_path, reference)
    assert (r.status, r.method, r.pmid, r.pmcid, r.doi) == ("resolved", method, pmid, pmcid, doi)
    assert r.abstract.startswith(("Synthetic fixture abstract", "Background\nSynthetic", "BACKG"))
    assert (r.doc_id, r.number) == (reference.doc_id, reference.number)


def test_title_match_skips_the_look_alike_and_the_preprint(httpserver, tmp_path):
    install(httpserver)
    r = resolve_one(httpserver, tmp_path, R_TITLE)
    assert r.title.startswith("Resistance to sacituzumab govitecan via TROP2 loss – a β-catenin")
    assert r.authors == "Núñez J; Schröder K" and r.source == "europepmc"


def test_ambiguous_title_is_never_guessed(httpserver, tmp_path):
    install(httpserver)
    r = resolve_one(httpserver, tmp_path, R_AMBIGUOUS)
    assert r.status == "ambiguous" and r.pmid == "" and r.abstract == ""
    assert "2 papers agree" in r.message


def test_empty_results_everywhere_are_unresolved_with_reasons(httpserver, tmp_path):
    install(httpserver)
    r = resolve_one(httpserver, tmp_path, R_NOWHERE)
    assert r.status == "unresolved" and r.pmid == ""
    assert "no record with pmcid PMC0000000" in r.message and "no results" in r.message
    bare = resolve_one(httpserver, tmp_path, R_BARE)
    assert bare.status == "unresolved" and "no identifier and no title" in bare.message


def test_identifier_pointing_to_another_paper_is_not_accepted(httpserver, tmp_path):
    install(httpserver)
    r = resolve_one(httpserver, tmp_path, R_WRONG_ID)
    assert r.status == "unresolved" and r.pmid == ""
    assert "belongs to 'A review of the clinical efficacy" in r.message


def test_expansion_twice_makes_no_second_request(httpserver, tmp_path):
    install(httpserver)
    settings = make_settings(tmp_path, httpserver)
    first = expand_references(ALL, settings)
    n_first = len(httpserver.log)
    assert n_first == first.stats.network_requests > 0
    second = expand_references(ALL, settings)
    assert len(httpserver.log) == n_first  # the server saw nothing new
    assert second.stats.network_requests == 0 and second.stats.cache_hits > 0
    assert second.resolved == first.resolved
    statuses = {r.number: r.status for r in first.resolved}
    assert statuses == {
        1: "resolved",
        2: "resolved",
        3: "resolved",
        4: "resolved",
        5: "ambiguous",
        6: "resolved",
        7: "unresolved",
        8: "unresolved",
        9: "unresolved",
    }
    assert first.problems == []
    assert len(first.documents) == 5  # one per resolved abstract


def test_server_errors_are_recorded_and_nothing_stored_is_lost(httpserver, tmp_path):
    broken = {"EXT_ID:90000002 AND SRC:MED": lambda r: Response("{}", status=500)}
    install(httpserver, epmc_override=broken)
    settings = make_settings(tmp_path, httpserver, http_max_retries=1)
    first = expand_references([R_PMCID, R_PMID], settings)
    by_number = {r.number: r for r in first.resolved}
    assert by_number[1].status == "resolved"
    assert by_number[2].status == "error" and "HTTP 500 after 2 attempts" in by_number[2].message
    assert [p.severity for p in first.problems] == ["warning"]
    assert "reference 2" in first.problems[0].message

    # The service recovers: only the failed reference is asked again, the rest comes from cache.
    httpserver.clear()
    install(httpserver)
    second = expand_references([R_PMCID, R_PMID], settings)
    assert {r.number: r.status for r in second.resolved} == {1: "resolved", 2: "resolved"}
    queries = [req.args.get("query") for req, _ in httpserver.log]
    assert "PMCID:PMC9000001" not in queries and "EXT_ID:90000002 AND SRC:MED" in queries


def test_malformed_json_for_one_reference_is_an_error_not_a_crash(httpserver, tmp_path):
    broken = {
        "PMCID:PMC9000001": lambda r: Response(
            '{"hitCount": 1, "resultList": {', mimetype="application/json"
        )
    }
    install(httpserver, epmc_override=broken)
    result = expand_references([R_PMCID, R_DOI], make_settings(tmp_path, httpserver))
    by_number = {r.number: r for r in result.resolved}
    assert by_number[3].status == "resolved"
    # Europe PMC's answer was unusable; the NCBI fallback found nothing either.
    assert by_number[1].status == "error" and "malformed JSON" in by_number[1].message


def test_offline_mode_resolves_from_cache_and_records_the_rest(httpserver, tmp_path):
    install(httpserver)
    expand_references([R_PMCID], make_settings(tmp_path, httpserver))
    n = len(httpserver.log)
    offline = make_settings(tmp_path, httpserver, offline=True)
    result = expand_references([R_PMCID, R_PMID], offline)
    assert len(httpserver.log) == n
    by_number = {r.number: r for r in result.resolved}
    assert by_number[1].status == "resolved" and by_number[1].pmid == "90000001"
    assert by_number[2].status == "offline" and "offline mode" in by_number[2].message
    assert len(result.problems) == 1 and "1 references not in the HTTP cache" in (
        result.problems[0].message
    )


def test_unreachable_network_is_reported_once_and_the_step_completes(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/"
    settings = replace(
        make_settings(tmp_path), europepmc_base_url=dead + "epmc", ncbi_base_url=dead + "ncbi"
    )
    result = expand_references([R_PMCID, R_PMID, R_TITLE], settings)
    assert [r.status for r in result.resolved] == ["offline"] * 3
    assert result.stats.network_requests == settings.http_max_retries + 1  # one probe, retried
    assert len(result.problems) == 1 and "network unreachable" in result.problems[0].message
    assert result.network_unavailable and result.documents == []


def test_references_frame_joins_parsed_and_resolved(httpserver, tmp_path):
    install(httpserver)
    refs = [R_PMID, R_PMCID, replace(R_BARE, filled=False)]
    result = expand_references(refs, make_settings(tmp_path, httpserver))
    df = references_frame(refs, result.resolved)
    assert list(df["number"]) == [1, 2, 8]
    assert list(df["resolution_status"]) == ["resolved", "resolved", "unresolved"]
    row = df.iloc[0]
    assert (row["pmcid"], row["resolved_pmid"], row["resolution_method"]) == (
        "PMC9000001",
        "90000001",
        "pmcid",
    )
    assert row["abstract_doc_id"] == result.resolved[0].abstract_doc_id != ""
    assert df.iloc[2]["resolution_message"] == "empty slot"


def test_apply_resolution_fills_only_missing_identifiers(httpserver, tmp_path):
    from pipeline.literature.expansion import apply_resolution
    from pipeline.model import DocIngest, Document

    install(httpserver)
    result = expand_references([R_PMCID, R_TITLE], make_settings(tmp_path, httpserver))
    document = Document("review1", "r.txt", "", "", "", "", "", "full_review", "", "", "text", 0, 0)
    doc = DocIngest(document=document, references=[R_PMCID, R_TITLE])
    (enriched,) = apply_resolution([doc], result.resolved)
    by_number = {r.number: r for r in enriched.references}
    assert by_number[1].pmcid == "PMC9000001" and by_number[1].pmid == "90000001"
    assert (by_number[4].pmid, by_number[4].doi) == ("90000004", "10.5555/adcm.0004")
    assert doc.references[1].pmid == ""  # the input is not modified


def test_expand_documents_for_the_flow(httpserver, tmp_path):
    from pipeline.literature import expand_documents
    from pipeline.model import DocIngest, Document

    broken = {"EXT_ID:90000002 AND SRC:MED": lambda r: Response("{}", status=500)}
    install(httpserver, epmc_override=broken)
    settings = make_settings(tmp_path, httpserver, http_max_retries=0)
    document = Document("review1", "r.txt", "", "", "", "", "", "full_review", "", "", "text", 0, 0)
    review = DocIngest(document=document, references=[R_PMCID, R_PMID, R_TITLE])
    out = expand_documents([review], settings)
    assert out[0].document.doc_id == "review1"
    assert [r.pmid for r in out[0].references] == ["90000001", "90000002", "90000004"]
    assert len(out[0].problems) == 1 and "reference 2" in out[0].problems[0].message
    assert [d.document.kind for d in out[1:]] == ["abstract", "abstract"]
