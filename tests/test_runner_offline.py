"""The offline extract path end to end: fixture abstracts, the real corpus, determinism."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.commands.cli import main
from pipeline.config import Settings
from pipeline.evaluation.triples import evaluate
from pipeline.model import Evidence, InferredTriple, Triple
from pipeline.runner.offline import run_extract as _run_extract

ROOT = Path(__file__).resolve().parents[1]
ABSTRACTS = ROOT / "tests" / "fixtures" / "extract" / "abstracts"
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "gold" / "triples_dev.csv"
TABLES = (
    "documents",
    "sentences",
    "references",
    "citations",
    "tables",
    "abbreviations",
    "problems",
    "entities",
    "mentions",
    "adc_catalog",
    "triples",
    "evidence",
    "inferred_triples",
)


def run_extract(corpus: Path, out: Path, n_process: int = 1, **options):  # noqa: ANN201
    settings = Settings(corpus_dir=Path(corpus), out_dir=Path(out), n_process=n_process)
    return _run_extract(settings, **options)


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", keep_default_na=False, dtype=str)


@pytest.fixture(scope="module")
def abstracts_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("abstracts")
    assert main(["extract", "--corpus", str(ABSTRACTS), "--out", str(out)]) == 0
    return out


def test_extract_command_on_plain_abstracts(abstracts_run: Path):
    triples = _csv(abstracts_run, "triples")
    got = set(
        zip(
            triples.drug,
            triples.mechanism_category,
            triples.mechanism_entity,
            triples.strategy_category,
            strict=True,
        )
    )
    # first line = title; abbreviations SG / T-DXd resolve to the abstract's ADC
    assert ("sacituzumab govitecan", "payload_resistance", "SLFN11", "") in got
    assert (
        "sacituzumab govitecan",
        "payload_resistance",
        "SLFN11",
        "combination_targeted_therapy",
    ) in got
    assert ("trastuzumab deruxtecan", "drug_efflux", "ABCG2", "") in got
    assert ("trastuzumab deruxtecan", "drug_efflux", "ABCG2", "efflux_inhibition") in got
    # the approval sentence yields nothing; "not reduced" is kept and flagged
    evidence = _csv(abstracts_run, "evidence")
    assert not evidence.sentence.str.contains("was approved").any()
    negated = evidence[evidence.negated == "True"]
    assert list(negated.sentence) == ["TROP2 expression was not reduced in resistant cells."]


def test_exact_columns_and_keys(abstracts_run: Path):
    assert list(_csv(abstracts_run, "triples").columns) == Triple.columns()
    assert list(_csv(abstracts_run, "evidence").columns) == Evidence.columns()
    assert list(_csv(abstracts_run, "inferred_triples").columns) == InferredTriple.columns()
    triples, evidence = _csv(abstracts_run, "triples"), _csv(abstracts_run, "evidence")
    assert set(evidence.triple_id) == set(triples.triple_id)
    counts = evidence.groupby("triple_id").size()
    assert all(
        int(n) == counts[t] for t, n in zip(triples.triple_id, triples.n_evidence, strict=True)
    )
    inferred = _csv(abstracts_run, "inferred_triples")
    assert (inferred.inferred == "True").all()
    assert set(inferred.source_triple_id) <= set(triples.triple_id)


def test_run_without_any_claim_still_writes_every_table(tmp_path: Path):
    """A folder whose abstracts state no resistance claim: empty but valid tables."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "A phase I dose-escalation study\n\nPatients received escalating doses of an "
        "investigational agent. The maximum tolerated dose was 6 mg/kg.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_extract(corpus, out)
    assert result.n_documents == 1 and result.n_triples == 0 and result.n_inferred == 0
    for name in TABLES:
        assert (out / f"{name}.csv").exists(), name
    assert list(_csv(out, "triples").columns) == Triple.columns()
    assert list(_csv(out, "inferred_triples").columns) == InferredTriple.columns()


def test_run_on_a_folder_without_documents_writes_every_table(tmp_path: Path):
    """No usable file at all: every table is written empty, typed by its schema."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    out = tmp_path / "out"
    result = run_extract(corpus, out)
    assert result.n_documents == 0 and result.n_triples == 0
    for name in TABLES:
        assert (out / f"{name}.csv").exists(), name
        assert (out / f"{name}.parquet").exists(), name
    assert list(_csv(out, "triples").columns) == Triple.columns()
    assert list(_csv(out, "evidence").columns) == Evidence.columns()
    assert (out / "datapackage.json").exists()


def test_datapackage_describes_every_table(abstracts_run: Path):
    package = json.loads((abstracts_run / "datapackage.json").read_text(encoding="utf-8"))
    by_path = {r["path"]: r for r in package["resources"]}
    assert set(by_path) == {f"{t}.csv" for t in TABLES}
    for path, resource in by_path.items():
        header = list(pd.read_csv(abstracts_run / path, nrows=0).columns)
        assert [f["name"] for f in resource["schema"]["fields"]] == header, path
    fields = {f["name"]: f["type"] for f in by_path["triples.csv"]["schema"]["fields"]}
    assert fields["n_evidence"] == "integer" and fields["confidence"] == "number"
    assert fields["drug"] == "string"
    ev_fields = {f["name"]: f["type"] for f in by_path["evidence.csv"]["schema"]["fields"]}
    assert ev_fields["negated"] == "boolean"


def test_runs_are_byte_identical_across_hash_seeds(tmp_path: Path):
    """Two processes with different PYTHONHASHSEED give identical extraction tables."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "extract",
                "--corpus",
                str(ABSTRACTS),
                "--out",
                str(out),
            ],
            check=True,
            env=env,
            capture_output=True,
            cwd=ROOT,
        )
        outs.append(out)
    # every table the run writes (ingest, NER, extraction), its package and clean texts
    names = sorted(
        str(p.relative_to(outs[0]))
        for p in outs[0].rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json", ".txt", ".parquet")
    )
    assert {"triples.csv", "evidence.csv", "mentions.csv", "datapackage.json"} <= set(names)
    assert names == sorted(
        str(p.relative_to(outs[1]))
        for p in outs[1].rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json", ".txt", ".parquet")
    )
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


