"""One reader per input kind; :func:`detect_reader` picks one from the text itself."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.ingest.draft import Draft
from pipeline.ingest.readers.full_review import looks_like_full_review, read_full_review
from pipeline.ingest.readers.html_page import looks_like_html, read_html
from pipeline.ingest.readers.journal_page import is_reference_marker, read_journal_page
from pipeline.ingest.readers.web_article import read_web_article

Reader = Callable[[str], Draft]


def detect_reader(text: str) -> tuple[str, Reader]:
    """(format name, reader) chosen from the content, never from the file name.

    html: markup; journal_page: ``[N]`` or ``| [N] |`` reference markers on their own
    lines; full_review: a "References" heading followed by ``N. ...`` lines; otherwise
    a web article (press release or blog post, decided by the reader).
    """
    if looks_like_html(text):
        return "html_page", read_html
    lines = text.splitlines()
    n_markers = sum(1 for ln in lines if is_reference_marker(ln.strip()))
    if n_markers >= 3:
        return "journal_page", read_journal_page
    if looks_like_full_review(lines):
        return "full_review", read_full_review
    return "web_article", read_web_article


__all__ = ["Reader", "detect_reader"]
