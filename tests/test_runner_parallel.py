"""ordered_map: results in input order, bounded work in flight, worker errors raised."""

from __future__ import annotations

import os
import time

import pytest

from pipeline.runner.parallel import ordered_map


def _slow_square(x: int) -> tuple[int, int]:
    time.sleep(0.05 if x % 3 == 0 else 0.0)  # later units finish first
    return x * x, os.getpid()


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError(f"unit {x} is bad")
    return x


def test_results_come_back_in_input_order_from_worker_processes():
    out = list(ordered_map(_slow_square, range(12), n_process=2))
    assert [r for r, _ in out] == [x * x for x in range(12)]
    assert os.getpid() not in {pid for _, pid in out}


def _recorded(n: int, seen: list[int]):
    """Units 0..n-1, each noted in ``seen`` when it is read."""
    for x in range(n):
        seen.append(x)
        yield x


def test_one_process_runs_here_and_lazily():
    seen: list[int] = []
    it = ordered_map(_slow_square, _recorded(5, seen), n_process=1)
    assert next(it) == (0, os.getpid())
    assert seen == [0]  # no unit read ahead of its result


def test_at_most_in_flight_units_are_read_ahead():
    seen: list[int] = []
    it = ordered_map(_slow_square, _recorded(20, seen), n_process=2, in_flight=3)
    next(it)
    assert len(seen) == 3  # the first result is taken once 3 units are submitted
    assert len(list(it)) == 19


def test_a_worker_exception_is_raised_with_its_message():
    results = []
    with pytest.raises(ValueError, match="unit 3 is bad"):
        for r in ordered_map(_fail_on_three, range(8), n_process=2):
            results.append(r)
    assert results == [0, 1, 2]
