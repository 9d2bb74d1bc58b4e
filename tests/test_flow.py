"""The refresh flow end to end on a tiny corpus: first run, unchanged rerun, add/change/remove,
extraction-version change, a killed run followed by a good one, concurrent runs (Dask:
tests/test_flow_runners.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from pipeline.kb import schema
from pipeline.kb.db import get_engine

pytestmark = pytest.mark.slow

HER2 = """HER2 loss and resistance to trastuzumab emtansine

Loss of HER2 expression confers resistance to trastuzumab emtansine in breast cancer.
Upregulation of ABCB1 confers resistance to trastuzumab emtansine, and inhibition of ABCB1 \
with cyclosporine A restores sensitivity.
"""
SLFN11 = """SLFN11 and sacituzumab govitecan

Loss of SLFN11 expression was associated with resistance to sacituzumab govitecan.
Combining sacituzumab govitecan with the PARP inhibitor olaparib overcomes this resistance.
"""
SLFN11_EDITED = """SLFN11 and sacituzumab govitecan (revised)

Upregulation of BCL2 confers resistance to sacituzumab govitecan in triple-negative breast cancer.
"""
CD30 = """MDR1 and brentuximab vedotin

Inhibition of MDR1 overcomes resistance to brentuximab vedotin in Hodgkin lymphoma.
Downregulation of CD30 confers resistance to brentuximab vedotin.
"""
NECTIN4 = """Nectin-4 and enfortumab vedotin

Loss of NECTIN4 expression confers resistance to enfortumab vedotin in urothelial cancer.
"""


def write_corpus(folder: Path, docs: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_flow(corpus: Path, out: Path, **options) -> dict:
    from flows.adc_flow import adc_refresh

    flow = adc_refresh.with_options(**options) if options else adc_refresh
    return flow(corpus_dir=str(corpus), out_dir=str(out), report=False)


def kb(out: Path):  # noqa: ANN201
    return get_engine(f"sqlite:///{(out / 'kb.sqlite').as_posix()}")


def active_triples(out: Path) -> set[str]:
    t = schema.triples
    with kb(out).connect() as conn:
        return set(conn.scalars(select(t.c.triple_id).where(t.c.retired_in_run.is_(None))))


def assert_exports_match_kb(out: Path) -> None:
    """The exported files are exactly the knowledge base's current content."""
    triples = pd.read_csv(out / "triples.csv", dtype=str, keep_default_na=False)
    evidence = pd.read_csv(out / "evidence.csv", dtype=str, keep_default_na=False)
    assert set(triples["triple_id"]) == active_triples(out)
    with kb(out).connect() as conn:
        n_evidence = conn.scalar(select(func.count()).select_from(schema.evidence))
        doc_ids = set(conn.scalars(select(schema.documents.c.doc_id)))
        # every triple's counts agree with its evidence rows
        t, e = schema.triples, schema.evidence
        counted = dict(
            conn.execute(select(e.c.triple_id, func.count()).group_by(e.c.triple_id)).all()
        )
        stored = dict(
            conn.execute(
                select(t.c.triple_id, t.c.n_evidence).where(t.c.retired_in_run.is_(None))
            ).all()
        )
    assert counted == stored
    assert len(evidence) == n_evidence
    assert set(evidence["doc_id"]) <= doc_ids
    assert (triples["n_evidence"].astype(int) > 0).all()
    assert not (out / ".export-pending.json").exists()


