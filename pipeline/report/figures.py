"""The report's figures, drawn with matplotlib (object API, Agg canvas) as PNG and SVG.

The object API (``Figure`` without ``pyplot``) keeps no global state, so figures can be
drawn from a worker thread of a Prefect task. SVGs are written without a date and with a
fixed hash salt, so the same data give the same files.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from pipeline.tables import atomic_path

MAX_HEATMAP_DRUGS = 40
_EMPTY = "#f4f5f7"
_CMAP = LinearSegmentedColormap.from_list("adcm", ["#dbe9f6", "#6baed6", "#08306b"])
_OPEN = "#b2182b"


def _label(category: str) -> str:
    return category.replace("_", " ")


def _save(fig: Figure, out_dir: Path, stem: str) -> list[Path]:
    FigureCanvasAgg(fig)
    paths = []
    with mpl.rc_context({"svg.hashsalt": "adcm-report", "svg.fonttype": "path"}):
        for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None})):
            target = out_dir / f"{stem}.{ext}"
            with atomic_path(target) as tmp:
                fig.savefig(tmp, format=ext, dpi=150, bbox_inches="tight", metadata=meta)
            paths.append(target)
    return paths


def _grid(ax, values: np.ndarray) -> None:
    """Colour cells by value on a log-like scale; zero cells stay light grey."""
    masked = np.ma.masked_equal(values, 0)
    cmap = _CMAP.with_extremes(bad=_EMPTY)
    vmax = max(int(values.max()) if values.size else 1, 1)
    ax.imshow(
        masked,
        cmap=cmap,
        norm=mpl.colors.PowerNorm(0.5, vmin=0, vmax=vmax),
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(which="major", length=0, labelsize=9)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _text_colour(value: int, vmax: int) -> str:
    return "white" if vmax and (value / vmax) ** 0.5 > 0.6 else "#1a1a1a"


def plot_drug_mechanism(
    counts: pd.DataFrame,
    hedged: pd.DataFrame,
    negated: pd.DataFrame,
    out_dir: Path,
    stem: str = "heatmap_drug_mechanism",
) -> list[Path]:
    """Heatmap drugs x mechanism categories; cells: supporting evidence rows "n (h hedged)",
    negated rows apart ("x neg": they deny the claim, so they are no support).

    Cells with negated evidence get a red corner. At most ``MAX_HEATMAP_DRUGS`` drugs (those with
    the most evidence) are drawn; the caption says how many were left out.
    """
    shown = counts.iloc[:MAX_HEATMAP_DRUGS]
    hidden = len(counts) - len(shown)
    values = shown.to_numpy(dtype=int) if len(shown) else np.zeros((1, counts.shape[1]), int)
    rows = list(shown.index) if len(shown) else ["(no drug-mechanism evidence yet)"]
    fig = Figure(figsize=(2.6 + 1.05 * values.shape[1], 1.9 + 0.42 * values.shape[0]))
    ax = fig.add_subplot()
    _grid(ax, values)
    vmax = int(values.max())
    for i, drug in enumerate(shown.index):
        for j, cat in enumerate(shown.columns):
            n = int(values[i, j])
            h, x = int(hedged.loc[drug, cat]), int(negated.loc[drug, cat])
            if not n and not x:
                continue
            colour = _text_colour(n, vmax)
            sub = ", ".join(p for p in (f"{h} h" if h else "", f"{x} neg" if x else "") if p)
            ax.text(j, i - (0.12 if sub else 0), str(n), ha="center", va="center",
                    fontsize=10, fontweight="bold", color=colour)  # fmt: skip
            if sub:
                ax.text(j, i + 0.24, f"({sub})", ha="center", va="center", fontsize=6.5,
                        color=colour)  # fmt: skip
            if x:  # a red corner: this cell holds negated evidence
                corner = [(j + 0.5, i - 0.5), (j + 0.18, i - 0.5), (j + 0.5, i - 0.18)]
                ax.add_patch(Polygon(corner, closed=True, facecolor=_OPEN, edgecolor="none"))
    ax.set_yticks(range(len(rows)), rows)
    ax.xaxis.tick_top()
    ax.set_xticks(range(values.shape[1]), [_label(c) for c in counts.columns],
                  rotation=35, ha="left")  # fmt: skip
    note = (
        "Cell: supporting evidence rows (h = hedged); neg = negated rows, not counted as "
        "support; red corner: has negated."
    )
    if hidden:
        note += f" {hidden} drugs with less evidence not shown."
    ax.set_xlabel(note, fontsize=8, color="#555555", labelpad=8)
    return _save(fig, out_dir, stem)


def plot_mechanism_strategy(
    matrix: pd.DataFrame,
    out_dir: Path,
    described: Collection[str] | None = None,
    stem: str = "matrix_mechanism_strategy",
) -> list[Path]:
    """Matrix mechanism x strategy categories.

    A row without any strategy is marked ``[open]`` (red) if the mechanism was described
    (is in ``described``; all rows when None), else ``[not described]`` (grey).
    """
    values = matrix.to_numpy(dtype=int)
    fig = Figure(figsize=(3.4 + 0.62 * values.shape[1], 1.9 + 0.45 * values.shape[0]))
    ax = fig.add_subplot()
    _grid(ax, values)
    vmax = int(values.max()) if values.size else 0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if values[i, j]:
                ax.text(j, i, str(values[i, j]), ha="center", va="center", fontsize=9,
                        color=_text_colour(int(values[i, j]), vmax))  # fmt: skip
    labels, colours = [], []
    for i, mech in enumerate(matrix.index):
        if int(values[i].sum()):
            labels.append(_label(mech))
            colours.append(None)
        elif described is None or mech in described:
            labels.append(_label(mech) + "  [open]")
            colours.append(_OPEN)
        else:
            labels.append(_label(mech) + "  [not described]")
            colours.append("#8a8f98")
    ax.set_yticks(range(values.shape[0]), labels)
    for tick, colour in zip(ax.get_yticklabels(), colours, strict=True):
        if colour:
            tick.set_color(colour)
            tick.set_fontweight("bold" if colour == _OPEN else "normal")
    ax.xaxis.tick_top()
    ax.set_xticks(range(values.shape[1]), [_label(c) for c in matrix.columns],
                  rotation=40, ha="left")  # fmt: skip
    ax.set_xlabel(
        "Cell: evidence rows linking a mechanism to a counter-strategy; [open]: resistance "
        "described, no counter-strategy proposed.",
        fontsize=8, color="#555555", labelpad=8,
    )  # fmt: skip
    return _save(fig, out_dir, stem)
