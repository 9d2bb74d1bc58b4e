"""What the bench measures: thin adapters over the pipeline's public functions.

Kept in one place so that when a teammate's signature changes, only this file moves.
Each adapter imports lazily: a missing stage makes its measurement "unavailable" (with
the reason) instead of breaking the whole bench.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]


def extract_runner(n_process: int, batch_size: int) -> Callable[[Path, Path], Any]:
    """A callable (corpus_dir, out_dir) running the full offline ``extract`` path."""
    from pipeline.config import Settings
    from pipeline.runner.offline import run_extract

    def run(corpus_dir: Path, out_dir: Path) -> Any:
        settings = Settings.from_env(
            corpus_dir=Path(corpus_dir),
            out_dir=Path(out_dir),
            batch_size=batch_size,
            n_process=n_process,
        )
        return run_extract(settings)

    return run


def flow_runner() -> Callable[[Path, Path], Any]:
    """A callable (corpus_dir, out_dir) running the Prefect refresh flow once.

    The flow as users run it (``python -m pipeline run``): local task runner, report on,
    knowledge base in ``out_dir/kb.sqlite``. Returns the flow's summary dict.
    """
    from flows.adc_flow import adc_refresh
    from flows.hosted import hosted_run_settings

    def run(corpus_dir: Path, out_dir: Path) -> Any:
        with hosted_run_settings():
            return adc_refresh(corpus_dir=str(corpus_dir), out_dir=str(out_dir))

    return run


def dask_flow_runner() -> Callable[[Path, Path], Any]:
    """The flow as ``python -m pipeline run`` starts it with ``ADCM_TASK_RUNNER=dask``: a
    temporary local cluster of ``ADCM_DASK_WORKERS`` processes, started by the call."""
    from flows.adc_flow import adc_refresh, task_runner_for
    from flows.hosted import hosted_run_settings
    from pipeline.config import Settings

    def run(corpus_dir: Path, out_dir: Path) -> Any:
        settings = Settings.from_env(corpus_dir=Path(corpus_dir), out_dir=Path(out_dir))
        flow = adc_refresh.with_options(task_runner=task_runner_for(settings))
        with hosted_run_settings():
            return flow(corpus_dir=str(corpus_dir), out_dir=str(out_dir))

    return run


def run_counts(result: Any) -> dict[str, Any]:
    """The plain numbers of a run result (extract's RunResult or the flow's summary)."""
    if isinstance(result, dict):
        keep = ("docs", "triples", "timings", "status")
        return {k: result[k] for k in keep if k in result}
    names = ("n_documents", "n_sentences", "n_mentions", "n_claims", "n_triples", "n_evidence")
    return {n: getattr(result, n) for n in names if hasattr(result, n)}


# Plain functions the flow's tasks call, timed inside the flow run (``bench/worker.py``)
# to split the flow's time into pipeline work, knowledge-base writes and orchestration.
FLOW_STAGE_FUNCTIONS = (
    ("pipeline.ingest.document", "ingest_document"),  # what the stage's ingest_sources calls
    ("pipeline.nlp", "annotate"),
    ("pipeline.extract", "extract_claims"),
    ("pipeline.kb.refresh", "store_batch"),
)

# What a flow batch costs: the stage function (in a worker thread) and the batch's
# knowledge-base transaction (``bench/worker.py`` logs when each call starts and ends).
KB_CALLS = (("pipeline.batch", "process_batch"), ("pipeline.kb.refresh", "store_batch"))

# The stages ``run_extract`` calls (looked up at call time, so patching the attribute of
# the module run_extract reads them from times every call), timed without a profiler.
EXTRACT_STAGE_FUNCTIONS = (
    ("pipeline.ingest.document", "ingest_document"),  # what ingest_sources calls
    ("pipeline.nlp", "annotate"),
    ("pipeline.extract", "extract_claims"),
    ("pipeline.tables.outputs", "document_tables"),
    ("pipeline.runner.offline", "assemble"),
    ("pipeline.tables.outputs", "triple_tables"),
    ("pipeline.tables.outputs", "run_tables"),
)
