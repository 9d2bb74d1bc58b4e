"""Reference expansion: every parsed reference resolved, abstracts turned into documents.

``expand_references`` is the one entry point the flow and the ``expand`` command call. It
never raises for service trouble: each reference ends in a recorded state
(``ResolvedReference.status``), failures become ``Problem`` records, and a network that is
unreachable is reported once, after which only the cache is used and the step returns
what it has. A service given up, or the run's HTTP time budget spent (:mod:`.health`),
leaves the remaining references ``deferred``, and the step says so once. Every successful
response is in the persistent cache the moment it arrives, so an interrupted run loses
nothing and the next run only asks for what is missing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from pipeline.config import Settings
from pipeline.literature.documents import abstract_doc_id, abstract_documents
from pipeline.literature.europepmc import EuropePMC
from pipeline.literature.health import ServiceHealth
from pipeline.literature.http import ClientStats, PoliteClient
from pipeline.literature.ncbi import NCBI
from pipeline.literature.resolve import is_settled, resolve_reference
from pipeline.model import DocIngest, ExpansionState, Problem, Reference, ResolvedReference
from pipeline.runner.progress import Progress

log = logging.getLogger(__name__)

# Columns of the references table: the parsed reference, then what the services said.
REFERENCE_COLUMNS = [
    "doc_id",
    "number",
    "filled",
    "authors",
    "title",
    "journal",
    "year",
    "doi",
    "pmid",
    "pmcid",
]
RESOLUTION_COLUMNS = [
    "resolution_status",
    "resolution_method",
    "resolved_pmid",
    "resolved_pmcid",
    "resolved_doi",
    "resolved_title",
    "resolved_source",
    "abstract_doc_id",
    "resolution_message",
]


@dataclass
class ExpansionResult:
    resolved: list[ResolvedReference]
    documents: list[DocIngest]
    problems: list[Problem]
    stats: ClientStats = field(default_factory=ClientStats)
    network_unavailable: str = ""  # reason, empty when the network was fine (or not needed)
    unsettled: int = 0  # filled references the next run asks about again

    @property
    def completed(self) -> bool:
        """Nothing went wrong worth a warning (offline mode by choice is not a problem)."""
        return not any(p.severity == "warning" for p in self.problems)

    def counts(self) -> dict[str, int]:
        c = Counter(r.status for r in self.resolved)
        return {
            **{f"status_{k}": v for k, v in sorted(c.items())},
            "abstract_documents": len(self.documents),
            "network_requests": self.stats.network_requests,
            "cache_hits": self.stats.cache_hits,
            "retries": self.stats.retries,
        }


def expand_references(
    references: Iterable[Reference],
    settings: Settings,
    client: PoliteClient | None = None,
    health: ServiceHealth | None = None,
) -> ExpansionResult:
    """Resolve every reference (Europe PMC, NCBI fallback) and make abstract documents.

    ``health`` is the run's breakers and time budget when several calls share them (the
    flow's batches); ``client``'s own otherwise.
    """
    refs = sorted(references, key=lambda r: (r.doc_id, r.number))
    own_client = client is None
    client = client or PoliteClient(settings, health=health)
    health = client.health
    epmc = EuropePMC(client, settings.europepmc_base_url)
    ncbi = NCBI(client, settings.ncbi_base_url, settings.ncbi_api_key)
    resolved: list[ResolvedReference] = []
    filled = sum(r.filled for r in refs)
    progress = Progress("expansion", filled, "references", log)
    since = health.mark()
    try:
        with health.working():
            for ref in refs:
                if not ref.filled:
                    resolved.append(
                        ResolvedReference(
                            ref.doc_id, ref.number, "unresolved", message="empty slot"
                        )
                    )
                elif health.budget_spent:
                    health.budget_refused = True
                    resolved.append(_deferred(ref, health.budget_message()))
                else:
                    r = resolve_reference(ref, epmc, ncbi)
                    if r.abstract.strip():
                        r = replace(r, abstract_doc_id=abstract_doc_id(r.abstract))
                    resolved.append(r)
                if ref.filled:
                    progress.step()
    finally:
        progress.close()
        if own_client:
            client.close()

    unsettled = sum(not is_settled(r) for r, ref in zip(resolved, refs, strict=True) if ref.filled)
    problems = _problems(resolved, client, settings, health.problems(since))
    documents = abstract_documents(resolved)
    result = ExpansionResult(
        resolved=resolved,
        documents=documents,
        problems=problems,
        stats=client.stats,
        network_unavailable=client.network_down,
        unsettled=unsettled,
    )
    log.info("expansion: %d references -> %s", len(refs), result.counts())
    return result


def _deferred(ref: Reference, why: str) -> ResolvedReference:
    return ResolvedReference(ref.doc_id, ref.number, "deferred", message=f"not asked: {why}")


def _problems(
    resolved: list[ResolvedReference], client: PoliteClient, settings: Settings, health: list[str]
) -> list[Problem]:
    problems = [
        Problem("http", "", r.doc_id, "warning", f"reference {r.number}: {r.message}")
        for r in resolved
        if r.status == "error"
    ]
    problems += [Problem("http", "", "", "warning", line) for line in health]
    n_deferred = sum(r.status == "deferred" for r in resolved)
    if n_deferred:
        problems.append(
            Problem(
                "http", "", "", "warning", f"{n_deferred} references deferred to the next run"
            )  # fmt: skip
        )
    n_offline = sum(r.status == "offline" for r in resolved)
    if client.network_down:
        problems.append(
            Problem(
                "http",
                "",
                "",
                "warning",
                f"network unreachable ({client.network_down}): {n_offline} references left "
                "unresolved; cached answers were used; run again when online",
            )
        )
    elif n_offline:
        problems.append(
            Problem(
                "http",
                "",
                "",
                "info",
                f"offline mode: {n_offline} references not in the HTTP cache "
                f"({settings.http_cache_path})",
            )
        )
    return problems


def references_frame(
    references: Iterable[Reference] | None, resolved: Iterable[ResolvedReference]
) -> pd.DataFrame:
    """The references table: parsed fields + resolved identifiers and resolution status.

    One row per reference slot, sorted by (doc_id, number). With ``references=None`` the
    parsed columns come from the resolution records alone (doc_id, number).
    """
    res_rows = {
        (r.doc_id, r.number): {
            "resolution_status": r.status,
            "resolution_method": r.method,
            "resolved_pmid": r.pmid,
            "resolved_pmcid": r.pmcid,
            "resolved_doi": r.doi,
            "resolved_title": r.title,
            "resolved_source": r.source,
            "abstract_doc_id": r.abstract_doc_id,
            "resolution_message": r.message,
        }
        for r in resolved
    }
    empty = dict.fromkeys(RESOLUTION_COLUMNS, "")
    rows = []
    if references is not None:
        for ref in references:
            base = {c: getattr(ref, c) for c in REFERENCE_COLUMNS}
            rows.append({**base, **res_rows.pop((ref.doc_id, ref.number), empty)})
    for (doc_id, number), res in res_rows.items():
        base = dict.fromkeys(REFERENCE_COLUMNS, "")
        base.update(doc_id=doc_id, number=number, filled=True)
        rows.append({**base, **res})
    df = pd.DataFrame(rows, columns=REFERENCE_COLUMNS + RESOLUTION_COLUMNS)
    df["number"] = df["number"].astype("int64")
    df["filled"] = df["filled"].astype(bool)
    return df.sort_values(["doc_id", "number"], kind="stable").reset_index(drop=True)


def apply_resolution(
    docs: Iterable[DocIngest], resolved: Iterable[ResolvedReference]
) -> list[DocIngest]:
    """Copies of ``docs`` whose references gain resolved DOI/PMID/PMCID where they had none.

    Parsed identifiers are never overwritten (a disagreement stays visible in the references
    table); only ``resolved`` records fill gaps. Evidence built afterwards from these
    documents then cites the papers by their identifiers.
    """
    found = {(r.doc_id, r.number): r for r in resolved if r.status == "resolved"}
    out = []
    for doc in docs:
        refs = []
        for ref in doc.references:
            r = found.get((ref.doc_id, ref.number))
            if r is not None:
                ref = replace(
                    ref,
                    doi=ref.doi or r.doi,
                    pmid=ref.pmid or r.pmid,
                    pmcid=ref.pmcid or r.pmcid,
                )
            refs.append(ref)
        out.append(replace(doc, references=refs))
    return out


def expand_documents_with_result(
    docs: list[DocIngest],
    settings: Settings,
    client: PoliteClient | None = None,
    health: ServiceHealth | None = None,
) -> tuple[list[DocIngest], ExpansionResult]:
    """The flow's expansion step: input documents enriched, plus one document per abstract.

    Returns ``(documents, result)``: the input documents (references gain resolved
    identifiers; each review's resolution problems appended to its ``problems``; problems
    about the whole step, such as an unreachable network, appended to the first document)
    followed by the abstract documents, and the :class:`ExpansionResult` for the references
    table (:func:`references_frame`) and the run summary.
    """
    refs = (r for d in docs for r in d.references)
    result = expand_references(refs, settings, client, health)
    enriched = apply_resolution(docs, result.resolved)
    by_doc: dict[str, list[Problem]] = {}
    general: list[Problem] = []
    for p in result.problems:
        (by_doc.setdefault(p.doc_id, []) if p.doc_id else general).append(p)
    out = []
    for i, doc in enumerate(enriched):
        extra = by_doc.get(doc.document.doc_id, []) + (general if i == 0 else [])
        out.append(replace(doc, problems=doc.problems + extra) if extra else doc)
    known = {d.document.doc_id for d in docs}
    out.extend(d for d in result.documents if d.document.doc_id not in known)
    return out, result


def expand_documents(
    docs: list[DocIngest], settings: Settings, client: PoliteClient | None = None
) -> list[DocIngest]:
    """:func:`expand_documents_with_result` without the result."""
    return expand_documents_with_result(docs, settings, client)[0]


@dataclass
class ExpandedBatch:
    """What the flow keeps of one batch's expansion (plain records)."""

    documents: list[DocIngest]  # the batch's documents enriched, then the new abstracts
    states: list[ExpansionState]  # one per input document with references
    problems: list[Problem]  # warnings of this batch (also in the documents' problems)


def expand_batch(
    docs: list[DocIngest], settings: Settings, health: ServiceHealth | None = None
) -> ExpandedBatch:
    """The flow's expansion step with the run's shared breakers and budget (``health``)."""
    out, result = expand_documents_with_result(docs, settings, health=health)
    resolved = {(r.doc_id, r.number): r for r in result.resolved}
    states = []
    for doc in docs:
        filled = [ref for ref in doc.references if ref.filled]
        if filled:
            settled = sum(is_settled(resolved[(ref.doc_id, ref.number)]) for ref in filled)
            states.append(ExpansionState(doc.document.doc_id, len(filled), settled))
    warnings = [p for p in result.problems if p.severity == "warning"]
    return ExpandedBatch(out, states, warnings)
