"""pipeline.evaluation.errors: one sentence's gold and extracted rows -> error classes."""

from __future__ import annotations

from pipeline.evaluation import errors
from pipeline.evaluation.errors import Row, classify

T, D = "trastuzumab emtansine", "trastuzumab deruxtecan"


def kinds(gold, pred):
    return [c.kind for c in classify(gold, pred, "a.txt: s")]


def test_claim_detection_both_ways():
    row = Row(T, "drug_efflux", "", False)
    assert kinds([row], []) == [errors.MISSED]
    assert kinds([], [row]) == [errors.SPURIOUS]
    assert kinds([row], [row]) == []


def test_drug_mechanism_strategy_and_negation_differences():
    gold = [Row(T, "antigen_loss", "", True), Row(T, "", "treatment_sequencing", False)]
    assert kinds(gold, [Row(D, "antigen_loss", "", True)]) == [errors.DRUG, errors.STRATEGY]
    affirmed = [Row(T, "antigen_loss", "", False), Row(T, "", "treatment_sequencing", False)]
    assert kinds(gold, affirmed) == [errors.NEGATION]
    efflux, payload = Row(T, "drug_efflux", "", False), Row(T, "payload_resistance", "", False)
    case = classify([efflux], [payload], "w")[0]
    assert case.kind == errors.MECHANISM
    assert case.detail == "missed drug_efflux; extra payload_resistance"


def test_by_class_puts_the_biggest_class_first():
    cases = (
        classify([], [Row(T, "x", "", False)], "1")
        + classify([Row(T, "x", "", False)], [], "2")
        + classify([], [Row(T, "y", "", False)], "3")
    )
    assert [(k, len(v)) for k, v in errors.by_class(cases)] == [
        (errors.SPURIOUS, 2),
        (errors.MISSED, 1),
    ]
