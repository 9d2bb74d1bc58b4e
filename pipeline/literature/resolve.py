"""One parsed ``Reference`` -> one ``ResolvedReference``: identifiers and abstract, or a reason.

Order of lookups (first that succeeds wins):

1. Europe PMC by PMCID, then PMID, then DOI (each only if the reference has it). A hit counts
   only if it carries the identifier asked for and, when the reference has a title, the
   titles are at least :data:`ID_TITLE_CHECK` similar: a mis-parsed identifier must not
   attach another paper's abstract.
2. Europe PMC title search, judged by :func:`matching.match_by_title`.
3. NCBI E-utilities (PubMed): the same identifiers and title, as the fallback.

An ambiguous title match stops the search (asking another service would not make it less
ambiguous). Service failures are remembered and reported in ``message``; if the network is
down or the run is offline and the answer is not cached, the status is ``offline``; if a
lookup was skipped because its service was given up or the run's HTTP budget was spent
(:mod:`.health`), ``deferred``. Only :data:`SETTLED` statuses are final: the others (and a
resolved reference whose abstract fetch was deferred) are asked again by the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from pipeline.literature.europepmc import (
    EuropePMC,
    query_doi,
    query_pmcid,
    query_pmid,
    query_title,
)
from pipeline.literature.http import Deferred, LiteratureHttpError, NetworkUnavailable, NotCached
from pipeline.literature.matching import (
    MatchOutcome,
    first_author_surname,
    match_by_title,
    normalise_text,
    title_similarity,
)
from pipeline.literature.ncbi import NCBI
from pipeline.literature.paper import Paper, normalise_doi, normalise_pmcid, normalise_pmid
from pipeline.model import Reference, ResolvedReference

log = logging.getLogger(__name__)

ID_TITLE_CHECK = 0.6
TITLE_CANDIDATES = 10
SETTLED = frozenset({"resolved", "unresolved", "ambiguous"})
ABSTRACT_DEFERRED = "abstract deferred"


def is_settled(r: ResolvedReference) -> bool:
    """Whether the next run has nothing left to ask about this reference."""
    return r.status in SETTLED and ABSTRACT_DEFERRED not in r.message


def resolve_reference(
    ref: Reference, epmc: EuropePMC, ncbi: NCBI | None = None
) -> ResolvedReference:
    """Resolve one reference; never raises for service trouble, records it instead."""
    notes: list[str] = []
    errors: list[str] = []
    offline: list[str] = []
    deferred: list[str] = []

    def attempt(label: str, call: Callable[[], MatchOutcome]) -> MatchOutcome | None:
        try:
            outcome = call()
        except Deferred as exc:
            deferred.append(f"{label} ({exc})")
            return None
        except (NotCached, NetworkUnavailable) as exc:
            offline.append(f"{label} ({_offline_reason(exc)})")
            return None
        except LiteratureHttpError as exc:
            errors.append(f"{label}: {exc}")
            return None
        if outcome.status != "resolved" and outcome.message:
            notes.append(f"{label}: {outcome.message}")
        return outcome

    ids = _identifiers(ref)
    steps: list[tuple[str, str, Callable[[], MatchOutcome]]] = []
    for kind, value in ids:
        query = {"pmcid": query_pmcid, "pmid": query_pmid, "doi": query_doi}[kind](value)
        steps.append(
            (
                f"europepmc {kind}",
                kind,
                lambda q=query, k=kind, v=value: _by_id_epmc(epmc, q, k, v, ref),
            )
        )
    if normalise_text(ref.title):
        steps.append(("europepmc title", "title", lambda: _by_title_epmc(epmc, ref)))
    if ncbi is not None:
        for kind, value in ids:
            steps.append(
                (f"ncbi {kind}", "ncbi", lambda k=kind, v=value: _by_id_ncbi(ncbi, k, v, ref))
            )
        if normalise_text(ref.title):
            steps.append(("ncbi title", "ncbi", lambda: _by_title_ncbi(ncbi, ref)))

    if not steps:
        return _record(ref, "unresolved", message="no identifier and no title to search by")

    for label, method, call in steps:
        outcome = attempt(label, call)
        if outcome is None:
            continue
        if outcome.status == "resolved" and outcome.paper is not None:
            paper = _with_abstract(outcome.paper, ncbi, errors, offline, deferred)
            return _resolved(ref, method, paper, "; ".join(notes + errors + deferred))
        if outcome.status == "ambiguous":
            return _record(ref, "ambiguous", message="; ".join(notes + errors))

    if deferred:
        later = "deferred: " + ", ".join(deferred)
        return _record(ref, "deferred", message="; ".join(notes + errors + [later]))
    if offline:
        not_cached = "not cached: " + ", ".join(offline)
        return _record(ref, "offline", message="; ".join(notes + errors + [not_cached]))
    message = "; ".join(notes + errors)
    if errors:
        return _record(ref, "error", message=message)
    return _record(ref, "unresolved", message=message)


def _offline_reason(exc: Exception) -> str:
    """ "offline mode" / "network unreachable (...)": the message without the long URL."""
    text = str(exc)
    return text.split(": not in the HTTP cache")[0] if isinstance(exc, NotCached) else text


def _identifiers(ref: Reference) -> list[tuple[str, str]]:
    out = []
    if pmcid := normalise_pmcid(ref.pmcid):
        out.append(("pmcid", pmcid))
    if pmid := normalise_pmid(ref.pmid):
        out.append(("pmid", pmid))
    if doi := normalise_doi(ref.doi):
        out.append(("doi", doi))
    return out


def _id_of(paper: Paper, kind: str) -> str:
    return {"pmcid": paper.pmcid, "pmid": paper.pmid, "doi": paper.doi}[kind]


def _confirm_id(kind: str, value: str, hits: list[Paper], ref: Reference) -> MatchOutcome:
    """The hits carrying exactly the identifier asked for, cross-checked against the title."""
    same = [p for p in hits if _id_of(p, kind) == value]
    same = [p for p in same if not p.is_preprint] or same
    if not same:
        return MatchOutcome("unresolved", None, f"no record with {kind} {value}")
    distinct = {p.pmid or p.pmcid or p.record_id for p in same}
    if len(distinct) > 1:
        return MatchOutcome("ambiguous", None, f"{kind} {value} matches {len(distinct)} records")
    paper = same[0]
    if normalise_text(ref.title):
        sim = title_similarity(ref.title, paper.title)
        if sim < ID_TITLE_CHECK:
            return MatchOutcome(
                "unresolved",
                None,
                f"{kind} {value} belongs to {paper.title[:80]!r} (title similarity {sim:.2f})",
            )
    return MatchOutcome("resolved", paper, "")


def _by_id_epmc(epmc: EuropePMC, query: str, kind: str, value: str, ref: Reference) -> MatchOutcome:
    return _confirm_id(kind, value, epmc.search(query, page_size=5).papers, ref)


def _by_title_epmc(epmc: EuropePMC, ref: Reference) -> MatchOutcome:
    if not (ref.year and first_author_surname(ref.authors)):
        return match_by_title(ref.title, ref.year, ref.authors, [])
    page = epmc.search(query_title(ref.title), page_size=TITLE_CANDIDATES)
    return match_by_title(ref.title, ref.year, ref.authors, page.papers)


def _by_id_ncbi(ncbi: NCBI, kind: str, value: str, ref: Reference) -> MatchOutcome:
    pmids = [value] if kind == "pmid" else ncbi.esearch(value, retmax=5)
    return _confirm_id(kind, value, ncbi.esummary(pmids), ref)


def _by_title_ncbi(ncbi: NCBI, ref: Reference) -> MatchOutcome:
    surname = first_author_surname(ref.authors)
    if not (ref.year and surname):
        return match_by_title(ref.title, ref.year, ref.authors, [])
    words = normalise_text(ref.title)
    pmids = ncbi.esearch(f"{words}[ti] AND {surname}[1au]", retmax=TITLE_CANDIDATES)
    return match_by_title(ref.title, ref.year, ref.authors, ncbi.esummary(pmids))


def _with_abstract(
    paper: Paper, ncbi: NCBI | None, errors: list[str], offline: list[str], deferred: list[str]
) -> Paper:
    """Europe PMC lacks some abstracts that PubMed has: ask efetch for those (best effort)."""
    if paper.abstract or not paper.pmid or ncbi is None:
        return paper
    try:
        abstract = ncbi.efetch_abstracts([paper.pmid]).get(paper.pmid, "")
    except Deferred as exc:
        deferred.append(f"{ABSTRACT_DEFERRED} ({exc})")
        return paper
    except (NotCached, NetworkUnavailable) as exc:
        offline.append(f"ncbi abstract ({_offline_reason(exc)})")
        return paper
    except LiteratureHttpError as exc:
        errors.append(f"ncbi abstract: {exc}")
        return paper
    return replace(paper, abstract=abstract) if abstract else paper


def _resolved(ref: Reference, method: str, paper: Paper, message: str) -> ResolvedReference:
    return ResolvedReference(
        doc_id=ref.doc_id,
        number=ref.number,
        status="resolved",
        method=method,
        pmid=paper.pmid,
        pmcid=paper.pmcid,
        doi=paper.doi,
        title=paper.title,
        authors="; ".join(paper.authors),
        journal=paper.journal,
        year=paper.year,
        abstract=paper.abstract,
        source=paper.source,
        message="; ".join(m for m in (message, "" if paper.abstract else "no abstract") if m),
    )


def _record(ref: Reference, status: str, message: str) -> ResolvedReference:
    return ResolvedReference(doc_id=ref.doc_id, number=ref.number, status=status, message=message)
