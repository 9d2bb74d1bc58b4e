"""Opening and closing a refresh run: lock, run row, export recovery, summary files.

The flow calls these at its start and end; they are plain functions so that tests and
other entry points get exactly the same guarantees without Prefect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.kb import lock, runs
from pipeline.kb.db import checkpoint, get_engine
from pipeline.kb.export import recover_pending_export
from pipeline.kb.summary import RunSummary, render_markdown
from pipeline.kb.versioning import extraction_version
from pipeline.tables import write_text_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunContext:
    """What every task needs to reach the run's knowledge base and folders (plain values)."""

    run_id: str
    kb_url: str
    corpus_dir: str
    out_dir: str
    version: str
    lock_stale_after_s: float
    resources_dir: str = ""  # the knowledge pack the run extracts with (and exports by)


def open_run(settings: Settings, flow_run_id: str = "", run_id: str = "") -> RunContext:
    """Take the lock, record the run, and finish any export a killed run left half-moved."""
    ctx = RunContext(
        run_id=run_id or runs.new_run_id(),
        kb_url=settings.resolved_kb_url,
        corpus_dir=str(settings.corpus_dir),
        out_dir=str(settings.out_dir),
        version=extraction_version(settings.resources_dir, settings.spacy_model),
        lock_stale_after_s=settings.lock_stale_after_s,
        resources_dir=settings.resources_dir,
    )
    engine = get_engine(ctx.kb_url)
    lock.acquire(engine, ctx.run_id, ctx.lock_stale_after_s)
    try:
        runs.start_run(engine, ctx.run_id, ctx.version, ctx.corpus_dir, flow_run_id)
        recover_pending_export(Path(ctx.out_dir))
    except BaseException:
        lock.release(engine, ctx.run_id)
        raise
    log.info("run %s: extraction version %s, knowledge base %s", ctx.run_id, ctx.version,
             ctx.kb_url)  # fmt: skip
    return ctx


def summary_path(out_dir: str | Path, run_id: str) -> Path:
    return Path(out_dir) / "runs" / f"{run_id}.md"


def close_run(ctx: RunContext, summary: RunSummary, message: str = "") -> str:
    """Record the run's outcome, write ``runs/<run>.md``, release the lock; return markdown."""
    engine = get_engine(ctx.kb_url)
    try:
        if summary.status != "failed":
            summary.triples.update(
                {
                    k.removeprefix("triples_"): v
                    for k, v in runs.triple_changes(engine, ctx.run_id).items()
                }
            )
        markdown = render_markdown(summary)
        write_text_atomic(summary_path(ctx.out_dir, ctx.run_id), markdown)
        runs.finish_run(
            engine, ctx.run_id, summary.status, summary.counts_for_kb(), summary.timings, message
        )
    finally:
        lock.release(engine, ctx.run_id)
        checkpoint(engine)
    return markdown
