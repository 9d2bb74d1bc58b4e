"""The refresh flow: keep the knowledge base current with the corpus, then re-export.

    discover -> plan (what changed) -> per batch of new/changed documents: the stage
    function (ingest, expand references when enabled, annotate, extract) as one task,
    then the batch's knowledge-base transaction -> literature watch (when enabled) ->
    remove deleted documents -> export tables from the KB -> report -> summary

The work lives in ``pipeline/`` (:func:`pipeline.batch.process_batch`, the function
``extract`` runs too); the flow adds batching, retries, one knowledge-base transaction per
batch and the artifacts. Batches are submitted ahead of the one being stored, so the
workers (threads here, or Dask workers: ``flows.runners``) never wait for the database.
Incremental: only documents whose content hash or extraction version changed are
processed (:mod:`pipeline.kb.refresh`); an unchanged corpus goes straight to export.
Runs in Prefect's ephemeral mode when no ``PREFECT_API_URL`` is set.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger
from prefect.futures import PrefectFuture, PrefectFutureList
from prefect.runtime import flow_run
from prefect.utilities.annotations import opaque, quote
from sqlalchemy.engine import make_url

from flows.runners import BatchDaskTaskRunner, task_runner_for
from flows.tasks import (
    analyse_documents,
    build_report,
    discover_documents,
    export_tables,
    mark_watch_done,
    plan_expansion,
    plan_refresh,
    process_documents,
    publish_summary,
    record_expansion,
    record_problems,
    remove_from_kb,
    store_in_kb,
    watch_literature,
)
from pipeline.config import Settings
from pipeline.kb.prepare import DocRows, PreparedBatch
from pipeline.kb.refresh import DERIVED_PREFIX, RefreshPlan, WorkItem, derived_work
from pipeline.kb.session import RunContext, close_run, open_run, summary_path
from pipeline.kb.summary import RunSummary, note_plan
from pipeline.literature.health import ServiceHealth
from pipeline.model import Problem, SourceFile

T = TypeVar("T")
log = logging.getLogger(__name__)

__all__ = ["adc_refresh", "task_runner_for"]


def run_settings(corpus_dir: str, out_dir: str, kb_url: str) -> Settings:
    """The run's settings: ``ADCM_*`` over the defaults, then the flow's parameters (a
    deployment's run starts here; the CLI passes the same values as parameters)."""
    cache = None if os.environ.get("ADCM_HTTP_CACHE_PATH") else Path(out_dir) / "http_cache.sqlite"
    return Settings.from_env(corpus_dir=Path(corpus_dir), out_dir=Path(out_dir),
                             kb_url=kb_url or None, http_cache_path=cache)  # fmt: skip


@contextmanager
def timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - start


def batches(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), max(1, size)):
        yield list(items[i : i + max(1, size)])


def current_task_runner() -> Any:
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return context.task_runner if context is not None else None


def not_walked(value: Any) -> Any:
    """A task argument Prefect passes without walking into it looking for futures: every
    sentence and mention of a batch was visited, a fifth of a flow run's time (py-spy).
    ``quote`` for values, ``opaque`` for futures (resolved, then not walked)."""
    if isinstance(value, PrefectFutureList):
        return opaque(value)
    return quote(value)


def submitted(value: Any) -> Any:
    """:func:`not_walked` for an argument of a submitted task, which on Dask goes as it is
    (there the wrapper reached the task as a plain tuple; the batch's sources are small)."""
    return value if isinstance(current_task_runner(), BatchDaskTaskRunner) else not_walked(value)


def in_order(
    submit: Callable[[T], PrefectFuture], units: Iterable[T], ahead: int
) -> Iterator[tuple[T, Any]]:
    """``(unit, result or exception)`` for each unit, in order. ``ahead`` units run while
    the caller handles a result: the next one is submitted as soon as a result is in, so
    the workers keep busy while it is stored, and no more than ``ahead`` run at once."""
    todo = iter(units)
    pending: deque[tuple[T, PrefectFuture]] = deque()
    for unit in itertools.islice(todo, max(1, ahead)):
        pending.append((unit, submit(unit)))
    while pending:
        unit, future = pending.popleft()
        result = future.result(raise_on_failure=False)
        for following in itertools.islice(todo, 1):
            pending.append((following, submit(following)))
        yield unit, result


