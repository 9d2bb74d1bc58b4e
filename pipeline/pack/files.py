"""Reading the pack's TSV files: the one reader every vocabulary goes through.

UTF-8, tab-separated, one header row, no quoting, list cells joined with ``|``. A missing
file, a ragged row or a missing column raises with the file's name and line.
"""

from __future__ import annotations

import csv
from pathlib import Path

DEFAULT_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def read_tsv(path: Path, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows of a TSV file as dicts of stripped strings."""
    if not path.is_file():
        raise FileNotFoundError(f"knowledge pack file missing: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = set(required) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        rows = []
        for line_no, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise ValueError(f"{path.name}:{line_no}: wrong number of tab-separated columns")
            rows.append({k: v.strip() for k, v in row.items()})
    return rows


def split_list(value: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in value.split("|") if s.strip())
