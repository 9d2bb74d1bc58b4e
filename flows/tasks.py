"""Prefect tasks: a few lines each around one ``pipeline`` function.

Only plain records cross a task boundary (``SourceFile``, a batch's knowledge-base rows, the
small ``RunContext``): never a spaCy ``Doc``, an engine or a DataFrame.
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
from pipeline.kb.prepare import DocRows, PreparedBatch
from pipeline.kb.refresh import BatchStats, RefreshPlan
from pipeline.kb.session import RunContext
from pipeline.model import DocIngest, Problem, SourceFile

if TYPE_CHECKING:
    from pipeline.literature.health import ServiceHealth
    from pipeline.literature.watch import WatchResult
    from pipeline.model import ExpansionState

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
def discover_documents(corpus_dir: str, max_bytes: int) -> tuple[list[SourceFile], list[Problem]]:
    from pipeline.ingest import discover

    return discover(Path(corpus_dir), max_bytes=max_bytes)


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


@task(name="process documents", timeout_seconds=3600, **IO_RETRIES, **PLAIN)
def process_documents(
    sources: list[SourceFile],
    settings: Settings,
    already_current: frozenset[str],
    health: ServiceHealth | None,
) -> PreparedBatch:
    """The stage function over one batch of sources (on a Dask worker: the worker's own
    pipeline and pack, loaded once when it joined), returned as the knowledge base's rows
    (:mod:`pipeline.kb.prepare`: made here, not in the flow process that stores them)."""
    from pipeline.batch import process_batch
    from pipeline.kb.prepare import prepare_batch

    return prepare_batch(process_batch(sources, settings, already_current, health))


@task(name="analyse documents", timeout_seconds=3600, **PLAIN)
def analyse_documents(docs: list[DocIngest], settings: Settings) -> PreparedBatch:
    """NER and extraction of documents ingested elsewhere (the literature watch's)."""
    from pipeline.batch import analyse_documents as analyse
    from pipeline.kb.prepare import prepare_batch

    return prepare_batch(analyse(docs, settings))


@task(name="plan expansion", timeout_seconds=300, **IO_RETRIES, **PLAIN)
def plan_expansion(ctx: RunContext, plan: RefreshPlan, files: dict[str, str]) -> RefreshPlan:
    """Unchanged documents never (fully) expanded join the work."""
    from pipeline.kb.db import get_engine
    from pipeline.kb.expansion import plan_expansion as plan_it

    return plan_it(get_engine(ctx.kb_url), plan, files)


@task(name="record expansion", timeout_seconds=300, **DB_RETRIES, **PLAIN)
def record_expansion(ctx: RunContext, states: list[ExpansionState]) -> None:
    from pipeline.kb.db import get_engine
    from pipeline.kb.expansion import record_expansion as record

    record(get_engine(ctx.kb_url), ctx.run_id, states)


@task(name="watch literature", timeout_seconds=3600, **PLAIN)
def watch_literature(settings: Settings, health: ServiceHealth | None = None) -> WatchResult:
    """Papers first published since the last completed watch."""
    from pipeline.literature.watch import watch_literature as watch

    return watch(settings, health=health)


@task(name="mark literature watch done", timeout_seconds=60, **IO_RETRIES, **PLAIN)
def mark_watch_done(settings: Settings, until: str) -> None:
    from datetime import date

    from pipeline.literature.watch import write_last_watch

    write_last_watch(settings, date.fromisoformat(until))


@task(name="store in knowledge base", timeout_seconds=1800, **DB_RETRIES, **PLAIN)
def store_in_kb(ctx: RunContext, results: list[DocRows]) -> BatchStats:
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
    from pipeline.pack import load_pack

    engine = get_engine(ctx.kb_url)
    out = Path(ctx.out_dir)
    if exports_current(engine, out, ctx.run_id, ctx.version):
        log.info("exports in %s already match the knowledge base: not rewritten", out)
        return False
    pack = load_pack(ctx.resources_dir)
    export_from_kb(engine, out, run_id=ctx.run_id, version=ctx.version, pack=pack)
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