def assert_artifacts_published(summary: dict) -> None:
    """The run's markdown summary and its table of new triples are Prefect artifacts."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    keys = ["adc-refresh-summary", "adc-refresh-new-triples"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    latest = {}
    for a in sorted(artifacts, key=lambda a: a.created):
        latest[a.key] = a
    assert set(latest) == set(keys)
    assert summary["run_id"] in latest["adc-refresh-summary"].data
    assert latest["adc-refresh-new-triples"].type == "table"
    assert str(summary["triples"]["new"]) in latest["adc-refresh-summary"].data


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(
        tmp_path / "corpus", {"her2.txt": HER2, "slfn11.txt": SLFN11, "cd30.txt": CD30}
    )


def test_first_run_then_unchanged_rerun_does_no_work(
    prefect_harness, corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "extracted"
    first = run_flow(corpus, out)
    assert first["status"] == "completed"
    assert first["docs"]["added"] == 3 and first["docs"]["seen"] == 3
    assert first["triples"]["new"] == len(active_triples(out)) > 0
    assert_exports_match_kb(out)
    summary_md = (out / "runs" / f"{first['run_id']}.md").read_text(encoding="utf-8")
    assert "| seen | added |" in summary_md and first["run_id"] in summary_md
    exported = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    assert_artifacts_published(first)

    # The unchanged rerun must not ingest, annotate or extract anything.
    def must_not_run(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("an unchanged document was reprocessed")

    monkeypatch.setattr("pipeline.ingest.ingest_sources", must_not_run)
    monkeypatch.setattr("pipeline.ingest.document.ingest_document", must_not_run)
    monkeypatch.setattr("pipeline.nlp.annotate", must_not_run)
    monkeypatch.setattr("pipeline.extract.extract_claims", must_not_run)
    second = run_flow(corpus, out)
    assert second["status"] == "completed"
    assert second["docs"]["unchanged"] == 3
    assert sum(second["docs"][k] for k in ("added", "changed", "reextracted", "removed")) == 0
    assert second["triples"] == {**first["triples"], "new": 0, "updated": 0, "retired": 0}
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == exported
    # An export file deleted by hand is regenerated, byte-identical, by the next run.
    monkeypatch.undo()
    (out / "evidence.csv").unlink()
    run_flow(corpus, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == exported  # deterministic


def test_add_change_remove_documents(prefect_harness, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "extracted"
    run_flow(corpus, out)
    before = active_triples(out)
    with kb(out).connect() as conn:
        ids = dict(conn.execute(select(schema.documents.c.file, schema.documents.c.doc_id)).all())
    (corpus / "cd30.txt").unlink()
    (corpus / "slfn11.txt").write_text(SLFN11_EDITED, encoding="utf-8")
    (corpus / "nectin4.txt").write_text(NECTIN4, encoding="utf-8")

    summary = run_flow(corpus, out)
    docs = summary["docs"]
    assert (docs["added"], docs["changed"], docs["removed"], docs["unchanged"]) == (1, 1, 1, 1)
    engine = kb(out)
    with engine.connect() as conn:
        files = dict(conn.execute(select(schema.documents.c.file, schema.documents.c.doc_id)).all())
        gone = [ids["cd30.txt"], ids["slfn11.txt"]]
        leftovers = {
            table.name: conn.scalar(
                select(func.count()).select_from(table).where(table.c.doc_id.in_(gone))
            )
            for table in (*schema.DOCUMENT_CONTENT, schema.documents)
        }
        retired = set(
            conn.scalars(
                select(schema.triples.c.triple_id).where(
                    schema.triples.c.retired_in_run == summary["run_id"]
                )
            )
        )
    assert set(files) == {"her2.txt", "slfn11.txt", "nectin4.txt"}
    assert files["slfn11.txt"] != ids["slfn11.txt"]  # the new version replaced the old
    assert set(leftovers.values()) == {0}, leftovers  # old sentences/mentions/evidence gone
    assert retired and retired <= before  # triples only the removed/old texts supported
    assert retired.isdisjoint(active_triples(out))
    assert summary["triples"]["retired"] == len(retired)
    assert summary["triples"]["new"] > 0  # BCL2 / NECTIN4 claims
    assert_exports_match_kb(out)
    evidence = pd.read_csv(out / "evidence.csv", dtype=str, keep_default_na=False)
    assert not set(evidence["doc_id"]) & set(gone)


def test_a_failing_document_is_reported_and_retried_next_run(
    prefect_harness, corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    import pipeline.ingest.document

    real_ingest = pipeline.ingest.document.ingest_document

    def flaky(src):  # noqa: ANN001, ANN202
        if src.file == "slfn11.txt":
            raise ValueError(f"{src.file}: cannot parse (simulated)")
        return real_ingest(src)

    out = tmp_path / "extracted"
    (corpus / "empty.txt").write_bytes(b"")
    monkeypatch.setattr("pipeline.ingest.document.ingest_document", flaky)
    first = run_flow(corpus, out)
    assert first["status"] == "completed with problems"
    assert (first["docs"]["added"], first["docs"]["failed"]) == (3, 2)  # empty.txt + slfn11
    assert any("simulated" in p for p in first["problems"])
    assert any("empty.txt" in p for p in first["problems"])
    assert _processed(out) == 2  # the others are stored; the failed one is not
    monkeypatch.undo()
    second = run_flow(corpus, out)
    assert second["status"] == "completed"
    assert (second["docs"]["added"], second["docs"]["unchanged"]) == (1, 2)  # retried
    assert_exports_match_kb(out)


def test_extraction_version_change_reextracts(
    prefect_harness, corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "extracted"
    first = run_flow(corpus, out)
    monkeypatch.setattr("pipeline.kb.session.extraction_version", lambda *_: "xnew-version")
    second = run_flow(corpus, out)
    assert second["docs"]["reextracted"] == 3
    assert second["triples"]["new"] == 0 and second["triples"]["retired"] == 0
    assert second["triples"]["active"] == first["triples"]["active"]
    with kb(out).connect() as conn:
        versions = set(conn.scalars(select(schema.processed_documents.c.extraction_version)))
    assert versions == {"xnew-version"}


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory) -> Path:
    """One Prefect home for this module's CLI runs: its database is migrated once."""
    return tmp_path_factory.mktemp("prefect-home")


