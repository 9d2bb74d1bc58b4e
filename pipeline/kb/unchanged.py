"""A refresh with no document to process, done without Prefect (the run is still recorded).

The flow costs Prefect's import and its temporary server (8-35 s on a busy 2-core VM) even
when its plan is empty, most of an unchanged rerun through the CLI. ``run`` asks
:func:`run_if_unchanged` first: it plans exactly as the flow does and, when nothing is to
be added, changed, re-extracted, expanded, removed or renamed (and no literature watch is
due), records the run, its discovery problems and its summary, re-exports only if the
exports no longer match the knowledge base, and returns the summary; otherwise it returns
None before taking the lock, and the flow runs.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.ingest.discover import discover
from pipeline.kb.connect import redacted
from pipeline.kb.db import get_engine
from pipeline.kb.expansion import plan_expansion
from pipeline.kb.plan import plan_refresh, seen_documents
from pipeline.kb.refresh import record_problems
from pipeline.kb.session import RunContext, close_run, open_run
from pipeline.kb.summary import RunSummary, note_plan
from pipeline.kb.versioning import extraction_version


def run_if_unchanged(settings: Settings, report: bool = True) -> dict[str, Any] | None:
    """The summary of a run that had nothing to process, or None if the flow must run."""
    if settings.literature_watch:  # the watch always has something to ask
        return None
    started = time.perf_counter()
    engine = get_engine(settings.resolved_kb_url)
    sources, problems = discover(settings.corpus_dir, max_bytes=settings.ingest_max_bytes)
    current = {s.doc_id: s.file for s in sources}
    failed = {p.file for p in problems if p.severity == "skipped" and p.doc_id not in current}
    version = extraction_version(settings.resources_dir, settings.spacy_model)
    plan = plan_refresh(current, seen_documents(engine), version, failed)
    if settings.expand_references:
        plan = plan_expansion(engine, plan, current)
    if plan.work or plan.removed or plan.renamed:
        return None
    ctx = open_run(settings)
    summary = RunSummary(ctx.run_id, extraction_version=ctx.version,
                         kb_url=redacted(ctx.kb_url), out_dir=ctx.out_dir)  # fmt: skip
    try:
        note_plan(summary, sources, problems, plan)
        if problems:
            record_problems(engine, ctx.run_id, problems)
        summary.report_path = _exports_and_report(engine, ctx, report)
        summary.status = "completed"
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        summary.timings["total"] = time.perf_counter() - started
        close_run(ctx, summary)
    return summary.to_dict()


def _exports_and_report(engine: Any, ctx: RunContext, report: bool) -> str:
    """Re-export only when the exports no longer match (as the flow's export task); the
    report when the exports changed or it is missing. Returns the report's path."""
    from pipeline.kb.export import export_from_kb, exports_current
    from pipeline.pack import load_pack

    out = Path(ctx.out_dir)
    exported = not exports_current(engine, out, ctx.run_id, ctx.version)
    if exported:
        pack = load_pack(ctx.resources_dir)
        export_from_kb(engine, out, run_id=ctx.run_id, version=ctx.version, pack=pack)
    report_file = out / "report" / "index.html"
    if report and (exported or not report_file.exists()):
        from pipeline.report import build_report, load_tables

        return str(build_report(load_tables(out), out, run_label=ctx.run_id))
    return str(report_file) if report_file.exists() else ""
