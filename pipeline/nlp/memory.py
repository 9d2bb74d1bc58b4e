"""Keep a long run's spaCy vocabulary from growing with the corpus.

spaCy's vocabulary keeps every string it has seen (each new number, name and typo: ~4,300
strings per 1,000 generated abstracts), so a process's memory grows with the corpus. A
memory zone (``Language.memory_zone``) frees what was added inside it, but also the
tokenizer-cache entries of those strings: one zone per 250-document batch made NER 1.9x
slower on 1,000 abstracts (2.6 s vs 1.4 s, measured). So one zone spans an *epoch* of many
documents; between epochs the cache is rebuilt once.

The zone is entered by :func:`enter_epoch` at the start of a batch and left only there,
when the epoch is full: never while a Doc is alive (``annotate`` turns every Doc into plain
Mention records before it returns). Zones must not be nested, so nothing else here opens one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

# Documents per vocabulary epoch: at ~5 MB per 1,000 abstracts, ~50 MB at most.
DOCS_PER_EPOCH = 10_000

_open: dict[int, tuple[AbstractContextManager[Any], list[int]]] = {}  # id(nlp) -> zone, count


def enter_epoch(nlp: Any, n_docs: int, docs_per_epoch: int = DOCS_PER_EPOCH) -> None:
    """Count ``n_docs`` about to be processed by ``nlp``; first close the current zone and
    open a new one if the epoch is full (or none is open)."""
    zone, count = _open.get(id(nlp), (None, [0]))
    if zone is not None and count[0] < docs_per_epoch:
        count[0] += n_docs
        return
    if zone is not None:
        zone.__exit__(None, None, None)  # frees the strings the epoch added
    zone = nlp.memory_zone()
    zone.__enter__()
    _open[id(nlp)] = (zone, [n_docs])


def leave_epoch(nlp: Any) -> None:
    """Close ``nlp``'s open zone, if any (every Doc it made inside becomes invalid)."""
    zone, _ = _open.pop(id(nlp), (None, None))
    if zone is not None:
        zone.__exit__(None, None, None)
