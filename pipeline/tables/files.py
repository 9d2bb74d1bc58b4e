"""Files that are never seen half-written: atomic replace, and texts staged for a whole run."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


class StagedFiles:
    """Text files written under a hidden temporary folder of ``out_dir``, a batch at a time,
    moved into place by :meth:`commit`; :meth:`discard` deletes them.

    A folder that does not exist yet in ``out_dir`` (``clean/`` on a first run) is moved in
    with one rename; into an existing one the files are moved one by one, so files already
    there that this run did not write stay. As a context manager, an exception discards; a
    clean exit leaves the commit to the caller, who commits when every other output of the
    run is ready too.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._dir = Path(tempfile.mkdtemp(prefix=".staged.", dir=self.out_dir))
        self._relpaths: list[str] = []
        self._folders: set[Path] = set()

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()

    def write_texts(self, items: Iterable[tuple[str, str]]) -> None:
        """Stage ``(relpath, text)`` pairs (a batch of documents)."""
        for rel, text in items:
            path = self._dir / rel
            if path.parent not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            self._relpaths.append(rel)

    def commit(self) -> list[Path]:
        """Move every staged file to ``out_dir/<relpath>``; return the targets in write order."""
        moved: set[str] = set()
        for top in sorted({Path(rel).parts[0] for rel in self._relpaths if "/" in rel}):
            if not (self.out_dir / top).exists():
                os.replace(self._dir / top, self.out_dir / top)
                moved.add(top)
        targets = []
        for rel in self._relpaths:
            target = self.out_dir / rel
            if Path(rel).parts[0] not in moved:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self._dir / rel, target)
            targets.append(target)
        self.discard()
        return targets

    def discard(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)
        self._relpaths = []
        self._folders = set()
