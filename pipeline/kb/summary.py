"""The run summary: what one refresh saw and changed, as markdown for people and artifacts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.kb.plan import RefreshPlan
    from pipeline.model import Problem, SourceFile

DOC_COUNTS = ("seen", "added", "changed", "reextracted", "expanded", "removed", "unchanged",
              "failed", "abstracts")  # fmt: skip
# "abstracts": documents made from fetched abstracts (reference expansion, literature watch);
# "expanded": unchanged documents re-processed to expand their references (pipeline.kb.expansion)
TRIPLE_COUNTS = ("new", "updated", "retired", "active")


@dataclass
class RunSummary:
    run_id: str
    status: str = "running"
    extraction_version: str = ""
    kb_url: str = ""
    out_dir: str = ""
    docs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DOC_COUNTS, 0))
    triples: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TRIPLE_COUNTS, 0))
    timings: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    report_path: str = ""

    def counts_for_kb(self) -> dict[str, int]:
        """Column values for the ``runs`` table."""
        out = {f"docs_{k}": v for k, v in self.docs.items()}
        out.update({f"triples_{k}": v for k, v in self.triples.items()})
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def note_plan(
    summary: RunSummary, sources: list[SourceFile], problems: list[Problem], plan: RefreshPlan
) -> None:
    """The document counts of a plan, and discovery's problems, into ``summary``."""
    d = summary.docs
    d["seen"] = len(sources)
    for item in plan.work:
        d[item.action] += 1
    d["removed"] = len(plan.removed)
    d["unchanged"] = len(plan.unchanged)
    current = {src.doc_id for src in sources}
    # skipped by discover (empty, binary, too large); a duplicate of a used file is not a failure
    d["failed"] = sum(1 for p in problems if p.severity == "skipped" and p.doc_id not in current)
    summary.problems.extend(f"{p.stage} {p.file}: {p.message}" for p in problems
                            if p.severity in ("skipped", "warning"))  # fmt: skip


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(summary: RunSummary, max_problems: int = 50) -> str:
    """Markdown summary: documents, triples, timings, problems."""
    s = summary
    lines = [
        f"# Run {s.run_id}: {s.status}",
        "",
        f"- extraction version: `{s.extraction_version}`",
        f"- knowledge base: `{s.kb_url}`",
        f"- exports: `{s.out_dir}`",
    ]
    if s.report_path:
        lines.append(f"- report: `{s.report_path}`")
    lines += ["", "## Documents", ""]
    lines += _table(("seen", *DOC_COUNTS[1:]), [tuple(s.docs[k] for k in DOC_COUNTS)])
    lines += ["", "## Triples", ""]
    lines += _table(TRIPLE_COUNTS, [tuple(s.triples[k] for k in TRIPLE_COUNTS)])
    lines += ["", "## Timings (seconds)", ""]
    lines += _table(("step", "seconds"), [(k, f"{v:.2f}") for k, v in s.timings.items()])
    if s.problems:
        lines += ["", f"## Problems ({len(s.problems)})", ""]
        lines += [f"- {p}" for p in s.problems[:max_problems]]
        if len(s.problems) > max_problems:
            lines.append(f"- ... and {len(s.problems) - max_problems} more")
    return "\n".join(lines) + "\n"
