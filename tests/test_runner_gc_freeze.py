"""freeze_loaded_once: what is alive after the first batch leaves the collector's view."""

from __future__ import annotations

import gc

import pipeline.runner.gc_freeze as gc_freeze


def test_freezes_once_and_only_once(monkeypatch):
    calls = []
    monkeypatch.setattr(gc_freeze, "_frozen", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    kept = [[i] for i in range(1000)]  # alive: would be frozen
    gc_freeze.freeze_loaded_once()
    gc_freeze.freeze_loaded_once()
    assert calls == ["freeze"]
    assert kept


def test_frozen_objects_leave_the_collectors_view(monkeypatch):
    monkeypatch.setattr(gc_freeze, "_frozen", False)
    before = gc.get_freeze_count()
    kept = [[i] for i in range(1000)]
    try:
        gc_freeze.freeze_loaded_once()
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
