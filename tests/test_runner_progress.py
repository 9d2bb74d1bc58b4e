"""pipeline.runner.progress: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import logging

from pipeline.runner.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_lines_when_not_a_terminal(caplog) -> None:
    log = logging.getLogger("test.progress")
    with caplog.at_level(logging.INFO, logger="test.progress"):
        with Progress("expansion", 3, "references", log, every_s=0.0, stream=io.StringIO()) as p:
            for _ in range(3):
                p.step()
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("expansion: 1/3 references (33%")
    assert lines[-1].startswith("expansion: 3/3 references (100%")
    assert len(lines) == 3  # 1/3, 2/3 while running, 3/3 once at the end


def test_bar_on_a_terminal(caplog) -> None:
    screen = Terminal()
    log = logging.getLogger("test.progress")
    with caplog.at_level(logging.INFO, logger="test.progress"):
        with Progress("extract", 4, "documents", log, stream=screen) as p:
            assert p.mode == "bar"
            p.step(4)
    assert screen.getvalue().startswith("\rextract:   0%|") and "0/4" in screen.getvalue()
    assert [r.getMessage()[:23] for r in caplog.records] == ["extract: 4/4 documents "]
