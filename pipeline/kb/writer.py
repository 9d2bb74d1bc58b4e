"""Writing the knowledge base's records as the tidy export tables.

The knowledge base stores flat per-kind records; they are regrouped per document and handed
to the same ``runner.build_frames`` / ``runner.write_outputs`` the offline ``extract``
command uses, so the flow's exports and ``extract``'s have the same files, columns and
schemas.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.model import DocIngest
from pipeline.pack import Pack, load_pack


def _documents(records: dict[str, list]) -> list[DocIngest]:
    """Regroup the per-document records into ``DocIngest``s (document order)."""
    docs = {d.doc_id: DocIngest(document=d) for d in records["documents"]}
    for name in ("sentences", "references", "citations", "tables", "abbreviations"):
        for r in records[name]:
            getattr(docs[r.doc_id], name).append(r)
    return [docs[k] for k in sorted(docs)]


def write_all(records: dict[str, list], out_dir: Path, pack: Pack | None = None) -> list[Path]:
    """Validate and write every table plus ``datapackage.json`` into ``out_dir``."""
    from pipeline.runner import build_frames, write_outputs

    docs = _documents(records)
    frames = build_frames(
        docs,
        records.get("problems", []),
        records["mentions"],
        records["entities"],
        records["triples"],
        records["evidence"],
        pack or load_pack(),
    )
    return write_outputs(frames, docs, out_dir)
