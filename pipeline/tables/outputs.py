"""A run's output set: cleaned texts, every table (CSV + Parquet), ``datapackage.json``.

The one writer of the exports, used whole by the knowledge-base export and the ``ingest``
command, and a batch at a time by the streaming ``extract`` run. Everything is written
to temporary files as the run goes and moved into place by :meth:`RunOutputs.commit`
once the whole set is ready; an exception discards it, so a failed run leaves the
previous outputs as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.model import DocIngest, Entity, Evidence, Mention, Problem, Triple
from pipeline.tables.arrow import to_arrow
from pipeline.tables.checks import validate
from pipeline.tables.datapackage import write_datapackage
from pipeline.tables.files import StagedFiles
from pipeline.tables.rows import by_doc_id, document_tables, run_tables, triple_tables
from pipeline.tables.specs import SPECS, TableSpec, clean_text_relpath
from pipeline.tables.writer import TableWriter


def table_writer(spec: TableSpec, out_dir: Path, **options: Any) -> TableWriter:
    """A :class:`TableWriter` for a declared table: its schema, checks and partition."""
    options.setdefault("partition_by", spec.partition_by)
    return TableWriter(spec.name, out_dir, spec.arrow_schema, partial(validate, spec), **options)


class RunOutputs:
    """The output files of one run in ``out_dir``, for the tables ``names`` (default: all).

    Per-document tables take batches of documents in increasing ``doc_id`` order
    (:meth:`add_documents`), the triple tables buckets in increasing ``triple_id`` order
    (:meth:`add_triples`); a table given nothing is written empty, with its header.
    """

    def __init__(
        self, out_dir: Path, names: Sequence[str] = tuple(SPECS), datapackage: bool = True
    ) -> None:
        self.out_dir = Path(out_dir)
        self.names = tuple(names)
        self.datapackage = datapackage
        self._stack = ExitStack()
        self._texts = self._stack.enter_context(StagedFiles(self.out_dir))
        self._writers = {
            name: self._stack.enter_context(
                table_writer(SPECS[name], self.out_dir, defer_commit=True)
            )
            for name in self.names
        }

    def __enter__(self) -> RunOutputs:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()

    def append(self, name: str, table: pa.Table) -> None:
        self._writers[name].append(table)

    def add(self, name: str, records: Iterable[Any]) -> None:
        """Rows of table ``name`` (its records), sorted as the table is."""
        self.append(name, to_arrow(SPECS[name], records))

    def add_documents(self, docs: Sequence[DocIngest], mentions: Iterable[Mention] = ()) -> None:
        """A batch of documents: their cleaned texts and their rows of every per-document
        table (``docs`` after every document of the previous batches, by ``doc_id``)."""
        docs = by_doc_id(docs)
        self._texts.write_texts((clean_text_relpath(d.document.doc_id), d.document.text)
                                for d in docs)  # fmt: skip
        with_mentions = "mentions" in self._writers
        tables = document_tables(docs, mentions if with_mentions else None)
        for name, table in tables.items():
            self.append(name, table)

    def add_triples(self, triples: Iterable[Triple], evidence: Iterable[Evidence]) -> None:
        """A bucket of triples and their evidence (after the previous buckets' triple ids)."""
        for name, table in triple_tables(triples, evidence).items():
            self.append(name, table)

    def add_run_tables(
        self,
        problems: Iterable[Problem],
        entities: Iterable[Entity],
        inferred: Iterable[Any],
        catalog: Iterable[Any],
    ) -> None:
        """The tables of the run as a whole (problems, entities, class-level view, ADC
        catalogue)."""
        for name, table in run_tables(problems, entities, inferred, catalog).items():
            self.append(name, table)

    def commit(self) -> list[Path]:
        """Finish every table and move the whole set into place: the cleaned texts, the
        tables by name, then ``datapackage.json``. Returns the paths written."""
        try:
            for writer in self._writers.values():
                writer.close()
            files = self._texts.commit()
            files += [self._writers[name].commit() for name in sorted(self._writers)]
        finally:
            self.discard()  # whatever was not moved into place (a failed commit)
        if self.datapackage:
            files.append(write_datapackage(self.names, self.out_dir))
        return files

    def discard(self) -> None:
        self._stack.close()  # a clean close of the writers leaves their files to commit
        for writer in self._writers.values():
            writer.discard()
        self._texts.discard()


def write_outputs(
    out_dir: Path,
    docs: Sequence[DocIngest],
    mentions: Iterable[Mention],
    triples: Sequence[Triple],
    evidence: Iterable[Evidence],
    problems: Iterable[Problem],
    entities: Iterable[Entity],
    inferred: Iterable[Any],
    catalog: Iterable[Any],
) -> list[Path]:
    """Every output of a run whose records are all in hand (the knowledge-base export).
    ``problems`` are the run's own; each document's are added after them."""
    from pipeline.tables.rows import document_problems

    with RunOutputs(out_dir) as outputs:
        outputs.add_documents(docs, mentions)
        outputs.add_triples(triples, evidence)
        outputs.add_run_tables([*problems, *document_problems(docs)], entities, inferred, catalog)
        return outputs.commit()
