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


def bare_tokenizer_nlp() -> tuple[Any, str]:
    """spacy.blank("en") with the tokenizer the pipeline uses and no components.

    The NER stage's own builder (scispacy's combined_rule_tokenizer plus its extra
    infixes), so the floor is exactly the pipeline's tokenizer; scispacy's plain one if
    that module is missing. Returns the nlp and which tokenizer it got.
    """
    import spacy

    nlp = spacy.blank("en")
    try:
        from pipeline.nlp.tokenizer import build_tokenizer

        nlp.tokenizer, name = build_tokenizer(nlp), "pipeline.nlp.tokenizer.build_tokenizer"
    except ImportError:
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        nlp.tokenizer, name = combined_rule_tokenizer(nlp), "scispacy combined_rule_tokenizer"
    return nlp, name


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
