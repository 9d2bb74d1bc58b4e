"""Writing one table: chunks, atomic replace, and the CSV/Parquet bytes pandas would write."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.tables import TableWriter, write_frame, write_table
from pipeline.tables.writer import FORMULA_PREFIXES

SCHEMA = pa.schema(
    [("doc_id", pa.large_string()), ("n", pa.int64()), ("text", pa.large_string()),
     ("flag", pa.bool_())]
)  # fmt: skip


def _table(doc_ids: list[str], start: int = 0, text: str = "plain") -> pa.Table:
    return pa.table(
        {
            "doc_id": doc_ids,
            "n": list(range(start, start + len(doc_ids))),
            "text": [f"{text} {i}" for i in range(len(doc_ids))],
            "flag": [i % 2 == 0 for i in range(len(doc_ids))],
        },
        schema=SCHEMA,
    )


def _non_negative(table: pa.Table) -> None:
    if any(n < 0 for n in table["n"].to_pylist()):
        raise ValueError("n must not be negative")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _pandas_csv(df: pd.DataFrame) -> bytes:
    """What ``DataFrame.to_csv`` writes, text cells that look like formulas neutralised."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]):
            risky = out[col].str.startswith(FORMULA_PREFIXES, na=False).astype(bool)
            out.loc[risky, col] = "'" + out.loc[risky, col]
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("buffer_rows", [65_536, 3])
def test_chunks_give_the_table_write_table_writes(tmp_path: Path, buffer_rows: int):
    chunks = [_table(["a", "a"]), _table([], 2), _table(["b", "c", "c"], 2), _table(["d"], 5)]
    write_table(pa.concat_tables(chunks), "t", tmp_path / "one")
    with TableWriter(
        "t", tmp_path / "chunks", SCHEMA, partition_by="doc_id", buffer_rows=buffer_rows
    ) as w:
        for c in chunks:
            w.append(c)
    assert w.rows == 6
    one, chunked = tmp_path / "one", tmp_path / "chunks"
    assert (chunked / "t.csv").read_bytes() == (one / "t.csv").read_bytes()
    assert pq.read_table(chunked / "t.parquet").equals(pq.read_table(one / "t.parquet"))
    groups = pq.ParquetFile(chunked / "t.parquet").num_row_groups
    if buffer_rows == 3:  # 2 + 3 rows gathered and written as one piece, then the last row
        assert groups == 2
    else:  # shorter than a row group: the very bytes of the one-piece write
        assert groups == 1
        assert (chunked / "t.parquet").read_bytes() == (one / "t.parquet").read_bytes()
    assert _leftovers(chunked) == []


def test_csv_and_parquet_are_the_bytes_pandas_writes(tmp_path: Path):
    """The Arrow writer against the pandas one it replaced, on the awkward cells: quotes,
    commas, newlines, formulas, non-ASCII, empty strings, nulls in a nullable integer
    column, floats and booleans."""
    df = pd.DataFrame(
        {
            "text": ['say "hi", then', "two\nlines", "=1+1", "-minus", "", "naïve ∆", "@x", "\tt"],
            "n": pd.array([1, None, 3, 0, -5, 6, 7, 8], dtype="Int64"),
            "x": [0.63, 1.0, 0.0, 0.3333, 1e-05, 0.9986, 0.5, 0.25],
            "flag": [True, False, True, False, True, False, True, False],
        }
    ).astype({"text": "str"})
    write_frame(df, "t", tmp_path)
    assert (tmp_path / "t.csv").read_bytes() == _pandas_csv(df)
    df.to_parquet(tmp_path / "pandas.parquet", index=False)
    assert (tmp_path / "t.parquet").read_bytes() == (tmp_path / "pandas.parquet").read_bytes()
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert back["text"].tolist()[2] == "=1+1"  # the Parquet file keeps the value itself


