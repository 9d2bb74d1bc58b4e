"""Settings: one place for every knob, read from environment variables (``ADCM_*``).

Defaults are embedded so the main job needs no configuration: the knowledge base is
an SQLite file under ``extracted/`` and nothing touches the network unless
``ADCM_EXPAND_REFERENCES`` or ``ADCM_LITERATURE_WATCH`` is switched on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


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
    # Per run (pipeline.literature.health): a service is given up after this many failed
    # requests in a row, or failing for this long; all HTTP work of a run gets this budget.
    http_give_up_after: int = 5
    http_give_up_after_s: float = 60.0
    http_budget_s: float = 1800.0
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
    def ingest_max_bytes(self) -> int:
        """``ingest_max_mb`` in bytes, for ``discover(..., max_bytes=...)`` (every command)."""
        return int(self.ingest_max_mb * 1024 * 1024)

    @property
    def resolved_kb_url(self) -> str:
        return self.kb_url or f"sqlite:///{(self.out_dir / 'kb.sqlite').as_posix()}"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``ADCM_<FIELD>`` environment variables, then explicit overrides.

        Every value is checked here, once: a bad one raises :class:`SettingsError` naming
        the variable (or the field, for an override), the value and what is allowed.
        """
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f"ADCM_{f.name.upper()}"
            raw = os.environ.get(name)
            if raw is not None:
                values[f.name] = _checked(f.name, _parse(name, raw, f.default), f"{name}={raw!r}")
        for key, value in overrides.items():
            if value is not None:
                values[key] = _checked(key, value, f"{key}={value!r}")
        return cls(**values)  # type: ignore[arg-type]


class SettingsError(ValueError):
    """A setting with a value it cannot have; the message is one line for the user."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse(name: str, raw: str, default: object) -> object:
    text = raw.strip()
    if isinstance(default, bool):
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise SettingsError(f"{name}={raw!r}: expected true or false (1/0, yes/no, on/off)")
    try:
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise SettingsError(f"{name}={raw!r}: expected {kind}") from None
    if isinstance(default, Path):
        return Path(text)
    return text


Rule = tuple[str, Callable[[Any], bool]]  # what is allowed (for the message), the check


def _at_least(low: float) -> Rule:
    return f"expected a value >= {low:g}", lambda v: v >= low


def _above(low: float) -> Rule:
    return f"expected a value > {low:g}", lambda v: v > low


def _one_of(*allowed: str) -> Rule:
    return "expected one of " + ", ".join(allowed), lambda v: v in allowed


def _http_url() -> Rule:
    return "expected an http:// or https:// URL", lambda v: v.startswith(("http://", "https://"))


# What each field may hold beyond its type (fields not listed: any value of the type).
_RULES: dict[str, Rule] = {
    "batch_size": _at_least(1),
    "n_process": _at_least(1),
    "task_runner": _one_of("local", "dask"),
    "rate_limit_per_s": _above(0),
    "http_timeout_s": _above(0),
    "http_max_retries": _at_least(0),
    "http_backoff_s": _at_least(0),
    "http_backoff_max_s": _at_least(0),
    "http_give_up_after": _at_least(1),
    "http_give_up_after_s": _above(0),
    "http_budget_s": _at_least(0),
    "europepmc_base_url": _http_url(),
    "ncbi_base_url": _http_url(),
    "watch_page_size": _at_least(1),
    "watch_max_records": _at_least(1),
    "watch_first_run_days": _at_least(1),
    "kb_batch_docs": _at_least(1),
    "progress_every": _at_least(1),
    "lock_stale_after_s": _above(0),
    "ingest_max_mb": _above(0),
}


def _checked(field: str, value: object, label: str) -> object:
    """``value`` if ``field`` may hold it; ``label`` (``NAME='raw'``) starts the error."""
    rule = _RULES.get(field)
    if rule is not None and not rule[1](value):
        raise SettingsError(f"{label}: {rule[0]}")
    if field == "kb_url" and value:
        _check_kb_url(str(value), label)
    if field == "schedule_cron" and len(str(value).split()) != 5:
        raise SettingsError(f"{label}: expected a cron expression of 5 fields")
    return value


def _check_kb_url(url: str, label: str) -> None:
    """An SQLAlchemy URL whose database kind SQLAlchemy knows (imported only when set)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    expected = "expected sqlite:///path/kb.sqlite or postgresql+psycopg://user@host/db"
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except NoSuchModuleError:  # (a subclass of ArgumentError)
        kind = parsed.drivername
        raise SettingsError(f"{label}: unknown database kind {kind!r} ({expected})") from None
    except ArgumentError:
        raise SettingsError(f"{label}: not a database URL ({expected})") from None
