"""Where the time goes: three plain views of a pyinstrument session.

- ``stages``: the direct callees of the profiled entry point (the pipeline's stages),
  cumulative time each, seen through the frames that only hand documents on.
- ``owners``: every sampled moment charged to the deepest *pipeline* function on the
  stack, i.e. "which of our functions is responsible, including the library calls it
  makes" -- the view that says what to optimise.
- ``leaf_packages``: self time by the package that was actually executing (spacy,
  scispacy, re, pandas, pipeline.nlp, ...) -- the view that says whose code runs.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

ENTRY_FUNCTIONS = ("run_extract",)
# Frames that only hand documents on: the stage view shows their callees instead
# (``ordered_map`` -> ``process_batch`` -> ``analyse_documents`` -> ingest, annotate, extract).
PASS_THROUGH = ("ordered_map", "process_batch", "analyse_documents")


def _path(frame: Any) -> str:
    return str(getattr(frame, "file_path", "") or "")


def _pipeline_module(path: str) -> str | None:
    parts = Path(path).parts
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in ("pipeline", "flows") and "site-packages" not in parts[:i]:
            mod = ".".join((*parts[i:-1], Path(parts[-1]).stem))
            return mod
    return None


def _package(path: str, function: str = "") -> str:
    if not path or path.startswith("<"):
        return f"built-in {function}".strip()  # C functions: re, str methods, ...
    mod = _pipeline_module(path)
    if mod:
        return ".".join(mod.split(".")[:2])
    parts = Path(path).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    if "lib" in parts and any(p.startswith("python3") for p in parts):
        return "stdlib:" + Path(path).stem
    return Path(path).stem


def _label(frame: Any) -> str:
    mod = _pipeline_module(_path(frame)) or _package(_path(frame))
    return f"{mod}.{frame.function}"


def _entries(frame: Any) -> list[Any]:
    """The topmost frames of the entry function (a profile can hold several fragments)."""
    if frame.function in ENTRY_FUNCTIONS:
        return [frame]
    return [e for child in frame.children for e in _entries(child)]


def _walk(
    frame: Any,
    owner: str,
    owners: dict[str, float],
    leaves: dict[str, float],
    parent: tuple[str, str] = ("", ""),
) -> None:
    if getattr(frame, "is_synthetic", False):
        owners[owner] += frame.time  # "[self]"/"[await]": the parent's own time, no code
        leaves[_package(*parent)] += frame.time
        return
    if _pipeline_module(_path(frame)):
        owner = _label(frame)
    self_time = frame.time - sum(c.time for c in frame.children)
    if self_time > 0:
        owners[owner] += self_time
        leaves[_package(_path(frame), frame.function)] += self_time
    for child in frame.children:
        _walk(child, owner, owners, leaves, (_path(frame), frame.function))


def _stage_frames(frame: Any) -> list[Any]:
    """The children of ``frame``, looking through :data:`PASS_THROUGH` frames (their own
    time is charged to them as a stage of its own, e.g. unpickling a worker's result)."""
    out = []
    for child in frame.children:
        if child.function in PASS_THROUGH and child.children:
            inner = _stage_frames(child)
            out += inner
            own = child.time - sum(c.time for c in inner)
            if own > 0:
                out.append(_Own(child, own))
        else:
            out.append(child)
    return out


class _Own:
    """A frame's own time as a pseudo-frame (for :func:`_stage_frames`)."""

    def __init__(self, frame: Any, time: float) -> None:
        self.function, self.file_path, self.time = frame.function, _path(frame), time


def _top(d: dict[str, float], total: float, n: int) -> list[dict[str, Any]]:
    rows = sorted(d.items(), key=lambda kv: -kv[1])[:n]
    return [
        {"name": k, "seconds": round(v, 3), "percent": round(100 * v / total, 1)} for k, v in rows
    ]


def summarise(session: Any, n: int = 15) -> dict[str, Any]:
    """Stage, owner and package views over the whole session (all fragments of the tree).

    pyinstrument sometimes cannot join a stack that passes through spaCy's Cython
    generators (``nlp.pipe``): such samples land beside the entry point instead of under
    it. They still count in the total and in the package view; in the stage view they
    are one explicit "unresolved" row.
    """
    root = session.root_frame()
    if root is None:
        return {"total_s": 0.0, "stages": [], "owners": [], "leaf_packages": []}
    total = root.time or 1e-9
    entries = _entries(root)
    stages: dict[str, float] = defaultdict(float)
    for entry in entries:
        for child in _stage_frames(entry):
            stages[_label(child)] += child.time
        stages["(the entry point's own lines)"] += entry.time - sum(c.time for c in entry.children)
    outside = total - sum(e.time for e in entries)
    if outside > 0.005 * total:
        stages["(unresolved stacks, e.g. inside spaCy's Cython generators)"] += outside
    owners: dict[str, float] = defaultdict(float)
    leaves: dict[str, float] = defaultdict(float)
    _walk(root, "(no pipeline function on the stack)", owners, leaves)
    return {
        "entry": _label(entries[0]) if entries else "(entry point not found)",
        "total_s": round(total, 3),
        "stages": _top(stages, total, n),
        "owners": _top(owners, total, n),
        "leaf_packages": _top(leaves, total, n),
    }


def to_markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"Entry point `{summary.get('entry', '?')}`; {summary['total_s']:.1f} s sampled "
        "(pyinstrument, 1 ms interval, n_process=1).",
        "",
    ]
    views = (
        ("stages", "Stages (direct callees of the entry point, cumulative)"),
        ("owners", "Deepest pipeline function on the stack (incl. library calls it makes)"),
        ("leaf_packages", "Executing package (self time)"),
    )
    for key, title in views:
        lines += [f"### {title}", "", "| % | seconds | where |", "|---:|---:|---|"]
        lines += [f"| {r['percent']} | {r['seconds']} | `{r['name']}` |" for r in summary[key]]
        lines.append("")
    tree = summary.get("tree", "").strip().splitlines()
    if tree:
        lines += ["### Call tree (pyinstrument, library frames folded; first 120 lines)", ""]
        lines += ["```", *tree[:120], "```", ""]
    return "\n".join(lines)
