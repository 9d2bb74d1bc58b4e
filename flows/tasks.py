"""Prefect tasks: a few lines each around one ``pipeline`` function.

Only plain records cross a task boundary (``SourceFile``, ``DocIngest``, ``Mention``,
``Claim``, the small ``RunContext``): never a spaCy ``Doc``, an engine or a DataFrame.
Caching is *not* Prefect's: the knowledge base records which document (content hash)
it extracted with which extraction version, so tasks use ``NO_CACHE`` and do not
persist results.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.states import State
from sqlalchemy.exc import OperationalError

from pipeline.config import Settings
from pipeline.kb.refresh import BatchStats, DocResult, RefreshPlan
from pipeline.kb.session import RunContext
from pipeline.model import Claim, DocIngest, Mention, Problem, SourceFile

if TYPE_CHECKING:
    from pipeline.literature.watch import WatchResult

log = logging.getLogger(__name__)


def retry_on_io_error(_task: object, _task_run: object, state: State) -> bool:
    """Retry what a second attempt can fix (file system, database connection), not bugs."""
    try:
        state.result()
    except (OSError, OperationalError, TimeoutError):
        return True
    except Exception:  # noqa: BLE001 - anything else: a retry would fail the same way
        return False
    return False


PLAIN = {"cache_policy": NO_CACHE, "persist_result": False}
IO_RETRIES = {"retries": 2, "retry_delay_seconds": 2, "retry_condition_fn": retry_on_io_error}
DB_RETRIES = {"retries": 3, "retry_delay_seconds": 5, "retry_condition_fn": retry_on_io_error}


@task(name="discover documents", timeout_seconds=300, **IO_RETRIES, **PLAIN)
def discover_documents(corpus_dir: str) -> tuple[list[SourceFile], list[Problem]]:
    from pipeline.ingest import discover

    return discover(Path(corpus_dir))


@task(name="plan refresh", timeout_seconds=300, **IO_RETRIES, **PLAIN)
def plan_refresh(
    ctx: RunContext, sources: list[SourceFile], problems: list[Problem]
) -> RefreshPlan:
    from pipeline.kb.db import get_engine
    from pipeline.kb.refresh import plan_refresh as plan
    from pipeline.kb.refresh import seen_documents

    current = {s.doc_id: s.file for s in sources}
    # A file discover skipped (unreadable, empty, binary) keeps its previous data; a
    # duplicate of another file is not a failure.
    failed = {p.file for p in problems if p.severity == "skipped" and p.doc_id not in current}
    return plan(current, seen_documents(get_engine(ctx.kb_url)), ctx.version, failed)


@task(name="ingest document", timeout_seconds=600, **IO_RETRIES, **PLAIN)
def ingest_document(src: SourceFile) -> DocIngest:
    from pipeline.ingest import ingest_document as ingest

    return ingest(src)


@task(name="ingest documents", timeout_seconds=1800, **IO_RETRIES, **PLAIN)
def ingest_documents(srcs: list[SourceFile]) -> list[DocIngest | Problem]:
    """A batch in one task (a task run costs ~50 ms of orchestration, more than ingesting
    an abstract). A document whose ingest raises becomes its Problem, as its own task's
    failure would; an I/O error fails the whole task, which is retried."""
    from pipeline.ingest import ingest_document as ingest

    out: list[DocIngest | Problem] = []
    for src in srcs:
        try:
            out.append(ingest(src))
        except (OSError, TimeoutError):
            raise
        except Exception as exc:  # noqa: BLE001 - skipped and reported, like a failed task
            out.append(Problem("ingest", src.file, src.doc_id, "skipped", repr(exc)))
    return out


@task(name="expand references", timeout_seconds=3600, **PLAIN)
def expand_references(settings: Settings, docs: list[DocIngest]) -> list[DocIngest]:
    """Issue 6: references gain resolved ids; abstracts of cited papers become documents."""
    from pipeline.literature import expand_documents

    return expand_documents(docs, settings)


@task(name="watch literature", timeout_seconds=3600, **PLAIN)
def watch_literature(settings: Settings) -> WatchResult:
    """Issue 6: papers first published since the last completed watch."""
    from pipeline.literature.watch import watch_literature as watch

    return watch(settings)


@task(name="mark literature watch done", timeout_seconds=60, **IO_RETRIES, **PLAIN)
def mark_watch_done(settings: Settings, until: str) -> None:
    from datetime import date

    from pipeline.literature.watch import write_last_watch

    write_last_watch(settings, date.fromisoformat(until))


@task(name="annotate documents", timeout_seconds=3600, **PLAIN)
def annotate_documents(docs: list[DocIngest], settings: Settings) -> dict[str, list[Mention]]:
    from pipeline.nlp import annotate
    from pipeline.pack import load_pack

    return annotate(
        docs,
        load_pack(settings.resources_dir),
        settings.spacy_model,
        batch_size=settings.batch_size,
        n_process=settings.n_process,
    )


@task(name="extract triples", timeout_seconds=3600, **PLAIN)
def extract_triples(
    docs: list[DocIngest], mentions: dict[str, list[Mention]], settings: Settings
) -> dict[str, list[Claim]]:
    from pipeline.extract import extract_claims
    from pipeline.pack import load_pack
    from pipeline.runner.gc_freeze import freeze_loaded_once

    pack = load_pack(settings.resources_dir)
    ids = [d.document.doc_id for d in docs]
    claims = {
        i: extract_claims(d, mentions.get(i, []), pack) for i, d in zip(ids, docs, strict=True)
    }
    freeze_loaded_once()  # after the first batch every table is loaded (pipeline.runner.gc_freeze)
    return claims


@task(name="store in knowledge base", timeout_seconds=1800, **DB_RETRIES, **PLAIN)
def store_in_kb(ctx: RunContext, results: list[DocResult]) -> BatchStats:
    from pipeline.kb.db import get_engine
    from pipeline.kb.refresh import store_batch

    return store_batch(get_engine(ctx.kb_url), ctx.run_id, ctx.version, results)


@task(name="remove documents from knowledge base", timeout_seconds=1800, **DB_RETRIES, **PLAIN)
def remove_from_kb(ctx: RunContext, plan: RefreshPlan) -> BatchStats:
    from pipeline.kb.db import get_engine
    from pipeline.kb.refresh import apply_renames, remove_documents

    engine = get_engine(ctx.kb_url)
    apply_renames(engine, ctx.run_id, plan.renamed)
    return remove_documents(engine, ctx.run_id, plan.removed)


@task(name="record problems", timeout_seconds=300, **IO_RETRIES, **PLAIN)
def record_problems(ctx: RunContext, problems: list[Problem]) -> None:
    from pipeline.kb.db import get_engine
    from pipeline.kb.refresh import record_problems as record

    record(get_engine(ctx.kb_url), ctx.run_id, problems)


@task(name="export tables", timeout_seconds=1800, **IO_RETRIES, **PLAIN)
def export_tables(ctx: RunContext) -> bool:
    """Regenerate the exports from the KB; False when they already match its state."""
    from pipeline.kb.db import get_engine
    from pipeline.kb.export import export_from_kb, exports_current

    engine = get_engine(ctx.kb_url)
    out = Path(ctx.out_dir)
    if exports_current(engine, out, ctx.run_id):
        log.info("exports in %s already match the knowledge base: not rewritten", out)
        return False
    export_from_kb(engine, out, run_id=ctx.run_id)
    return True


@task(name="build report", timeout_seconds=1800, retries=1, **PLAIN)
def build_report(ctx: RunContext) -> str:
    """The HTML report, built from the fresh exports."""
    from pipeline.report import build_report as build
    from pipeline.report import load_tables

    out = Path(ctx.out_dir)
    return str(build(load_tables(out), out, run_label=ctx.run_id))


@task(name="publish summary", timeout_seconds=120, **PLAIN)
def publish_summary(ctx: RunContext, markdown: str) -> None:
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    from pipeline.kb.db import get_engine
    from pipeline.kb.runs import new_triples

    create_markdown_artifact(markdown, key="adc-refresh-summary", description="refresh summary")
    rows = new_triples(get_engine(ctx.kb_url), ctx.run_id)
    create_table_artifact(
        rows or [{"triple_id": "", "drug": "(no new triples in this run)"}],
        key="adc-refresh-new-triples",
        description=f"triples first seen in run {ctx.run_id}",
    )
