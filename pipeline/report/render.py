"""``build_report``: the self-contained HTML resistance map of one run.

Writes ``<out_dir>/report/``: ``index.html`` (data embedded as JSON, CSS and script
inline, no network access), the figures as PNG and SVG next to it, and ``summary.json``
(counts and triple ids) that the next build compares against to say what changed.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from pipeline.report.figures import MAX_HEATMAP_DRUGS, plot_drug_mechanism, plot_mechanism_strategy
from pipeline.report.payload import page_data, safe_json
from pipeline.report.prepare import (
    COUNT_KEYS,
    changes_since,
    described_mechanisms,
    drug_mechanism_matrix,
    headline_counts,
    mechanism_strategy_matrix,
    normalise_tables,
    open_mechanisms,
)
from pipeline.tables import write_text_atomic

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
SUMMARY_NAME = "summary.json"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def read_previous_summary(report_dir: Path) -> dict[str, Any] | None:
    """The summary an earlier build wrote, or None (first build, or unreadable: logged)."""
    path = report_dir / SUMMARY_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("report: ignoring unreadable previous summary %s: %s", path, exc)
        return None
    if not isinstance(data, dict):
        log.warning("report: ignoring previous summary %s: not a JSON object", path)
        return None
    return data


def build_report(
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    previous: dict | None = None,
    run_label: str = "",
) -> Path:
    """Build ``<out_dir>/report/index.html`` from the run's tables and return its path.

    ``tables``: triples, evidence, inferred_triples, documents, sentences, references,
    mentions (columns as in ``pipeline.model``; only triples and evidence are required).
    ``previous``: counts of the previous run (``{"counts": {...}, "triple_ids": [...]}`` or
    ``{name: count}``); None reads the ``summary.json`` of the previous build, if any.
    ``run_label``: shown in the page header (e.g. the flow run name); not stored in data.
    """
    t = normalise_tables(tables)
    report_dir = Path(out_dir) / "report"
    report_dir.mkdir(parents=True, exist_ok=True)
    if previous is None:
        previous = read_previous_summary(report_dir)

    orphans = ~t["evidence"]["triple_id"].isin(set(t["triples"]["triple_id"]))
    if orphans.any():
        log.warning(
            "report: %d evidence rows name a triple_id that is not in the triples table "
            "(first: %s); they are counted but cannot be shown under a triple",
            int(orphans.sum()), t["evidence"].loc[orphans, "triple_id"].iloc[0],
        )  # fmt: skip
    counts = headline_counts(t)
    triple_ids = set(t["triples"]["triple_id"])
    changes = changes_since(counts, triple_ids, previous)
    counts_dm, hedged_dm, negated_dm = drug_mechanism_matrix(t)
    ms_matrix = mechanism_strategy_matrix(t)
    described = {m for m, n in described_mechanisms(t).items() if n}
    open_mech = open_mechanisms(ms_matrix)

    figures = {
        "heatmap": plot_drug_mechanism(counts_dm, hedged_dm, negated_dm, report_dir),
        "matrix": plot_mechanism_strategy(ms_matrix, report_dir, described),
    }
    data = page_data(t, set(changes["new_triples"]))
    html = (
        _environment()
        .get_template("index.html.j2")
        .render(
            counts=counts,
            count_keys=COUNT_KEYS,
            changes=changes,
            run_label=run_label,
            figures={k: [p.name for p in v] for k, v in figures.items()},
            n_drugs_heatmap=len(counts_dm),
            max_heatmap_drugs=MAX_HEATMAP_DRUGS,
            open_with_evidence=[m for m in open_mech if m in described],
            open_without_evidence=[m for m in open_mech if m not in described],
            data_json=Markup(safe_json(data)),
            style=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
            script=Markup((TEMPLATES / "report.js").read_text(encoding="utf-8")),
        )
    )
    index = report_dir / "index.html"
    write_text_atomic(index, html)
    summary = {"counts": counts, "triple_ids": sorted(triple_ids)}
    write_text_atomic(report_dir / SUMMARY_NAME, json.dumps(summary, indent=1) + "\n")
    for path in [index, report_dir / SUMMARY_NAME, *(p for v in figures.values() for p in v)]:
        path.chmod(0o644)  # temp files are created 0600; the report is meant to be shared
    log.info(
        "report: wrote %s (%d triples, %d evidence rows, %d new, %d removed)",
        index, counts["triples"], counts["evidence"],
        len(changes["new_triples"]), len(changes["removed_triples"]),
    )  # fmt: skip
    return index
