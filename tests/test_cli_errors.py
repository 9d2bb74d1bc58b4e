"""Expected errors of every command: one line naming what is wrong, a non-zero exit, no
traceback (unless ``--debug``), nothing created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.commands.cli import main

CORPUS = str(Path(__file__).resolve().parents[1] / "corpus")
NO_SERVER = "postgresql+psycopg://nobody@127.0.0.1:1/adcm"  # nothing listens on port 1

CASES = [
    # (environment, arguments, exit status, what the line must say)
    ({"ADCM_N_PROCESS": "abc"}, ["run"], 2, "ADCM_N_PROCESS='abc': expected a whole number"),
    ({"ADCM_EXPAND_REFERENCES": "maybe"}, ["run"], 2, "ADCM_EXPAND_REFERENCES='maybe'"),
    ({"ADCM_TASK_RUNNER": "spark"}, ["run"], 2, "expected one of local, dask"),
    ({"ADCM_KB_URL": NO_SERVER}, ["run"], 1, 'port 1 failed: Connection refused'),
    ({}, ["run", "--kb-url", "garbage://x"], 2, "unknown database kind 'garbage'"),
    ({}, ["run", "--kb-url", "sqlite:///{tmp}/file.txt/kb.sqlite"], 1,
     "cannot create the knowledge base sqlite:///{tmp}/file.txt/kb.sqlite: File exists"),
    ({}, ["run", "--corpus", "{tmp}/nope"], 1, "corpus folder {tmp}/nope does not exist"),
    ({}, ["extract", "--corpus", "{tmp}/nope", "--out", "{tmp}/out"], 1, "does not exist"),
    ({"ADCM_BATCH_SIZE": "0"}, ["extract", "--corpus", CORPUS, "--out", "{tmp}/out"], 2,
     "ADCM_BATCH_SIZE='0': expected a value >= 1"),
    ({}, ["ingest", "--corpus", "{tmp}/file.txt", "--out", "{tmp}/out"], 1,
     "corpus folder {tmp}/file.txt is not a folder"),
    ({}, ["expand", "--corpus", "{tmp}/nope", "--out", "{tmp}/out"], 1, "does not exist"),
    ({}, ["query", "--out", "{tmp}/extractd"], 1, "no knowledge base at {tmp}/extractd/kb.sqlite"),
    ({}, ["history", "--out", "{tmp}/extractd"], 1, "no knowledge base at"),
    ({"ADCM_KB_URL": NO_SERVER}, ["history"], 1, "cannot open the knowledge base"),
]  # fmt: skip


def _fill(text: str, tmp: Path) -> str:
    return text.replace("{tmp}", str(tmp))


@pytest.mark.parametrize(("env", "argv", "code", "says"), CASES)
def test_one_line_non_zero_exit_nothing_created(
    env, argv, code, says, tmp_path, monkeypatch, capsys
) -> None:
    (tmp_path / "file.txt").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ADCM_KB_URL", raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    argv = [_fill(a, tmp_path) for a in argv]
    if argv[0] == "run" and "--corpus" not in argv:
        argv += ["--corpus", CORPUS, "--out", str(tmp_path / "out")]
    assert main(argv) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{argv[0]}: "), err
    assert _fill(says, tmp_path) in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]  # nothing created


def test_history_of_an_unknown_run(tmp_path, capsys) -> None:
    from pipeline.kb.db import get_engine

    get_engine(f"sqlite:///{tmp_path / 'kb.sqlite'}")  # an empty knowledge base
    assert main(["history", "--out", str(tmp_path), "--run", "bogus"]) == 1
    assert capsys.readouterr().err.strip() == (
        "history: no run 'bogus' in this knowledge base (`history` lists them)"
    )


def test_the_whole_process_prints_one_line_and_debug_the_traceback(tmp_path) -> None:
    args = [sys.executable, "-m", "pipeline", "query", "--out", str(tmp_path / "x")]
    plain = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path)
    assert plain.returncode == 1 and plain.stdout == ""
    assert plain.stderr.count("\n") == 1 and "Traceback" not in plain.stderr
    debug = subprocess.run([*args, "--debug"], capture_output=True, text=True, cwd=tmp_path)
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    assert "ExpectedError: no knowledge base at" in debug.stderr
    assert not (tmp_path / "x").exists()


def test_run_against_a_prefect_api_that_does_not_answer(tmp_path) -> None:
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:1/api"}
    args = [sys.executable, "-m", "pipeline", "run", "--corpus", CORPUS, "--out", "out"]
    done = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(
        "run: the Prefect API at http://127.0.0.1:1/api (PREFECT_API_URL) does not answer"
    )
    assert list(tmp_path.iterdir()) == []
