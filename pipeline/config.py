"""Settings: one place for every knob, read from environment variables (``ADCM_*``).

Defaults are embedded so the main job needs no configuration: the knowledge base is
an SQLite file under ``extracted/`` and nothing touches the network unless
``ADCM_EXPAND_REFERENCES`` or ``ADCM_LITERATURE_WATCH`` is switched on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    out_dir: Path = Path("extracted")
    kb_url: str = ""  # empty -> sqlite:///<out_dir>/kb.sqlite
    batch_size: int = 64
    n_process: int = 1
    task_runner: str = "local"  # "local" | "dask"
    dask_address: str = ""  # empty with task_runner=dask -> a temporary local cluster
    dask_workers: int = 2  # worker processes of that temporary cluster
    # Reference expansion and literature watch (HTTP); off by default.
    expand_references: bool = False
    literature_watch: bool = False
    watch_query: str = '("antibody-drug conjugate" OR "antibody drug conjugate") AND resistance'
    offline: bool = False
    contact_email: str = "adc-miner@example.org"
    europepmc_base_url: str = "https://www.ebi.ac.uk/europepmc/webservices/rest"
    ncbi_base_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    # Below NCBI's 3 req/s: at exactly 3.0, delivery jitter put 4 requests in one 1-s window.
    rate_limit_per_s: float = 2.5
    http_timeout_s: float = 20.0
    http_cache_path: Path = Path("extracted/http_cache.sqlite")
    # One retry layer (pipeline.literature.http): attempts after the first, backoff base/cap.
    http_max_retries: int = 4
    http_backoff_s: float = 1.0
    http_backoff_max_s: float = 60.0
    ncbi_api_key: str = ""  # optional; NCBI allows 10 req/s with a key instead of 3
    watch_page_size: int = 100
    watch_max_records: int = 1000
    watch_first_run_days: int = 30  # look-back of the first watch run (no earlier run known)
    # Flow / knowledge base.
    # Documents per knowledge-base transaction (and per task). 250 as extract's streaming
    # batch: on 1,000 generated abstracts the flow's processing step took 14.4 s at 250,
    # 20.0 s at 50 (fewer task runs, fewer recomputations of the common triples).
    kb_batch_docs: int = 250
    progress_every: int = 10  # log progress every N documents in long steps
    schedule_cron: str = "0 6 * * 1"  # weekly refresh: Mondays 06:00
    lock_stale_after_s: float = 6 * 3600.0  # a lock whose holder is silent this long is stale
    # NER: "" = use the first installed scispacy model, "none" = pack + rules only,
    # otherwise a spaCy package name or a model directory.
    spacy_model: str = ""
    resources_dir: str = ""  # "" = the knowledge pack shipped in pipeline/resources/
    # Ingest: a larger file is skipped with a Problem, never read into memory.
    ingest_max_mb: float = 20.0

    @property
    def resolved_kb_url(self) -> str:
        return self.kb_url or f"sqlite:///{(self.out_dir / 'kb.sqlite').as_posix()}"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``ADCM_<FIELD>`` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"ADCM_{f.name.upper()}")
            if raw is None:
                continue
            default = f.default
            if isinstance(default, bool):
                values[f.name] = raw.strip().lower() in _TRUE
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            elif isinstance(default, Path):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