def test_every_chunk_empty_gives_the_empty_table(tmp_path: Path):
    with TableWriter("t", tmp_path / "chunks", SCHEMA) as w:
        w.append(_table([]))
        w.append(_table([]))
    assert (tmp_path / "chunks" / "t.csv").read_text(encoding="utf-8") == "doc_id,n,text,flag\n"
    empty = pq.read_table(tmp_path / "chunks" / "t.parquet")
    assert empty.num_rows == 0 and empty.schema.equals(SCHEMA)
    with TableWriter("t", tmp_path / "none", SCHEMA):
        pass  # nothing appended at all: the same empty table
    for suffix in (".csv", ".parquet"):
        a = (tmp_path / "chunks" / f"t{suffix}").read_bytes()
        assert (tmp_path / "none" / f"t{suffix}").read_bytes() == a, suffix


def test_formulas_neutralised_in_csv_only(tmp_path: Path):
    with TableWriter("t", tmp_path, SCHEMA) as w:
        w.append(_table(["a"], text="plain"))
        w.append(_table(["b"], 1, text="=HYPERLINK(x)"))
        w.append(_table(["c"], 2, text="@SUM(A1)"))
    csv = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    assert list(csv.text) == ["plain 0", "'=HYPERLINK(x) 0", "'@SUM(A1) 0"]
    assert pq.read_table(tmp_path / "t.parquet")["text"].to_pylist() == [
        "plain 0",
        "=HYPERLINK(x) 0",
        "@SUM(A1) 0",
    ]


def test_check_failure_in_a_later_chunk_leaves_the_previous_files(tmp_path: Path):
    write_table(_table(["old"]), "t", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = _table(["z"], -1)
    with pytest.raises(ValueError, match="must not be negative"):
        with TableWriter("t", tmp_path, SCHEMA, _non_negative, buffer_rows=1) as w:
            w.append(_table(["a", "b"]))  # already written to the temporary files
            w.append(bad)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert _leftovers(tmp_path) == []


def test_nothing_is_replaced_before_commit(tmp_path: Path):
    write_table(_table(["old"]), "t", tmp_path)
    old_csv = (tmp_path / "t.csv").read_bytes()
    with TableWriter("t", tmp_path, SCHEMA, defer_commit=True) as w:
        w.append(_table(["new"]))
    assert (tmp_path / "t.csv").read_bytes() == old_csv  # closed, not yet committed
    assert len(_leftovers(tmp_path)) == 2  # the finished CSV and Parquet, waiting
    assert w.commit() == tmp_path / "t.csv"
    assert pd.read_csv(tmp_path / "t.csv").doc_id.tolist() == ["new"]
    assert _leftovers(tmp_path) == []


def test_a_crash_between_chunks_writes_nothing(tmp_path: Path):
    with pytest.raises(RuntimeError, match="crash"):
        with TableWriter("t", tmp_path, SCHEMA) as w:
            w.append(_table(["a"]))
            raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []


def test_chunks_must_keep_their_partition_apart_and_in_order(tmp_path: Path):
    with pytest.raises(ValueError, match="disjoint, increasing doc_id"):
        with TableWriter("t", tmp_path, SCHEMA, partition_by="doc_id") as w:
            w.append(_table(["a", "b"]))
            w.append(_table(["b"], 2))  # doc "b" split over two chunks
    assert list(tmp_path.iterdir()) == []


def test_a_chunk_of_other_columns_or_types_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="chunk schema"):
        with TableWriter("t", tmp_path, SCHEMA) as w:
            w.append(_table(["a"]))
            w.append(_table(["b"]).drop_columns(["flag"]))
    with pytest.raises(ValueError, match="chunk schema"):
        with TableWriter("t", tmp_path, SCHEMA) as w:  # int -> float would write "1.0" for "1"
            w.append(_table(["b"]).cast(SCHEMA.set(1, pa.field("n", pa.float64()))))
    assert list(tmp_path.iterdir()) == []
