"""pipeline.kb.unchanged: an unchanged corpus is refreshed (and recorded) without Prefect."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select
from test_flow import HER2, REVIEW_WITH_REFERENCES, SLFN11, kb, run_flow, write_corpus

from pipeline.config import Settings
from pipeline.kb import schema
from pipeline.kb.unchanged import run_if_unchanged

pytestmark = pytest.mark.slow


def _runs(out: Path) -> list[tuple[str, str]]:
    r = schema.runs
    with kb(out).connect() as conn:
        return [tuple(x) for x in conn.execute(select(r.c.run_id, r.c.status).order_by(r.c.run_id))]


@pytest.fixture
def built(prefect_harness, tmp_path: Path) -> tuple[Path, Path]:
    corpus = write_corpus(tmp_path / "corpus", {"her2.txt": HER2, "slfn11.txt": SLFN11})
    out = tmp_path / "extracted"
    run_flow(corpus, out)
    return corpus, out


def test_nothing_to_process_is_recorded_and_exports_are_kept(built) -> None:
    corpus, out = built
    before = (out / "triples.csv").stat().st_mtime_ns
    summary = run_if_unchanged(Settings(corpus_dir=corpus, out_dir=out), report=False)
    assert summary is not None and summary["status"] == "completed"
    assert summary["docs"]["unchanged"] == 2 and summary["docs"]["seen"] == 2
    assert (out / "triples.csv").stat().st_mtime_ns == before  # still current: not rewritten
    assert _runs(out)[-1] == (summary["run_id"], "completed")
    assert (out / "runs" / f"{summary['run_id']}.md").is_file()


def test_missing_exports_are_written_again(built) -> None:
    corpus, out = built
    expected = (out / "triples.csv").read_bytes()
    (out / "triples.csv").unlink()
    summary = run_if_unchanged(Settings(corpus_dir=corpus, out_dir=out), report=False)
    assert summary is not None and (out / "triples.csv").read_bytes() == expected


@pytest.mark.parametrize("change", ["edit", "add", "remove", "watch", "expansion"])
def test_any_work_leaves_it_to_the_flow_without_recording_anything(built, change) -> None:
    corpus, out = built
    settings = Settings(corpus_dir=corpus, out_dir=out)
    if change == "edit":
        (corpus / "her2.txt").write_text(HER2 + "\nEdited.\n", encoding="utf-8")
    elif change == "add":
        (corpus / "new.txt").write_text(SLFN11 + "\nNew.\n", encoding="utf-8")
    elif change == "remove":
        (corpus / "slfn11.txt").unlink()
    elif change == "watch":
        settings = Settings(corpus_dir=corpus, out_dir=out, literature_watch=True)
    else:  # a document with references never expanded
        (corpus / "review.txt").write_text(REVIEW_WITH_REFERENCES, encoding="utf-8")
        run_flow(corpus, out)
        settings = Settings(corpus_dir=corpus, out_dir=out, expand_references=True)
    runs = _runs(out)
    assert run_if_unchanged(settings, report=False) is None
    assert _runs(out) == runs


def test_the_cli_does_not_import_prefect_for_an_unchanged_corpus(built, tmp_path) -> None:
    corpus, out = built
    script = textwrap.dedent(
        f"""
        import sys
        from pipeline.commands.cli import main
        code = main(["run", "--corpus", {str(corpus)!r}, "--out", {str(out)!r}, "--no-report"])
        print(code, "prefect" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "0 False", done.stdout + done.stderr
    assert "# Run " in done.stdout and "| 2 | 0 | 0 | 0 | 0 | 0 | 2 | 0 | 0 |" in done.stdout
