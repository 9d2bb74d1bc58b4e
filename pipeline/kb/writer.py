"""Writing the knowledge base's records as the tidy export tables.

The knowledge base stores flat per-kind records; they are regrouped per document and
written by :func:`pipeline.tables.write_outputs`, the writer of the offline ``extract``
command's outputs too, so the flow's exports and ``extract``'s have the same files,
columns and checks.
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
    """Check and write every table plus ``datapackage.json`` into ``out_dir``."""
    from pipeline.assembly import infer_class_level
    from pipeline.tables import write_outputs

    catalog = (pack or load_pack()).adc_catalog
    return write_outputs(
        out_dir,
        _documents(records),
        records["mentions"],
        records["triples"],
        records["evidence"],
        records.get("problems", []),
        records["entities"],
        infer_class_level(records["triples"], catalog),
        catalog,
    )
