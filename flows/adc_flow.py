"""The refresh flow: keep the knowledge base current with the corpus, then re-export.

    discover -> plan (what changed) -> for each batch of new/changed documents:
    ingest -> (expand references, when enabled) -> annotate -> extract -> store in KB
    -> remove deleted documents -> export tables from the KB -> report -> summary

Incremental: only documents whose content hash or extraction version changed are
processed (see :mod:`pipeline.kb.refresh`); an unchanged corpus goes straight to export.
Runs in Prefect's ephemeral mode when no ``PREFECT_API_URL`` is set.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, unmapped
from prefect.futures import PrefectFutureList
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import opaque, quote
from sqlalchemy.engine import make_url

from flows.tasks import (
    annotate_documents,
    build_report,
    discover_documents,
    expand_references,
    export_tables,
    extract_triples,
    ingest_document,
    ingest_documents,
    mark_watch_done,
    plan_refresh,
    publish_summary,
    record_problems,
    remove_from_kb,
    store_in_kb,
    watch_literature,
)
from pipeline.config import Settings
from pipeline.kb.refresh import DERIVED_PREFIX, DocResult, RefreshPlan, WorkItem, derived_work
from pipeline.kb.session import RunContext, close_run, open_run, summary_path
from pipeline.model import DocIngest, Problem, SourceFile
from pipeline.runner.summary import RunSummary

T = TypeVar("T")


def task_runner_for(settings: Settings) -> Any:
    """The configured task runner: threads locally, or a Dask cluster (address or temporary)."""
    if settings.task_runner == "local":
        return ThreadPoolTaskRunner(max_workers=4)
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": 2,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    raise ValueError(f"task_runner must be 'local' or 'dask', not {settings.task_runner!r}")


@contextmanager
def timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - start


def batches(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), max(1, size)):
        yield items[i : i + max(1, size)]


def on_dask() -> bool:
    """Whether this flow run's tasks go to a Dask cluster (however the runner was chosen)."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return context is not None and type(context.task_runner).__name__ == "DaskTaskRunner"


def not_walked(value: Any) -> Any:
    """A task argument Prefect passes without walking into it looking for futures: every
    sentence and mention of a batch was visited, a fifth of a flow run's time (py-spy).
    ``quote`` for values, ``opaque`` for futures (resolved, then not walked). On Dask the
    value goes as it is: there the wrapper reached the task as a plain tuple."""
    if on_dask():
        return value
    if isinstance(value, PrefectFutureList):
        return opaque(value)
    return quote(value)


def _split(docs: list[DocIngest], parts: int) -> list[list[DocIngest]]:
    parts = max(1, min(parts, len(docs)))
    return [docs[i::parts] for i in range(parts)]


def ingest_batch(
    items: list[WorkItem], sources: dict[str, SourceFile], failures: list[Problem]
) -> list[DocIngest]:
    """Ingest a batch; a document that fails is skipped and reported.

    One task for the whole batch on local threads; one per document on Dask (the workers
    share the batch) or when the batch task itself failed (to isolate the document).
    """
    docs: list[DocIngest] = []
    if not on_dask():
        batch = ingest_documents.submit(not_walked([sources[i.doc_id] for i in items]))
        results = batch.result(raise_on_failure=False)
        if not isinstance(results, BaseException):
            for item, result in zip(items, results, strict=True):
                if isinstance(result, Problem):
                    failures.append(
                        Problem("ingest", item.file, item.doc_id, "skipped", result.message)
                    )
                else:
                    docs.append(result)
            return docs
    futures = ingest_document.map([sources[i.doc_id] for i in items])
    for item, fut in zip(items, futures, strict=True):
        result = fut.result(raise_on_failure=False)
        if isinstance(result, BaseException):
            failures.append(Problem("ingest", item.file, item.doc_id, "skipped", repr(result)))
        else:
            docs.append(result)
    return docs