def release_workers() -> None:
    """A temporary Dask cluster ends once the batches are done (nothing after them is
    submitted: the rest of the flow runs in this process)."""
    runner = current_task_runner()
    if isinstance(runner, BatchDaskTaskRunner):
        runner.release()


def batches_ahead() -> int:
    """Batches in flight beyond the one being stored: two per Dask worker, else one."""
    runner = current_task_runner()
    return 2 * runner.n_workers() if isinstance(runner, BatchDaskTaskRunner) else 1


def process_sources(
    sources: list[SourceFile],
    settings: Settings,
    skip: frozenset[str],
    health: ServiceHealth,
    failures: list[Problem],
) -> Iterator[PreparedBatch]:
    """The stage function over ``sources`` in batches of ``kb_batch_docs``, one task each.

    A source that cannot be ingested is a failure of its own. A batch whose task fails
    (after its retries) is run again one document per task, so that one bad document
    fails alone. ``health`` (the run's HTTP breakers and budget) is shared by the batches
    on this process's threads; a Dask worker keeps its own per batch.
    """
    if not sources:
        return  # and no cluster started
    shared = None if isinstance(current_task_runner(), BatchDaskTaskRunner) else health

    def submit(batch: list[SourceFile]) -> PrefectFuture:
        return process_documents.submit(
            submitted(batch), settings, submitted(skip), submitted(shared)
        )

    units = batches(sources, settings.kb_batch_docs)
    for batch, result in in_order(submit, units, batches_ahead()):
        if isinstance(result, BaseException) and len(batch) > 1:
            log.warning("batch of %d documents failed (%r): one task per document", len(batch),
                        result)  # fmt: skip
            for src, alone in in_order(submit, ([s] for s in batch), batches_ahead()):
                if isinstance(alone, BaseException):
                    failures.append(Problem("extract", src[0].file, src[0].doc_id, "skipped",
                                            repr(alone)))  # fmt: skip
                else:
                    failures.extend(alone.failed)
                    yield alone
            continue
        if isinstance(result, BaseException):
            src = batch[0]
            failures.append(Problem("extract", src.file, src.doc_id, "skipped", repr(result)))
            continue
        failures.extend(result.failed)
        yield result


def doc_results(batch: PreparedBatch, items: dict[str, WorkItem], plan: RefreshPlan,
                version: str) -> list[DocRows]:  # fmt: skip
    """The batch's documents with what the knowledge base does with each: a corpus file's
    planned action, and for a fetched abstract, added or re-extracted."""
    extra = [(r.doc_id, r.file) for r in batch.docs if r.doc_id not in items]
    item_of = {**items, **{i.doc_id: i for i in derived_work(extra, plan, version)}}
    return [replace(r, item=item_of[r.doc_id]) for r in batch.docs if r.doc_id in item_of]


def count_abstracts(results: list[DocRows]) -> int:
    return sum(r.item.file.startswith(DERIVED_PREFIX) for r in results if r.item)


