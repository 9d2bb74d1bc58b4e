"""Opening the knowledge base for a command, with one clear line when it cannot be.

Reading commands (``query``, ``history``) open an existing knowledge base only: a mistyped
``--out`` must not leave an empty one behind. The refresh creates it on first use.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pipeline.exit_status import ExpectedError
from pipeline.kb.db import get_engine


def redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def open_knowledge_base(url: str, *, create: bool) -> Engine:
    """The engine for ``url`` with its tables checked; :class:`ExpectedError` if the
    server cannot be reached, the file cannot be written, or (``create=False``) there is
    no knowledge base there yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not create and not path.is_file():
            raise ExpectedError(
                f"no knowledge base at {path} (build one with `python -m pipeline run`, "
                "or point --out / --kb-url at it)"
            )
    try:
        return get_engine(url)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ExpectedError(f"cannot open the knowledge base {redacted(url)}: {reason}") from exc
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise ExpectedError(
            f"cannot create the knowledge base {redacted(url)}: {exc.strerror}{where}"
        ) from exc
