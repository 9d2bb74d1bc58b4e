"""A run's claims between extraction and assembly, by triple-id bucket.

``run_extract`` processes a corpus a batch of documents at a time and drops each batch once
its rows are written; its claims wait for assembly (which merges claims of one triple id
only) here, in memory up to :data:`MAX_IN_MEMORY` claims and spilled to disk beyond, so
that assembly runs bucket by bucket whatever the corpus size.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from pipeline.model import Claim, make_triple_id

# Claims held in memory before they go to disk: ~1.1 kB each (measured on generated
# abstracts), so ~110 MB, about 11,000 abstracts' worth. Below it nothing is pickled.
MAX_IN_MEMORY = 100_000


def claim_triple_id(c: Claim) -> str:
    """The id assembly gives the claim's triple (``make_triple_id`` normalises the key as
    ``assemble`` does), whatever the claim's own ``triple_id`` says."""
    t = c.triple
    return make_triple_id(
        t.drug_id, t.mechanism_category, t.mechanism_entity, t.strategy_category, t.strategy_entity
    )


class ClaimBuckets:
    """A run's claims on disk, in 16 buckets by the first hex digit of their triple id.

    ``assemble`` merges only claims of one triple id, and sorts its triples and evidence by
    triple id: so ``assemble`` over each bucket in turn gives, concatenated, exactly
    ``assemble`` over all claims, provided each bucket's claims come in the order of the
    whole run (corpus-file order: the first claim of a triple names its fields). Claims are
    added per document with the document's position in that order, and :meth:`buckets`
    restores it. Memory: at most ``max_in_memory`` claims plus one batch's (the caller
    offers a spill after each batch of documents), or one bucket's while assembling. The
    spill folder is hidden in ``out_dir`` and deleted on exit.
    """

    N_BUCKETS = 16

    def __init__(self, out_dir: Path, max_in_memory: int = MAX_IN_MEMORY) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix=".claims.", dir=out_dir))
        self._pending: dict[int, list[tuple[int, int, Claim]]] = defaultdict(list)
        self._n_pending = 0
        self.max_in_memory = max_in_memory
        self.n_claims = 0

    def __enter__(self) -> ClaimBuckets:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def _path(self, bucket: int) -> Path:
        return self._dir / f"{bucket:x}.pickle"

    def add(self, position: int, claims: list[Claim]) -> None:
        """The claims of the document at ``position`` in run order, in their order (held
        until :meth:`spill`)."""
        for i, c in enumerate(claims):
            self._pending[int(claim_triple_id(c)[2], 16)].append((position, i, c))
        self.n_claims += len(claims)
        self._n_pending += len(claims)

    def spill(self, force: bool = False) -> None:
        """Move the claims held in memory to their buckets' files, if they are more than
        ``max_in_memory`` (or ``force``)."""
        if not force and self._n_pending <= self.max_in_memory:
            return
        for bucket, items in self._pending.items():
            with self._path(bucket).open("ab") as fh:
                pickle.dump(items, fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending = defaultdict(list)
        self._n_pending = 0

    def buckets(self) -> Iterator[list[Claim]]:
        """Every bucket (empty ones too), in triple-id order, its claims in run order."""
        for bucket in range(self.N_BUCKETS):
            items: list[tuple[int, int, Claim]] = []
            path = self._path(bucket)
            if path.exists():
                with path.open("rb") as fh:
                    while True:
                        try:
                            items.extend(pickle.load(fh))
                        except EOFError:
                            break
                path.unlink()
            items.extend(self._pending.pop(bucket, []))
            items.sort(key=lambda item: (item[0], item[1]))
            yield [c for _, _, c in items]
        self._n_pending = 0
