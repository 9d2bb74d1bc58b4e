"""Find the corpus files, read the manifest, and decide what can be ingested.

Identity is content: ``doc_id`` is the first 16 hex digits of the SHA-256 of the raw
bytes, so the same text under two names is ingested once. Every file that cannot be
used (empty, binary, too large, duplicate) is skipped with a :class:`Problem` and the
run goes on. File size is checked with ``stat`` before anything is read, so a huge
file never enters memory.

The walk goes into sub-folders (a document's ``file`` is then its path below the corpus
folder, ``sub/paper.txt``, which is also its manifest key) and follows symbolic links;
hidden files and folders are left out. A link back into a folder already walked (a
loop) and a link to nothing are reported, not followed.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
from pathlib import Path

from pipeline.ingest.decode import BinaryContentError, decode_bytes, sniff_encoding
from pipeline.model import Problem, SourceFile

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = (
    "file",
    "title",
    "authors",
    "journal",
    "year",
    "doi",
    "kind",
    "source_url",
    "licence",
)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 1 << 20
# Files in a corpus folder that are not documents.
_NOT_DOCUMENTS = {MANIFEST_NAME, "readme.md", "readme.txt", "readme"}
# Top-level sub-folder name the knowledge base uses for fetched abstracts (``abstract/...``).
RESERVED_DIR = "abstract"


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def read_manifest(corpus_dir: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Manifest rows keyed by file name (an absent manifest is not an error)."""
    path = corpus_dir / MANIFEST_NAME
    problems: list[Problem] = []
    if not path.exists():
        problems.append(
            Problem("discover", MANIFEST_NAME, "", "info", "no manifest.csv: metadata from text")
        )
        return {}, problems
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: manifest lacks column(s) {', '.join(missing)}")
        rows: dict[str, dict[str, str]] = {}
        for i, row in enumerate(reader, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                problems.append(
                    Problem("discover", MANIFEST_NAME, "", "warning", f"line {i}: no file name")
                )
                continue
            rows[name] = {c: (row.get(c) or "").strip() for c in MANIFEST_COLUMNS}
    return rows, problems


def _candidate_files(corpus_dir: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every document file below ``corpus_dir`` with its name (path relative to the corpus
    folder, ``/``-separated), sorted by name; and what the walk could not follow."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    walked: dict[tuple[int, int], str] = {}  # (device, inode) of each folder -> its name

    def walk(folder: Path, prefix: str) -> None:
        st = folder.stat()
        walked[(st.st_dev, st.st_ino)] = prefix.rstrip("/") or "."
        # real entries before links, so that a folder is named by its own path
        entries = sorted(os.scandir(folder), key=lambda e: (e.is_symlink(), e.name))
        for entry in (e for e in entries if not e.name.startswith(".")):
            name, path = prefix + entry.name, Path(entry.path)
            if entry.is_symlink() and not path.exists():
                problems.append(_not_followed(name, f"broken symbolic link to {os.readlink(path)}"))
            elif entry.is_dir():
                target = path.stat()
                if (seen := walked.get((target.st_dev, target.st_ino))) is not None:
                    loop = seen == "." or name.startswith(seen + "/")
                    what = "symbolic link loop: leads back to" if loop else "the same folder as"
                    problems.append(_not_followed(name, f"{what} {seen}/"))
                elif not prefix and entry.name == RESERVED_DIR:
                    why = f"a top-level folder named {RESERVED_DIR!r} is kept for fetched abstracts"
                    problems.append(_not_followed(name, why))
                else:
                    walk(path, name + "/")
            elif entry.is_file() and entry.name.lower() not in _NOT_DOCUMENTS:
                found.append((path, name))

    walk(corpus_dir, "")
    return sorted(found, key=lambda f: f[1]), problems


def _not_followed(name: str, message: str) -> Problem:
    log.warning("not followed: %s: %s", name, message)
    return Problem("discover", name, "", "warning", f"{message}; not followed")


def _skip(name: str, doc_id: str, message: str) -> Problem:
    log.warning("skipping %s: %s", name, message)
    return Problem("discover", name, doc_id, "skipped", message)


def inspect_file(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str = ""
) -> tuple[SourceFile | None, list[Problem]]:
    """Hash, size-check and decode-check one file; ``None`` with a Problem when unusable.
    ``name``: the file's name in the corpus (default: its base name)."""
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        return None, [_skip(name, "", "empty file (0 bytes)")]
    if size > max_bytes:
        return None, [
            _skip(
                name,
                "",
                f"{size:,} bytes is over the {max_bytes:,}-byte limit for one document; "
                "not read (split it or raise max_bytes)",
            )
        ]
    with path.open("rb") as fh:
        head = fh.read(_CHUNK)
        rest = fh.read()
    data = head + rest
    doc_id = doc_id_of(data)
    try:
        first_choice = sniff_encoding(head)
        text, encoding = decode_bytes(data, first_choice)
    except BinaryContentError as exc:
        return None, [_skip(name, doc_id, str(exc))]
    except UnicodeDecodeError as exc:
        return None, [_skip(name, doc_id, f"cannot be decoded as {exc.encoding}: {exc.reason}")]
    problems: list[Problem] = []
    if not text.strip():
        return None, [_skip(name, doc_id, "no text: only whitespace")]
    if encoding in ("cp1252", "latin-1"):
        problems.append(
            Problem(
                "discover",
                name,
                doc_id,
                "warning",
                f"not valid UTF-8: decoded as {encoding} (check accented characters)",
            )
        )
    elif encoding.startswith("utf-16"):
        problems.append(Problem("discover", name, doc_id, "info", f"decoded as {encoding}"))
    src = SourceFile(path=str(path), file=name, doc_id=doc_id, n_bytes=size, encoding=encoding)
    return src, problems


def discover(
    corpus_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[SourceFile], list[Problem]]:
    """Every usable document in ``corpus_dir`` (sorted by file name) and what was skipped."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist")
    manifest, problems = read_manifest(corpus_dir)
    sources: list[SourceFile] = []
    seen: dict[str, str] = {}
    files, walk_problems = _candidate_files(corpus_dir)
    problems.extend(walk_problems)
    for path, name in files:
        src, file_problems = inspect_file(path, max_bytes, name)
        problems.extend(file_problems)
        if src is None:
            continue
        if src.doc_id in seen:
            problems.append(
                _skip(
                    name,
                    src.doc_id,
                    f"duplicate of {seen[src.doc_id]} (same content hash {src.doc_id}); "
                    "ingested once",
                )
            )
            continue
        seen[src.doc_id] = name
        row = manifest.get(name)
        if row is None:
            problems.append(
                Problem(
                    "discover",
                    name,
                    src.doc_id,
                    "info",
                    "no manifest row: metadata taken from the text",
                )
            )
        else:
            src = SourceFile(
                **{
                    **src.to_row(),
                    **{c: row[c] for c in MANIFEST_COLUMNS if c != "file"},
                    "metadata_source": "manifest",
                }
            )
        sources.append(src)
    names = {name for _, name in files}
    for name in sorted(set(manifest) - names):
        problems.append(
            Problem("discover", name, "", "warning", "listed in manifest.csv but not found")
        )
    log.info("discover: %d files, %d usable, %d problems", len(files), len(sources), len(problems))
    return sources, problems


def read_source_text(src: SourceFile) -> str:
    """The decoded text of a discovered source (same encoding decision as discover)."""
    data = Path(src.path).read_bytes()
    if doc_id_of(data) != src.doc_id:
        raise ValueError(f"{src.file}: content changed since discovery (hash differs)")
    text, _ = decode_bytes(data, src.encoding)
    return text
