"""Writing tables: the chunked ``TableWriter`` against ``write_table`` and its guarantees."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow.parquet as pq
import pytest

from pipeline.export import TableWriter, write_table

SCHEMA = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str),
        "n": pa.Column(int, pa.Check.ge(0)),
        "text": pa.Column(str),
        "flag": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)


def _frame(doc_ids: list[str], start: int = 0, text: str = "plain") -> pd.DataFrame:
    if not doc_ids:  # typed as a filled chunk is (as the runner's empty chunks are)
        return _frame(["x"]).iloc[:0]
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            "n": list(range(start, start + len(doc_ids))),
            "text": [f"{text} {i}" for i in range(len(doc_ids))],
            "flag": [i % 2 == 0 for i in range(len(doc_ids))],
        }
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("buffer_rows", [65_536, 3])
def test_chunks_give_the_table_write_table_writes(tmp_path: Path, buffer_rows: int):
    chunks = [_frame(["a", "a"]), _frame([], 2), _frame(["b", "c", "c"], 2), _frame(["d"], 5)]
    whole = pd.concat(chunks, ignore_index=True)
    write_table(whole, "t", tmp_path / "one", SCHEMA)
    with TableWriter(
        "t", tmp_path / "chunks", SCHEMA, partition_by="doc_id", buffer_rows=buffer_rows
    ) as w:
        for c in chunks:
            w.append(c)
    assert w.rows == 6
    one, chunked = tmp_path / "one", tmp_path / "chunks"
    assert (chunked / "t.csv").read_bytes() == (one / "t.csv").read_bytes()
    assert pd.read_parquet(chunked / "t.parquet").equals(pd.read_parquet(one / "t.parquet"))
    groups = pq.ParquetFile(chunked / "t.parquet").num_row_groups
    if buffer_rows == 3:  # 2 + 3 rows gathered and written as one piece, then the last row
        assert groups == 2
    else:  # shorter than a row group: the very bytes DataFrame.to_parquet writes
        assert groups == 1
        assert (chunked / "t.parquet").read_bytes() == (one / "t.parquet").read_bytes()
    assert _leftovers(chunked) == []


def test_every_chunk_empty_gives_the_empty_table(tmp_path: Path):
    empty = _frame([])
    write_table(empty, "t", tmp_path / "one", SCHEMA)
    with TableWriter("t", tmp_path / "chunks", SCHEMA) as w:
        w.append(empty)
        w.append(empty)
    for suffix in (".csv", ".parquet"):
        a = (tmp_path / "one" / f"t{suffix}").read_bytes()
        assert (tmp_path / "chunks" / f"t{suffix}").read_bytes() == a, suffix
    assert (tmp_path / "chunks" / "t.csv").read_text(encoding="utf-8") == "doc_id,n,text,flag\n"


def test_formulas_neutralised_in_csv_only(tmp_path: Path):
    with TableWriter("t", tmp_path, SCHEMA) as w:
        w.append(_frame(["a"], text="plain"))
        w.append(_frame(["b"], 1, text="=HYPERLINK(x)"))
        w.append(_frame(["c"], 2, text="@SUM(A1)"))
    csv = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    assert list(csv.text) == ["plain 0", "'=HYPERLINK(x) 0", "'@SUM(A1) 0"]
    assert list(pd.read_parquet(tmp_path / "t.parquet").text) == [
        "plain 0",
        "=HYPERLINK(x) 0",
        "@SUM(A1) 0",
    ]


def test_schema_failure_in_a_later_chunk_leaves_the_previous_files(tmp_path: Path):
    write_table(_frame(["old"]), "t", tmp_path, SCHEMA)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = _frame(["z"])
    bad.loc[0, "n"] = -1  # fails Check.ge(0)
    with pytest.raises(Exception, match="greater_than_or_equal_to"):
        with TableWriter("t", tmp_path, SCHEMA, buffer_rows=1) as w:
            w.append(_frame(["a", "b"]))  # already written to the temporary files
            w.append(bad)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert _leftovers(tmp_path) == []


def test_nothing_is_replaced_before_commit(tmp_path: Path):
    write_table(_frame(["old"]), "t", tmp_path, SCHEMA)
    old_csv = (tmp_path / "t.csv").read_bytes()
    with TableWriter("t", tmp_path, SCHEMA, defer_commit=True) as w:
        w.append(_frame(["new"]))
    assert (tmp_path / "t.csv").read_bytes() == old_csv  # closed, not yet committed
    assert len(_leftovers(tmp_path)) == 2  # the finished CSV and Parquet, waiting
    assert w.commit() == tmp_path / "t.csv"
    assert pd.read_csv(tmp_path / "t.csv").doc_id.tolist() == ["new"]
    assert _leftovers(tmp_path) == []


def test_a_crash_between_chunks_writes_nothing(tmp_path: Path):
    with pytest.raises(RuntimeError, match="crash"):
        with TableWriter("t", tmp_path, SCHEMA) as w:
            w.append(_frame(["a"]))
            raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []


def test_chunks_must_keep_their_partition_apart_and_in_order(tmp_path: Path):
    with pytest.raises(ValueError, match="disjoint, increasing doc_id"):
        with TableWriter("t", tmp_path, SCHEMA, partition_by="doc_id") as w:
            w.append(_frame(["a", "b"]))
            w.append(_frame(["b"], 2))  # doc "b" split over two chunks
    assert list(tmp_path.iterdir()) == []


def test_a_chunk_of_other_columns_or_types_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="chunk columns"):
        with TableWriter("t", tmp_path) as w:
            w.append(_frame(["a"]))
            w.append(_frame(["b"]).drop(columns=["flag"]))
    with pytest.raises(ValueError, match="chunk dtypes"):
        with TableWriter("t", tmp_path) as w:  # int -> float would write "1.0" for "1"
            w.append(_frame(["a"]))
            w.append(_frame(["b"]).astype({"n": float}))
    with pytest.raises(ValueError, match="chunk dtypes"):
        with TableWriter("t", tmp_path, buffer_rows=1) as w:  # first rows already written
            w.append(_frame(["a"]))
            w.append(_frame(["b"]).assign(n=["not a number"]))
    assert list(tmp_path.iterdir()) == []


def test_nothing_appended_is_an_error(tmp_path: Path):
    with pytest.raises(ValueError, match="nothing appended"):
        with TableWriter("t", tmp_path):
            pass
