"""Planning a refresh: what changed between the corpus and what the knowledge base has seen.

Documents are identified by content hash, files by name: a new hash under a known file
name is a *changed* document; a known hash under a new name is a rename; a known
document extracted by another extraction version is *re-extracted*; a file that is gone
is *removed* (unless it still exists but failed to read, then its old data is kept).
Documents made from fetched abstracts are not corpus files and are never removed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from pipeline.kb import schema

# ``Document.file`` of abstracts fetched by reference expansion or literature watch.
DERIVED_PREFIX = "abstract/"


@dataclass(frozen=True)
class SeenDocument:
    """A document the knowledge base holds (one ``processed_documents`` row)."""

    doc_id: str
    file: str
    extraction_version: str


@dataclass(frozen=True)
class WorkItem:
    """A document to (re)process: ``action`` is added | changed | reextracted."""

    doc_id: str
    file: str
    action: str
    previous_doc_id: str = ""  # for "changed": the document it replaces


@dataclass
class RefreshPlan:
    work: list[WorkItem] = field(default_factory=list)
    removed: list[SeenDocument] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # doc_id, old, new file
    unchanged: list[str] = field(default_factory=list)
    kept_failed: list[SeenDocument] = field(default_factory=list)  # file failed: old data kept
    seen_versions: dict[str, str] = field(default_factory=dict)  # doc_id -> extraction version


def seen_documents(engine: Engine) -> dict[str, SeenDocument]:
    with engine.connect() as conn:
        rows = conn.execute(select(schema.processed_documents)).all()
    return {r.doc_id: SeenDocument(r.doc_id, r.file, r.extraction_version) for r in rows}


def derived_work(
    docs: Iterable[tuple[str, str]], plan: RefreshPlan, version: str
) -> list[WorkItem]:
    """Fetched abstracts (doc_id, file) to (re)process: unseen ones, or seen with another
    extraction version."""
    work = []
    for doc_id, file in docs:
        seen = plan.seen_versions.get(doc_id)
        if seen is None:
            work.append(WorkItem(doc_id, file, "added"))
        elif seen != version:
            work.append(WorkItem(doc_id, file, "reextracted"))
    return work


def plan_refresh(
    current: dict[str, str],
    seen: dict[str, SeenDocument],
    version: str,
    failed_files: Iterable[str] = (),
) -> RefreshPlan:
    """Compare the corpus (``doc_id -> file``) with what the knowledge base has seen.

    A file that exists but failed to read this time keeps its previous data (reported as
    failed), so a transient error never deletes a document.
    """
    plan = RefreshPlan()
    failed = set(failed_files)
    current_files = set(current.values())
    plan.seen_versions = {d: s.extraction_version for d, s in seen.items()}
    # Documents made from fetched abstracts are not corpus files: never "removed" here.
    gone = {
        d: s for d, s in seen.items() if d not in current and not s.file.startswith(DERIVED_PREFIX)
    }
    gone_by_file = {s.file: s for s in gone.values()}
    replaced: set[str] = set()
    for doc_id, file in sorted(current.items(), key=lambda kv: kv[1]):
        old = seen.get(doc_id)
        if old is None:
            prev = gone_by_file.get(file)
            if prev is not None:
                replaced.add(prev.doc_id)
                plan.work.append(WorkItem(doc_id, file, "changed", prev.doc_id))
            else:
                plan.work.append(WorkItem(doc_id, file, "added"))
        elif old.extraction_version != version:
            plan.work.append(WorkItem(doc_id, file, "reextracted"))
            if old.file != file:
                plan.renamed.append((doc_id, old.file, file))
        else:
            plan.unchanged.append(doc_id)
            if old.file != file:
                plan.renamed.append((doc_id, old.file, file))
    for doc_id, s in sorted(gone.items(), key=lambda kv: kv[1].file):
        if doc_id in replaced:
            continue
        if s.file in failed and s.file not in current_files:
            plan.kept_failed.append(s)
        else:
            plan.removed.append(s)
    return plan