def _run_cli_subprocess(
    corpus: Path, out: Path, tmp_path: Path, home: Path, *options: str
) -> subprocess.Popen:
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "ADCM_KB_BATCH_DOCS": "1",
    }
    env.pop("PREFECT_API_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out),
         "--no-report", *options],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "killed-run.log", "w"),  # noqa: SIM115
    )  # fmt: skip


def kill_and_check_nothing_left(proc: subprocess.Popen, within_s: float = 10.0) -> None:
    """kill -9 of the job alone (not its group): its server, workers and watchdog must be
    gone ``within_s`` later."""
    import psutil

    from flows import orphans

    token = orphans.token_of(proc.pid)
    seen = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + within_s
    while (left := orphans.left_behind(token, seen)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, [" ".join(p.cmdline()[:4]) for p in left]


def _processed(out: Path) -> int:
    """Documents committed so far, read without creating or locking anything."""
    import sqlite3

    path = out / "kb.sqlite"
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM processed_documents").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        conn.close()


def _children_until(proc: subprocess.Popen, ready, timeout_s: float = 180) -> None:
    import psutil

    deadline = time.monotonic() + timeout_s
    while not ready([" ".join(c.cmdline()) for c in psutil.Process(proc.pid).children()]):
        assert proc.poll() is None, (proc.args, proc.returncode)
        assert time.monotonic() < deadline, "the moment to kill never came"
        time.sleep(0.1)


def test_kill_9_while_the_server_starts_leaves_nothing(
    corpus: Path, tmp_path: Path, prefect_home: Path
) -> None:
    proc = _run_cli_subprocess(corpus, tmp_path / "out", tmp_path, prefect_home)
    _children_until(proc, lambda cmds: any("uvicorn" in c for c in cmds))
    kill_and_check_nothing_left(proc)


def test_kill_9_with_dask_workers_then_a_dask_run_leaves_nothing(
    corpus: Path, tmp_path: Path, prefect_home: Path
) -> None:
    import psutil

    from flows import orphans

    out = tmp_path / "out"
    proc = _run_cli_subprocess(corpus, out, tmp_path, prefect_home, "--task-runner", "dask")
    _children_until(proc, lambda cmds: sum("spawn_main" in c for c in cmds) >= 2)
    kill_and_check_nothing_left(proc)
    proc = _run_cli_subprocess(corpus, out, tmp_path, prefect_home, "--task-runner", "dask")
    token = orphans.token_of(proc.pid)
    seen: dict[int, psutil.Process] = {}
    commands: set[str] = set()
    while proc.poll() is None:  # remember every process the run started
        try:
            for child in psutil.Process(proc.pid).children(recursive=True):
                seen[child.pid] = child
                commands.add(" ".join(child.cmdline()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    assert proc.wait() == 0, (tmp_path / "killed-run.log").read_text()
    assert any("spawn_main" in c for c in commands)  # it did start Dask workers
    deadline = time.monotonic() + 10
    while (left := orphans.left_behind(token, seen.values())) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left


def test_killed_run_then_good_run(prefect_harness, tmp_path: Path, prefect_home: Path) -> None:
    from pipeline.commands.cli import main

    texts = [HER2, SLFN11, CD30, NECTIN4, SLFN11_EDITED]
    docs = {f"doc{i:02d}.txt": texts[i % 5] + f"\nCopy {i}.\n" for i in range(24)}
    corpus = write_corpus(tmp_path / "corpus", docs)
    out = tmp_path / "extracted"
    proc = _run_cli_subprocess(corpus, out, tmp_path, prefect_home)
    try:
        deadline = time.monotonic() + 120
        while _processed(out) < 1:
            assert proc.poll() is None, (tmp_path / "killed-run.log").read_text()
            assert time.monotonic() < deadline, "the run never committed a batch"
            time.sleep(0.05)
        # A second run while the first one works is refused, naming the holder.
        assert main(["run", "--corpus", str(corpus), "--out", str(out), "--no-report"]) == 3
    finally:
        if proc.poll() is None:
            kill_and_check_nothing_left(proc)  # mid-way, with its Prefect server running
        proc.wait()
    done_before = _processed(out)
    assert 1 <= done_before < len(docs), "kill -9 came too late to test anything"

    from pipeline.kb.versioning import extraction_version

    extraction_version.cache_clear()  # same code as the killed process: nothing to re-extract
    summary = run_flow(corpus, out)
    assert summary["status"] == "completed"
    assert summary["docs"]["added"] == len(docs) - done_before
    # (re-extracted only if someone edited the extraction code meanwhile)
    assert summary["docs"]["unchanged"] + summary["docs"]["reextracted"] == done_before
    assert _processed(out) == len(docs)
    assert_exports_match_kb(out)
    with kb(out).connect() as conn:
        statuses = dict(conn.execute(select(schema.runs.c.run_id, schema.runs.c.status)).all())
    assert sorted(statuses.values()) == ["aborted", "completed"]


def test_concurrent_run_is_refused(prefect_harness, corpus: Path, tmp_path: Path, capsys) -> None:
    from pipeline.commands.cli import main
    from pipeline.kb.lock import RunLockedError

    out = tmp_path / "extracted"
    url = f"sqlite:///{(out / 'kb.sqlite').as_posix()}"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pipeline.kb.db import get_engine; from pipeline.kb import lock;"
         f"lock.acquire(get_engine({url!r}), 'holder-run', 3600); print('locked', flush=True);"
         "time.sleep(120)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        assert main(["run", "--corpus", str(corpus), "--out", str(out), "--no-report"]) == 3
        assert time.monotonic() - started < 5  # fails fast, before any Prefect work
        err = capsys.readouterr().err
        assert "another run is in progress: run holder-run" in err and f"pid {holder.pid}" in err
        with pytest.raises(RunLockedError, match="holder-run"):
            run_flow(corpus, out)  # the flow itself also refuses (no CLI pre-check)
    finally:
        holder.kill()
        holder.wait()
    assert run_flow(corpus, out)["status"] == "completed"  # dead holder: lock is stale


def test_flow_with_a_postgresql_knowledge_base(
    prefect_harness, pg_database: str, corpus: Path, tmp_path: Path
) -> None:
    from flows.adc_flow import adc_refresh

    out = tmp_path / "extracted"
    first = adc_refresh(corpus_dir=str(corpus), out_dir=str(out), kb_url=pg_database,
                        report=False)  # fmt: skip
    (corpus / "cd30.txt").unlink()
    second = adc_refresh(corpus_dir=str(corpus), out_dir=str(out), kb_url=pg_database,
                         report=False)  # fmt: skip
    assert first["docs"]["added"] == 3 and second["docs"]["removed"] == 1
    assert second["triples"]["retired"] > 0
    assert not (out / "kb.sqlite").exists()  # everything went to PostgreSQL
    engine = get_engine(pg_database)
    t = schema.triples
    with engine.connect() as conn:
        active = set(conn.scalars(select(t.c.triple_id).where(t.c.retired_in_run.is_(None))))
    triples = pd.read_csv(out / "triples.csv", dtype=str, keep_default_na=False)
    assert set(triples["triple_id"]) == active


REVIEW_WITH_REFERENCES = """Resistance to antibody-drug conjugates

Loss of HER2 expression confers resistance to trastuzumab emtansine [1].

References

[1]

Liu K,Li Y.A review of the clinical efficacy of FDA-approved antibody-drug conjugates in human \
cancers.Mol Cancer2024;23:62 PMCID:PMC9000001

[2]

Nobody N.A paper no service knows about.J Nowhere2018;1:1

[3]

Nobody N.Another paper no service knows about.J Nowhere2019;2:3
"""


def _recorded_services(httpserver, monkeypatch) -> list[str]:
    """Europe PMC knowing PMC9000001 and an empty NCBI on ``httpserver``; the queries sent."""
    from werkzeug import Response

    fixture = Path(__file__).parent / "fixtures" / "http" / "epmc_pmcid_hit.json"
    queries: list[str] = []

    def epmc(request):  # noqa: ANN001, ANN202
        queries.append(request.args["query"])
        hit = request.args["query"] == "PMCID:PMC9000001"
        text = (
            fixture.read_text(encoding="utf-8")
            if hit
            else '{"hitCount": 0, "resultList": {"result": []}}'
        )
        return Response(text, mimetype="application/json")

    httpserver.expect_request("/europepmc/webservices/rest/search").respond_with_handler(epmc)
    empty = (fixture.parent / "ncbi_esearch_empty.json").read_text(encoding="utf-8")
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_data(
        empty, content_type="application/json"
    )
    base = httpserver.url_for("/")
    monkeypatch.setenv("ADCM_EXPAND_REFERENCES", "true")
    monkeypatch.setenv("ADCM_EUROPEPMC_BASE_URL", base + "europepmc/webservices/rest")
    monkeypatch.setenv("ADCM_NCBI_BASE_URL", base + "eutils")
    monkeypatch.setenv("ADCM_RATE_LIMIT_PER_S", "100")
    return queries


def test_reference_expansion_adds_abstract_documents_once(
    prefect_harness, httpserver, tmp_path: Path, monkeypatch
) -> None:
    """Issue 6 in the flow: cited abstracts become KB documents; an unchanged rerun asks
    the (local, recorded) services nothing and keeps them."""
    queries = _recorded_services(httpserver, monkeypatch)
    corpus = write_corpus(tmp_path / "corpus", {"review.txt": REVIEW_WITH_REFERENCES})
    out = tmp_path / "extracted"

    first = run_flow(corpus, out)
    assert first["docs"]["added"] == 1 and first["docs"]["abstracts"] == 1
    assert "PMCID:PMC9000001" in queries
    with kb(out).connect() as conn:
        files = set(conn.scalars(select(schema.documents.c.file)))
        pmcids = set(conn.scalars(select(schema.references.c.pmcid)))
    assert "review.txt" in files and any(f.startswith("abstract/") for f in files)
    assert "PMC9000001" in pmcids
    asked = len(queries)
    second = run_flow(corpus, out)
    assert len(queries) == asked  # nothing new to expand: no request at all
    assert second["docs"]["removed"] == 0 and second["docs"]["unchanged"] == 1
    with kb(out).connect() as conn:
        assert set(conn.scalars(select(schema.documents.c.file))) == files


def _expansion_states(out: Path) -> dict[str, str]:
    t = schema.document_expansion
    with kb(out).connect() as conn:
        return dict(conn.execute(select(t.c.doc_id, t.c.state)).all())


def test_expansion_switched_on_later_and_deferred_by_a_dead_service_is_caught_up(
    prefect_harness, httpserver, tmp_path: Path, monkeypatch
) -> None:
    """Issue 18: expansion switched on for an existing knowledge base expands the documents
    stored without it (and says how many); a service answering 500 is given up, the run
    ends "completed with problems", and the next run with the service back finishes."""
    from test_literature_faults import FaultServer

    corpus = write_corpus(
        tmp_path / "corpus", {"review.txt": REVIEW_WITH_REFERENCES, "her2.txt": HER2}
    )
    out = tmp_path / "extracted"
    assert run_flow(corpus, out)["status"] == "completed"  # expansion off
    assert _expansion_states(out) == {}

    dead = FaultServer("500")
    threading.Thread(target=dead.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("ADCM_EXPAND_REFERENCES", "true")
        monkeypatch.setenv("ADCM_HTTP_BACKOFF_S", "0.01")
        for var in ("ADCM_EUROPEPMC_BASE_URL", "ADCM_NCBI_BASE_URL"):
            monkeypatch.setenv(var, dead.url + "/api")
        second = run_flow(corpus, out)
    finally:
        dead.shutdown()
        dead.server_close()
    assert second["docs"]["expanded"] == 1 and second["docs"]["unchanged"] == 1  # her2: no refs
    assert second["status"] == "completed with problems"
    assert any("given up for the rest of the run" in p for p in second["problems"])
    assert any("3 references deferred to the next run" in p for p in second["problems"])
    assert dead.requests == 5
    assert list(_expansion_states(out).values()) == ["partial"]

    queries = _recorded_services(httpserver, monkeypatch)
    third = run_flow(corpus, out)
    assert third["status"] == "completed" and third["docs"]["expanded"] == 1
    assert third["docs"]["abstracts"] == 1 and "PMCID:PMC9000001" in queries
    assert list(_expansion_states(out).values()) == ["complete"]
    asked = len(queries)
    fourth = run_flow(corpus, out)
    assert fourth["docs"]["expanded"] == 0 and len(queries) == asked
