"""Shared fixtures: ONE Prefect test harness per session, PostgreSQL URL, KB record builders."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

PG_ENV = "ADCM_TEST_PG_URL"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's ephemeral test server, started once (~8 s) for every flow test, with the
    main job's start-up limit and one retry; it dies with pytest, also on kill -9."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.testing.utilities import prefect_test_harness

    from flows import orphans
    from flows.hosted import retry_start

    orphans.arm()
    with ExitStack() as stack:

        def start(limit: int) -> None:
            stack.enter_context(prefect_test_harness(server_startup_timeout=limit))

        def stop() -> None:  # a failed harness leaves its server registered under None
            failed = SubprocessASGIServer._instances.pop(None, None)
            if failed is not None:
                failed.stop()

        retry_start(start, stop, "Prefect's test server")
        yield


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL server tests may use (``ADCM_TEST_PG_URL``), or skip saying why."""
    url = os.environ.get(PG_ENV, "")
    if not url:
        reason = f"{PG_ENV} is not set: no PostgreSQL server for the knowledge-base tests"
        print(f"\nSKIP postgres: {reason}")
        pytest.skip(reason)
    return url


def _fresh_pg_database(server_url: str) -> tuple[str, object]:
    """Create an empty database on the server; return its URL and a drop function."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"adcm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    from pipeline.kb.db import get_engine

    url, drop = _fresh_pg_database(pg_url)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        get_engine.cache_clear()
        drop()  # type: ignore[operator]


@pytest.fixture(params=["sqlite", "postgresql"])
def kb_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty knowledge base: an SQLite file, and a fresh PostgreSQL database if available."""
    from pipeline.kb.db import get_engine

    if request.param == "postgresql":
        yield request.getfixturevalue("pg_database")
        return
    url = f"sqlite:///{(tmp_path / 'kb.sqlite').as_posix()}"
    yield url
    get_engine(url).dispose()


@pytest.fixture(scope="session")
def read_text():
    """A function: plain text (a title line, a blank line, the abstract; or any document
    text) -> its claims, through ingest, NER (knowledge pack and rules, no statistical
    model, so the result does not depend on what is installed) and extraction."""
    import hashlib

    from pipeline.extract import extract_claims
    from pipeline.ingest.document import ingest_text
    from pipeline.model import SourceFile
    from pipeline.nlp import annotate
    from pipeline.pack import load_pack

    pack = load_pack()

    def run(text: str, file: str = "abstract.txt"):
        doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        src = SourceFile(file, file, doc_id, len(text.encode("utf-8")), "utf-8")
        doc = ingest_text(src, text)
        mentions = annotate([doc], pack, "none")[doc_id]
        return extract_claims(doc, mentions, pack)

    return run


@pytest.fixture(scope="session")
def read_keys(read_text):
    """A function: text -> {(drug, mechanism category, mechanism entity, strategy category,
    negated)} of its claims, optionally only those of sentences containing ``where``."""

    def run(text: str, where: str = "", file: str = "abstract.txt"):
        return {
            (
                c.triple.drug,
                c.triple.mechanism_category,
                c.triple.mechanism_entity,
                c.triple.strategy_category,
                c.evidence.negated,
            )
            for c in read_text(text, file)
            if where in c.evidence.sentence
        }

    return run
