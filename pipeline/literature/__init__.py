"""Reference expansion and literature watch over HTTP (Europe PMC, NCBI E-utilities).

Modules, each with one job:

- ``http``: the one polite client (User-Agent, rate limit, timeouts, the single retry layer,
  persistent cache, offline mode);
- ``paper``: one bibliographic record shape for both services;
- ``europepmc`` / ``ncbi``: request builders and response parsers for each service;
- ``matching``: when a search hit counts as *the* cited paper (title, year, first author);
- ``resolve``: one parsed ``Reference`` -> one ``ResolvedReference``;
- ``documents``: abstracts -> ``DocIngest`` records mined like any text;
- ``expansion``: the whole expansion step and the references table;
- ``watch``: new papers for a configured Europe PMC query since the last run.

Nothing here runs at import time and nothing touches the network unless called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.config import Settings
    from pipeline.model import DocIngest


def expand_documents(docs: list[DocIngest], settings: Settings) -> list[DocIngest]:
    """Reviews with resolved reference identifiers + the cited papers' abstracts as documents.

    Lazy wrapper of :func:`pipeline.literature.expansion.expand_documents` (keeps
    ``requests``/``pandas`` out of ``import pipeline.literature``).
    """
    from pipeline.literature.expansion import expand_documents as _impl

    return _impl(docs, settings)


__all__ = ["expand_documents"]
