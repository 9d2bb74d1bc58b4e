"""Literature watch: papers first published since the last successful run, as documents.

The configured Europe PMC query (``Settings.watch_query``) is narrowed with
``FIRST_PDATE:[since TO today]`` (both ends inclusive, so papers indexed later on the day
of the last run are not missed; duplicates collapse because a document id is the hash of
its abstract) and followed page by page with ``cursorMark``.

``since`` comes from the caller (the flow knows its last successful run) or from a small
state file beside the outputs; the state only advances when a watch run completed, so a
run cut short by the network is simply repeated, from the cache where it got that far.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pipeline.config import Settings
from pipeline.literature.documents import make_abstract_doc
from pipeline.literature.europepmc import EuropePMC, since_clause
from pipeline.literature.health import ServiceHealth
from pipeline.literature.http import (
    ClientStats,
    LiteratureHttpError,
    NetworkUnavailable,
    NotCached,
    PoliteClient,
)
from pipeline.literature.paper import Paper
from pipeline.model import DocIngest, Problem
from pipeline.tables import write_text_atomic

log = logging.getLogger(__name__)

STATE_FILE = "literature_watch.json"


@dataclass
class WatchResult:
    documents: list[DocIngest]
    problems: list[Problem]
    query: str
    since: str
    until: str
    hit_count: int = 0
    papers_seen: int = 0
    without_abstract: int = 0
    complete: bool = False  # every page was read: the caller may advance "since"
    stats: ClientStats = field(default_factory=ClientStats)


def watch_state_path(settings: Settings) -> Path:
    return settings.out_dir / STATE_FILE


def read_last_watch(settings: Settings) -> date | None:
    """Date of the last completed watch run from the state file (None if there is none)."""
    path = watch_state_path(settings)
    if not path.exists():
        return None
    try:
        return date.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["last_run"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: unreadable literature-watch state: {exc}") from exc


def write_last_watch(settings: Settings, day: date) -> None:
    write_text_atomic(
        watch_state_path(settings), json.dumps({"last_run": day.isoformat()}, indent=1) + "\n"
    )


def watch_literature(
    settings: Settings,
    since: date | None = None,
    client: PoliteClient | None = None,
    today: date | None = None,
    health: ServiceHealth | None = None,
) -> WatchResult:
    """Pull new papers for ``settings.watch_query``; never raises for service trouble.

    ``health``: the run's breakers and time budget, shared with its reference expansion.
    """
    today = today or datetime.now(UTC).date()
    if since is None:
        since = read_last_watch(settings) or today - timedelta(days=settings.watch_first_run_days)
    query = since_clause(settings.watch_query, since.isoformat(), today.isoformat())
    result = WatchResult([], [], query, since.isoformat(), today.isoformat())
    own_client = client is None
    client = client or PoliteClient(settings, health=health)
    epmc = EuropePMC(client, settings.europepmc_base_url)
    docs: dict[str, DocIngest] = {}
    try:
        with client.health.working():
            pages = epmc.iter_search(
                query, page_size=settings.watch_page_size, max_records=settings.watch_max_records
            )
            for page in pages:
                result.hit_count = page.hit_count
                for paper in page.papers:
                    result.papers_seen += 1
                    if not paper.abstract.strip():
                        result.without_abstract += 1
                        continue
                    doc = _paper_doc(paper)
                    docs.setdefault(doc.document.doc_id, doc)
        result.complete = True
    except (NotCached, NetworkUnavailable) as exc:
        result.problems.append(
            Problem("http", "", "", "warning", f"literature watch stopped, network: {exc}")
        )
    except LiteratureHttpError as exc:
        result.problems.append(
            Problem("http", "", "", "warning", f"literature watch stopped: {exc}")
        )
    finally:
        result.stats = client.stats
        if own_client:
            client.close()
    if result.papers_seen >= settings.watch_max_records and result.hit_count > result.papers_seen:
        result.problems.append(
            Problem(
                "http",
                "",
                "",
                "info",
                f"literature watch capped at {settings.watch_max_records} of "
                f"{result.hit_count} papers (ADCM_WATCH_MAX_RECORDS)",
            )
        )
    result.documents = [docs[k] for k in sorted(docs)]
    log.info(
        "literature watch %s..%s: %d hits, %d papers read, %d documents, %d without abstract%s",
        result.since,
        result.until,
        result.hit_count,
        result.papers_seen,
        len(result.documents),
        result.without_abstract,
        "" if result.complete else " (incomplete)",
    )
    return result


def _paper_doc(paper: Paper) -> DocIngest:
    return make_abstract_doc(
        title=paper.title,
        abstract=paper.abstract,
        authors="; ".join(paper.authors),
        journal=paper.journal,
        year=paper.year,
        doi=paper.doi,
        pmid=paper.pmid,
        pmcid=paper.pmcid,
        source=paper.source,
    )