@pytest.mark.slow
def test_real_corpus_twice_identical_and_scored(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    result = run_extract(CORPUS, a)
    run_extract(CORPUS, b)
    assert result.n_documents == 5 and result.n_triples > 50
    for path in sorted(a.glob("*.csv")):
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name
    assert (a / "datapackage.json").read_bytes() == (b / "datapackage.json").read_bytes()
    # reference titles are first-class evidence, with their own reference resolved
    evidence = _csv(a, "evidence")
    mdr1 = evidence[evidence.sentence.str.startswith("Inhibition of MDR1 overcomes")]
    assert not mdr1.empty and mdr1.cited_refs.str.contains("pmcid:PMC7056527").all()
    if GOLD.exists():  # regression floor, well under the measured scores (README)
        scores = evaluate(GOLD, a)
        assert scores.sentence.f1 >= 0.65
        assert scores.dataset_by_kind["drug+mechanism+strategy"].f1 >= 0.65


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def messy_corpus(tmp_path_factory) -> Path:
    """The real corpus plus an empty file and a duplicate: problems of every stage."""
    folder = tmp_path_factory.mktemp("messy")
    for path in CORPUS.iterdir():
        shutil.copy(path, folder / path.name)
    (folder / "zz_empty.txt").write_bytes(b"")
    first = sorted(CORPUS.glob("*.txt"))[0]
    shutil.copy(first, folder / "zz_duplicate.txt")
    return folder


def test_streaming_in_batches_gives_the_one_batch_files(messy_corpus: Path, tmp_path: Path):
    """One document per batch and every document in one batch: the same bytes, every file
    (tables, Parquet, cleaned texts, datapackage.json), the same counts and problems."""
    one = run_extract(messy_corpus, tmp_path / "one", batch_docs=1000)
    each = run_extract(messy_corpus, tmp_path / "each", batch_docs=1)
    assert one.n_documents == 5 and one.n_triples > 50
    files = _files(tmp_path / "one")
    assert {"mentions.csv", "sentences.parquet", "citations.csv", "datapackage.json"} <= set(files)
    assert sum(1 for f in files if f.startswith("clean/")) == 5
    assert _files(tmp_path / "each") == files
    for field in ("n_documents", "n_sentences", "n_mentions", "n_claims", "n_triples"):
        assert getattr(each, field) == getattr(one, field), field
    assert each.problems == one.problems
    assert [p.relative_to(tmp_path / "each") for p in each.files] == [
        p.relative_to(tmp_path / "one") for p in one.files
    ]
    problems = _csv(tmp_path / "one", "problems")
    assert {"zz_empty.txt", "zz_duplicate.txt"} <= set(problems.file)


def test_worker_processes_give_the_one_process_files(messy_corpus: Path, tmp_path: Path):
    """n_process=2 (documents split among forked workers, one document per unit): the same
    bytes, counts and problems as one process, the failed documents included."""
    one = run_extract(messy_corpus, tmp_path / "one")
    two = run_extract(messy_corpus, tmp_path / "two", n_process=2, batch_docs=2)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    for field in ("n_documents", "n_sentences", "n_mentions", "n_claims", "n_triples"):
        assert getattr(two, field) == getattr(one, field), field
    assert two.problems == one.problems


def test_a_worker_failure_fails_the_run_and_keeps_the_outputs(tmp_path: Path, monkeypatch):
    """An exception in a worker process reaches the caller; nothing is replaced."""
    import pipeline.batch

    out = tmp_path / "out"
    run_extract(ABSTRACTS, out)
    before = _files(out)

    def crash(docs, settings):
        raise RuntimeError(f"crash on {docs[0].document.file}")

    monkeypatch.setattr(pipeline.batch, "analyse_documents", crash)  # the forked workers too
    with pytest.raises(RuntimeError, match="crash on"):
        run_extract(ABSTRACTS, out, n_process=2)
    assert _files(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_failed_run_leaves_the_previous_outputs(tmp_path: Path, monkeypatch):
    """A crash after some batches were written: no file of the previous run changes and
    no temporary file is left behind."""
    import pipeline.batch

    out = tmp_path / "out"
    run_extract(ABSTRACTS, out)
    before = _files(out)
    real = pipeline.batch.analyse_documents
    calls = []

    def crash_on_second_batch(docs, settings):
        calls.append(len(docs))
        if len(calls) == 2:
            raise RuntimeError("crash in batch 2")
        return real(docs, settings)

    monkeypatch.setattr(pipeline.batch, "analyse_documents", crash_on_second_batch)
    with pytest.raises(RuntimeError, match="crash in batch 2"):
        run_extract(ABSTRACTS, out, batch_docs=1)
    assert calls == [1, 1]
    assert _files(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_batch_docs_must_be_positive(tmp_path: Path):
    with pytest.raises(ValueError, match="batch_docs"):
        run_extract(ABSTRACTS, tmp_path, batch_docs=0)
    with pytest.raises(ValueError, match="n_process"):
        run_extract(ABSTRACTS, tmp_path, n_process=0)