def store(ctx: RunContext, summary: RunSummary, batch: PreparedBatch,
          results: list[DocRows]) -> None:  # fmt: skip
    """One batch, one knowledge-base transaction (in this process, whatever the runner),
    then its documents' expansion state (after them: a kill between redoes it)."""
    store_in_kb(ctx, not_walked(results))
    if batch.expansion_states:
        record_expansion(ctx, not_walked(batch.expansion_states))
    summary.docs["abstracts"] += count_abstracts(results)


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@flow(name="adc-refresh", task_runner=task_runner_for(Settings()))
def adc_refresh(
    corpus_dir: str = "corpus", out_dir: str = "extracted", kb_url: str = "", report: bool = True
) -> dict:
    """Refresh the ADC-resistance knowledge base from ``corpus_dir``; re-export ``out_dir``.

    ``kb_url`` empty means ``ADCM_KB_URL`` or the embedded SQLite file in ``out_dir``;
    ``report`` False skips the HTML report (it is rebuilt by ``python -m pipeline report``).
    The task runner is the caller's choice (``python -m pipeline run`` and
    ``python -m flows.serve`` apply ``ADCM_TASK_RUNNER``); the default is local threads.
    """
    logger = get_run_logger()
    settings = run_settings(corpus_dir, out_dir, kb_url)
    if settings.task_runner == "dask" and not isinstance(
        current_task_runner(), BatchDaskTaskRunner
    ):
        logger.warning("task_runner=dask, but this flow was started with %s: running locally "
                       "(start it with `python -m pipeline run` or `python -m flows.serve`)",
                       type(current_task_runner()).__name__)  # fmt: skip
    started = time.perf_counter()
    ctx = open_run(settings, flow_run_id=str(flow_run.id or ""))
    summary = RunSummary(ctx.run_id, extraction_version=ctx.version,
                         kb_url=_redacted(ctx.kb_url), out_dir=ctx.out_dir)  # fmt: skip
    t = summary.timings
    failures: list[Problem] = []
    try:
        with timed(t, "discover + plan"):
            sources, problems = discover_documents(ctx.corpus_dir, settings.ingest_max_bytes)
            plan = plan_refresh(ctx, not_walked(sources), not_walked(problems))
            if settings.expand_references:  # + unchanged documents never (fully) expanded
                plan = plan_expansion(ctx, not_walked(plan), {s.doc_id: s.file for s in sources})
        note_plan(summary, sources, problems, plan)
        logger.info("plan: %s", {k: v for k, v in summary.docs.items() if v})
        if summary.docs["expanded"]:
            logger.info("reference expansion: %d unchanged documents not expanded before "
                        "are expanded now", summary.docs["expanded"])  # fmt: skip
        health = ServiceHealth.from_settings(settings)  # breakers + HTTP budget of this run
        http_problems: list[str] = []  # expansion warnings: services given up, deferred, ...
        watch_warned = False
        by_id = {s.doc_id: s for s in sources}
        items = {i.doc_id: i for i in plan.work}
        skip = frozenset(d for d, v in plan.seen_versions.items() if v == ctx.version
                         and settings.expand_references)  # fmt: skip
        done, total, next_log = 0, len(plan.work), settings.progress_every
        with timed(t, "ingest + annotate + extract + store"):
            todo = [by_id[i.doc_id] for i in plan.work]
            for batch in process_sources(todo, settings, skip, health, failures):
                store(ctx, summary, batch, doc_results(batch, items, plan, ctx.version))
                http_problems += [p.message for p in batch.expansion_problems]
                done += sum(r.doc_id in items for r in batch.docs) + len(batch.failed)
                if done >= next_log or done == total:
                    logger.info("documents processed: %d/%d (%.0f%%)", done, total,
                                100 * done / max(total, 1))  # fmt: skip
                    next_log = done + settings.progress_every
        release_workers()
        if settings.literature_watch:
            with timed(t, "literature watch"):
                found = watch_literature(settings, not_walked(health))
                problems += found.problems
                summary.problems.extend(f"watch: {p.message}" for p in found.problems)
                watch_warned = any(p.severity == "warning" for p in found.problems)
                for chunk in batches(found.documents, settings.kb_batch_docs):
                    batch = analyse_documents(not_walked(chunk), settings)
                    store(ctx, summary, batch, doc_results(batch, {}, plan, ctx.version))
                if found.complete:
                    mark_watch_done(settings, found.until)
        with timed(t, "remove"):
            if plan.removed or plan.renamed:  # a task run costs ~0.1 s even when idle
                remove_from_kb(ctx, not_walked(plan))
        if problems or failures:
            record_problems(ctx, not_walked(problems + failures))
        with timed(t, "export"):
            exported = export_tables(ctx)
        report_file = Path(ctx.out_dir) / "report" / "index.html"
        if report and (exported or not report_file.exists()):
            with timed(t, "report"):
                summary.report_path = build_report(ctx)
        elif report_file.exists():
            summary.report_path = str(report_file)  # still current: nothing changed
        summary.problems.extend(f"http: {m}" for m in http_problems)
        ok = not (failures or http_problems or watch_warned)
        summary.status = "completed" if ok else "completed with problems"
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        summary.docs["failed"] += len(failures)
        summary.problems.extend(f"{p.stage} {p.file}: {p.message}" for p in failures)
        t["total"] = time.perf_counter() - started
        markdown = close_run(ctx, summary)
    publish_summary(ctx, markdown)
    # the full summary is the artifact above and the file; the CLI prints it once
    logger.info("run %s %s: summary in %s", ctx.run_id, summary.status,
                summary_path(ctx.out_dir, ctx.run_id))  # fmt: skip
    return summary.to_dict()