def analyse(
    ctx: RunContext,
    settings: Settings,
    docs: list[DocIngest],
    items: list[WorkItem],
    plan: RefreshPlan,
    failures: list[Problem],
) -> list[DocResult]:
    """Annotate and extract ``docs``; fetched abstracts already extracted are left out."""
    item_of = {i.doc_id: i for i in items}
    extra = [d for d in docs if d.document.doc_id not in item_of]
    item_of.update({i.doc_id: i for i in derived_work(extra, plan, ctx.version)})
    docs = [d for d in docs if d.document.doc_id in item_of]
    if not docs:
        return []
    # One NLP task per chunk: a single chunk on local threads (spaCy loads once), one
    # per document on Dask so that the workers share the batch.
    chunks = _split(docs, len(docs) if on_dask() else 1)
    mention_futures = annotate_documents.map(not_walked(chunks), unmapped(settings))
    claim_futures = extract_triples.map(
        not_walked(chunks), not_walked(mention_futures), unmapped(settings)
    )
    results: list[DocResult] = []
    for chunk, m_fut, c_fut in zip(chunks, mention_futures, claim_futures, strict=True):
        mentions = m_fut.result(raise_on_failure=False)
        claims = c_fut.result(raise_on_failure=False)
        for doc in chunk:
            d = doc.document
            if isinstance(mentions, BaseException) or isinstance(claims, BaseException):
                err = mentions if isinstance(mentions, BaseException) else claims
                failures.append(Problem("extract", d.file, d.doc_id, "skipped", repr(err)))
                continue
            results.append(
                DocResult(item_of[d.doc_id], doc, mentions.get(d.doc_id, []), claims[d.doc_id])
            )
    return results


def count_abstracts(results: list[DocResult]) -> int:
    return sum(r.item.file.startswith(DERIVED_PREFIX) for r in results)


def note_plan(
    summary: RunSummary, sources: list[SourceFile], problems: list[Problem], plan: RefreshPlan
) -> None:
    d = summary.docs
    d["seen"] = len(sources)
    for item in plan.work:
        d[item.action] += 1
    d["removed"] = len(plan.removed)
    d["unchanged"] = len(plan.unchanged)
    current = {src.doc_id for src in sources}
    # skipped by discover (empty, binary, too large); a duplicate of a used file is not a failure
    d["failed"] = sum(1 for p in problems if p.severity == "skipped" and p.doc_id not in current)
    summary.problems.extend(f"{p.stage} {p.file}: {p.message}" for p in problems
                            if p.severity in ("skipped", "warning"))  # fmt: skip


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@flow(name="adc-refresh", task_runner=task_runner_for(Settings.from_env()))
def adc_refresh(
    corpus_dir: str = "corpus", out_dir: str = "extracted", kb_url: str = "", report: bool = True
) -> dict:
    """Refresh the ADC-resistance knowledge base from ``corpus_dir``; re-export ``out_dir``.

    ``kb_url`` empty means ``ADCM_KB_URL`` or the embedded SQLite file in ``out_dir``;
    ``report`` False skips the HTML report (it is rebuilt by ``python -m pipeline report``).
    """
    logger = get_run_logger()
    cache = None if os.environ.get("ADCM_HTTP_CACHE_PATH") else Path(out_dir) / "http_cache.sqlite"
    settings = Settings.from_env(
        corpus_dir=Path(corpus_dir),
        out_dir=Path(out_dir),
        kb_url=kb_url or None,
        http_cache_path=cache,
    )
    started = time.perf_counter()
    ctx = open_run(settings, flow_run_id=str(flow_run.id or ""))
    summary = RunSummary(ctx.run_id, extraction_version=ctx.version,
                         kb_url=_redacted(ctx.kb_url), out_dir=ctx.out_dir)  # fmt: skip
    t = summary.timings
    failures: list[Problem] = []
    try:
        with timed(t, "discover + plan"):
            sources, problems = discover_documents(ctx.corpus_dir)
            plan = plan_refresh(ctx, not_walked(sources), not_walked(problems))
        note_plan(summary, sources, problems, plan)
        logger.info("plan: %s", {k: v for k, v in summary.docs.items() if v})
        by_id = {s.doc_id: s for s in sources}
        done, total, next_log = 0, len(plan.work), settings.progress_every
        with timed(t, "ingest + annotate + extract + store"):
            for batch in batches(plan.work, settings.kb_batch_docs):
                docs = ingest_batch(batch, by_id, failures)
                if settings.expand_references and docs:
                    docs = expand_references(settings, not_walked(docs))  # + cited abstracts
                results = analyse(ctx, settings, docs, batch, plan, failures)
                store_in_kb(ctx, not_walked(results))
                summary.docs["abstracts"] += count_abstracts(results)
                done += len(batch)
                if done >= next_log or done == total:
                    logger.info("documents processed: %d/%d (%.0f%%)", done, total,
                                100 * done / total)  # fmt: skip
                    next_log = done + settings.progress_every
        if settings.literature_watch:
            with timed(t, "literature watch"):
                found = watch_literature(settings)
                problems += found.problems
                summary.problems.extend(f"watch: {p.message}" for p in found.problems)
                for chunk in batches(found.documents, settings.kb_batch_docs):
                    results = analyse(ctx, settings, chunk, [], plan, failures)
                    store_in_kb(ctx, not_walked(results))
                    summary.docs["abstracts"] += count_abstracts(results)
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
        summary.status = "completed" if not failures else "completed with failures"
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
