"""The evaluation harness on a tiny gold + prediction whose scores are computed by hand."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.commands.cli import main
from pipeline.evaluation import errors
from pipeline.evaluation.gold import COLUMNS
from pipeline.evaluation.triples import evaluate

T = "trastuzumab emtansine"
G = "antibody-drug conjugate"


def _write(path: Path, cols: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        w.writerows(rows)


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold.csv"
    _write(
        gold,
        list(COLUMNS),
        [
            # S1: gold has two rows; the prediction gets one key of two
            [
                "a.txt",
                "",
                "MDR1  upregulation confers\nT-DM1 resistance.",
                T,
                "drug_efflux",
                "ABCB1",
                "",
                "",
                "false",
                "false",
                "",
            ],
            [
                "a.txt",
                "",
                "MDR1 upregulation confers T-DM1 resistance.",
                T,
                "",
                "",
                "efflux_inhibition",
                "MDR1 inhibition",
                "false",
                "false",
                "",
            ],
            # S2: gold sentence is contained in the (longer) evidence sentence; all 4 keys match
            [
                "a.txt",
                "",
                "Bispecific ADCs overcome HER2 loss.",
                G,
                "antigen_loss",
                "ERBB2",
                "bispecific_biparatopic_adc",
                "bispecific ADC",
                "false",
                "false",
                "",
            ],
            # S4: never predicted
            [
                "a.txt",
                "",
                "Heterogeneity limits ADC efficacy.",
                G,
                "tumor_heterogeneity",
                "heterogeneity",
                "",
                "",
                "false",
                "false",
                "",
            ],
        ],
    )
    pred = tmp_path / "pred"
    pred.mkdir()
    _write(pred / "documents.csv", ["doc_id", "file"], [["d1", "a.txt"], ["d2", "b.txt"]])
    tcols = [
        "triple_id",
        "drug",
        "drug_id",
        "mechanism",
        "mechanism_category",
        "mechanism_entity",
        "strategy",
        "strategy_category",
        "strategy_entity",
    ]
    _write(
        pred / "triples.csv",
        tcols,
        [
            ["t1", T, "adc:t", "MDR1", "drug_efflux", "ABCB1", "", "", ""],
            [
                "t2",
                G,
                "adcclass:generic",
                "HER2 loss",
                "antigen_loss",
                "ERBB2",
                "bispecific ADC",
                "bispecific_biparatopic_adc",
                "bispecific ADC",
            ],
            ["t3", T, "adc:t", "YES1", "bypass_signaling", "YES1", "", "", ""],
            [
                "t4",
                G,
                "adcclass:generic",
                "TME",
                "tumor_microenvironment",
                "tumor microenvironment",
                "",
                "",
                "",
            ],
        ],
    )
    _write(
        pred / "evidence.csv",
        ["triple_id", "doc_id", "sentence"],
        [
            ["t1", "d1", "MDR1 upregulation confers T-DM1 resistance."],
            ["t2", "d1", "In models, bispecific ADCs overcome HER2 loss."],
            ["t3", "d1", "YES1 amplification confers T-DM1 resistance."],  # no gold row: FP
            # b.txt has no gold row (a no-claim abstract): scored with docs="all" only
            ["t3", "d2", "Not a gold document."],
            ["t4", "d2", "The TME limits ADC efficacy."],
        ],
    )
    return gold, pred


def test_sentence_level_scores_by_hand(case):
    gold, pred = case
    r = evaluate(gold, pred, docs="gold")
    # S1: tp 1 fn 1; S2: tp 4; S3 (no gold): fp 1; S4: fn 1
    assert (r.sentence.tp, r.sentence.fp, r.sentence.fn) == (5, 1, 2)
    assert r.sentence.precision == pytest.approx(5 / 6)
    assert r.sentence.recall == pytest.approx(5 / 7)
    assert r.sentence.f1 == pytest.approx(10 / 13)
    assert r.sentence_by_kind["drug+strategy"].fn == 1


def test_dataset_level_scores_by_hand(case):
    gold, pred = case
    r = evaluate(gold, pred, docs="gold")
    dm = r.dataset_by_kind["drug+mechanism"]
    assert (dm.tp, dm.fp, dm.fn) == (2, 1, 1)
    full = r.dataset_by_kind["drug+mechanism+strategy"]
    assert (full.tp, full.fp, full.fn) == (1, 0, 0)
    gene = r.dataset_by_kind["drug+gene"]
    assert (gene.tp, gene.fp, gene.fn) == (2, 1, 0)


def test_documents_without_gold_rows_count_by_default(case):
    """docs="all" (default): a predicted document with no gold row - a no-claim abstract -
    contributes false positives at sentence and dataset level; docs="gold" ignores it."""
    gold, pred = case
    r = evaluate(gold, pred)
    # as with docs="gold", plus the two b.txt sentences: one drug+mechanism key each
    assert (r.sentence.tp, r.sentence.fp, r.sentence.fn) == (5, 3, 2)
    assert any("b.txt [no gold row]" in f for f in r.false_positives)
    dm = r.dataset_by_kind["drug+mechanism"]
    # (generic ADC, tumor_microenvironment) comes only from b.txt; (T-DM1, bypass) is
    # already a false positive from a.txt
    assert (dm.tp, dm.fp, dm.fn) == (2, 2, 1)
    assert r.dataset_by_kind["drug+gene"].fp == 1
    lenient = evaluate(gold, pred, docs="gold")
    assert not any("b.txt" in f for f in lenient.false_positives)
    with pytest.raises(ValueError, match="docs"):
        evaluate(gold, pred, docs="some")


def test_errors_are_listed_and_command_prints_scores(case, capsys):
    gold, pred = case
    r = evaluate(gold, pred)
    assert any("efflux_inhibition" in m for m in r.misses)
    assert any("bypass_signaling" in f and "no gold row" in f for f in r.false_positives)
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert "P=0.625 R=0.714 F1=0.667" in out  # tp=5 fp=3 fn=2, docs=all
    assert "all predicted documents" in out
    assert "False-positive keys (" in out
    assert "Errors by class (" in out
    args = ["evaluate", "--gold", str(gold), "--pred", str(pred), "--docs", "gold"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "P=0.833 R=0.714 F1=0.769" in out  # tp=5 fp=1 fn=2
    assert "gold-covered documents" in out


def test_missing_prediction_folder_is_a_clear_error(tmp_path, case):
    gold, _ = case
    with pytest.raises(FileNotFoundError, match="triples.csv"):
        evaluate(gold, tmp_path / "nowhere")


def test_invalid_gold_rows_are_warned_about(case, capsys):
    gold, pred = case
    assert evaluate(gold, pred).gold_problems == []
    with gold.open("a", encoding="utf-8", newline="") as fh:
        bad = ["a.txt", "", "MDR1 effluxes DM1.", T, "efflux", "ABCB1", "", "", "false", "", ""]
        csv.writer(fh).writerow(bad)
    problems = evaluate(gold, pred).gold_problems
    assert len(problems) == 2, problems
    assert all(p.startswith("row 5 (a.txt: 'MDR1 effluxes DM1.')") for p in problems)
    assert any("unknown mechanism_category 'efflux'" in p for p in problems)
    assert any("hedged must be 'true' or 'false'" in p for p in problems)
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred)]) == 0
    err = capsys.readouterr().err
    assert err.count("warning: gold") == 2
    assert "row 5" in err


def test_errors_are_sorted_into_classes(case):
    """S1 lacks its strategy, S4 was never read, YES1 and the b.txt sentences were read
    where the gold has no claim."""
    gold, pred = case
    r = evaluate(gold, pred)
    kinds = [c.kind for c in r.errors]
    assert kinds.count(errors.MISSED) == 1 and kinds.count(errors.STRATEGY) == 1
    assert kinds.count(errors.SPURIOUS) == 3
    strategy = next(c for c in r.errors if c.kind == errors.STRATEGY)
    assert "missed efflux_inhibition" in strategy.detail and "MDR1" in strategy.where
    assert [k for k, _ in errors.by_class(r.errors)][0] == errors.SPURIOUS  # biggest first


def test_shared_gold_layout_is_read(case, tmp_path):
    """../shared/devset/gold.csv names the file ``source_id`` and flags 0/1."""
    gold, pred = case
    shared = tmp_path / "shared.csv"
    with gold.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cols = ["source_id", "sentence", "drug", "mechanism_category", "mechanism_entity",
            "strategy_category", "strategy_entity", "negated", "hedged", "notes"]  # fmt: skip
    _write(shared, cols, [[r["file"], r["sentence"], r["drug"], r["mechanism_category"],
                           r["mechanism_entity"], r["strategy_category"], r["strategy_entity"],
                           "0", "0", ""] for r in rows])  # fmt: skip
    a, b = evaluate(gold, pred), evaluate(shared, pred)
    assert (a.sentence.tp, a.sentence.fp, a.sentence.fn) == (b.sentence.tp, b.sentence.fp,
                                                             b.sentence.fn)  # fmt: skip
    assert b.gold_problems == []
