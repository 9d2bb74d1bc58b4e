"""The headline numbers and the markdown view of one bench run, both derived from the raw
measurements in the same results (nothing here is typed in)."""

from __future__ import annotations

from typing import Any

PUBMED_ABSTRACTS = 36_000_000
CLUSTER_CORES = 64

# key -> (what it is, goal as text, test of the goal); the goals of issues 15 and 16
TARGETS: dict[str, tuple[str, str, Any]] = {
    "ratio_extract_vs_entityruler_real": (
        "full extract / EntityRuler peer, words per CPU-s, real text", ">= 0.33",
        lambda v: v >= 0.33),
    "ratio_extract_vs_entityruler_generated": (
        "full extract / EntityRuler peer, words per CPU-s, generated text", ">= 0.25",
        lambda v: v >= 0.25),
    "ratio_ner_vs_entityruler": (
        "NER alone / EntityRuler peer, words per CPU-s, generated text", ">= 0.6",
        lambda v: v >= 0.6),
    "pubmed_core_hours_estimate": (
        "PubMed (36M abstracts) core-hours, from extract's CPU s per generated document",
        "<= 30", lambda v: v <= 30),
    "generated_repeated_sentence_share": (
        "generated corpus: sentences that repeat an earlier one exactly", "<= 0.01",
        lambda v: v <= 0.01),
    "generated_distinct_chunks_per_1k_docs": (
        "generated corpus: distinct whitespace chunks in its first 1,000 documents",
        ">= 15,000", lambda v: v >= 15000),
    "dask_speedup_2_vs_1_workers": (
        "flow on Dask, 2 workers / 1 worker, wall-time speed", ">= 1.6", lambda v: v >= 1.6),
    "dask_cost_vs_local": (
        "flow on Dask (2 workers, cluster start included) / local runner, wall per document",
        "<= 1.25", lambda v: v <= 1.25),
    "flow_vs_extract_throughput": (
        "flow (local runner, KB writes, export, report) / extract, documents per second",
        ">= 0.8", lambda v: v >= 0.8),
    "kb_last_vs_first_batch": (
        "flow: last window of documents / first (stage + KB transaction, thread CPU s)",
        "<= 1.2", lambda v: v <= 1.2),
    "ingest_16mb_vs_2mb": (
        "ingest of one 16 MB file / one 2 MB file, seconds", "<= 10", lambda v: v <= 10),
}  # fmt: skip


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict) or k not in d or (isinstance(d[k], dict) and "error" in d[k]):
            return None
        d = d[k]
    return d


def _div(a: float | None, b: float | None) -> float | None:
    return round(a / b, 4) if a is not None and b else None


def kb_windows(kb: dict[str, Any]) -> dict[str, Any] | None:
    """What the first and the last ``window`` documents of the kb row's flow run cost: the
    stage function plus the knowledge-base transaction of their batches, in thread CPU
    seconds (the headline: another process's load on this shared machine does not land in
    it) and in wall seconds."""
    calls = kb.get("calls")
    if not calls:
        return None
    k = max(1, kb["window"] // kb["batch_docs"])
    by = {name: [c for c in calls if c[0] == name] for name in ("process_batch", "store_batch")}
    n = min(len(by["process_batch"]), len(by["store_batch"]))
    if n < 2 * k:
        return None

    def cost(batches: slice, names: tuple[str, ...], field: int) -> float:
        if field == 3:
            return sum(c[3] for name in names for c in by[name][batches])
        return sum(c[2] - c[1] for name in names for c in by[name][batches])

    first, last = slice(0, k), slice(n - k, n)
    both, store = ("process_batch", "store_batch"), ("store_batch",)
    out: dict[str, Any] = {"batches": n, "batches_per_window": k}
    for label, names in (("", both), ("store_", store)):
        for unit, field in (("cpu", 3), ("wall", 2)):
            a, b = cost(first, names, field), cost(last, names, field)
            out[f"{label}{unit}_first_s"] = round(a, 3)
            out[f"{label}{unit}_last_s"] = round(b, 3)
            out[f"{label}{unit}_ratio"] = _div(b, a)
    out["ratio"] = out["cpu_ratio"]
    return out


def headline(results: dict[str, Any]) -> dict[str, Any]:
    """The top-level keys of ``latest.json``: issue 16's and issue 15's, from ``measurements``."""
    m, opts = results["measurements"], results["options"]

    def rate(row: str) -> float | None:
        return _get(m, row, "words_per_cpu_s")

    out: dict[str, Any] = {
        "ratio_extract_vs_entityruler_real": _div(rate("extract-real"), rate("peer-real")),
        "ratio_extract_vs_entityruler_generated": _div(
            rate("extract-generated"), rate("peer-generated")
        ),
        "ratio_ner_vs_entityruler": _div(rate("ner-generated"), rate("peer-generated")),
    }
    cpu, docs = _get(m, "extract-generated", "cpu_seconds"), _get(m, "extract-generated", "docs")
    core_h = PUBMED_ABSTRACTS * cpu / docs / 3600 if cpu and docs else None
    out["pubmed_core_hours_estimate"] = round(core_h, 1) if core_h else None
    speedup = _div(_get(m, "dask-1", "seconds"), _get(m, "dask-2", "seconds"))
    # 64 cores: ideal (independent documents), and at the 2-worker Dask efficiency measured
    out["pubmed_wall_hours_64_cores_ideal"] = round(core_h / CLUSTER_CORES, 2) if core_h else None
    out["pubmed_wall_hours_64_cores_at_measured_dask_efficiency"] = (
        round(core_h / (CLUSTER_CORES * speedup / 2), 2) if core_h and speedup else None
    )
    gen = results["corpora"].get(f"generated_{opts['generated_docs']}", {})
    out["generated_repeated_sentence_share"] = gen.get("repeated_sentence_share")
    out["generated_distinct_chunks_per_1k_docs"] = gen.get("distinct_chunks")
    out["dask_speedup_2_vs_1_workers"] = speedup
    out["dask_cost_vs_local"] = _div(
        _get(m, "dask-2", "seconds"), _get(m, "flow-local", "flow_full", "seconds")
    )
    out["flow_vs_extract_throughput"] = _div(
        _get(m, "flow-local", "extract", "seconds"), _get(m, "flow-local", "flow_full", "seconds")
    )
    windows = kb_windows(m["kb"]) if _get(m, "kb", "calls") else None
    out["kb_last_vs_first_batch"] = windows["ratio"] if windows else None
    out["kb_windows"] = windows
    out["ingest_16mb_vs_2mb"] = _div(
        _get(m, "ingest", "16", "seconds"), _get(m, "ingest", "2", "seconds")
    )
    out["sizes_note"] = (
        f"generated text: {opts['generated_docs']} docs; dask and flow rows: "
        f"{opts['dask_docs']} docs; kb row: last {opts['kb_window']} of {opts['kb_docs']} docs "
        f"vs first {opts['kb_window']} (batches of {opts['kb_batch_docs']}); ingest: "
        f"{', '.join(f'{x:g}' for x in opts['ingest_mb'])} MB"
        + (" (--quick sizes)" if opts["quick"] else "")
    )
    return out


def _fmt(v: Any, digits: int = 3) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.{digits}g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _row_error(r: Any) -> str | None:
    return r.get("error") if isinstance(r, dict) else None


def render_markdown(results: dict[str, Any]) -> str:
    m, opts, mach = results["measurements"], results["options"], results["machine"]
    lines = [
        f"# Bench run {results['started_utc']} - {results['finished_utc']}",
        "",
        f"Commit {mach['git_commit']}; {mach['cpu']}, {mach['logical_cores']} logical cores, "
        f"{mach['ram_gb']} GB; load average {mach['load_avg_at_start']} at start, "
        f"{results['load_avg_at_end']} at end. Sizes: {results['sizes_note']}. Throughput "
        f"rows: median of {opts['repeats']} fresh processes in interleaved rounds; Dask and "
        f"flow rows: {opts['dask_repeats']} run(s) each, interleaved.",
        "",
        "| target | measured | goal | met |",
        "|---|---:|---:|---|",
    ]
    for key, (what, goal, test) in TARGETS.items():
        v = results.get(key)
        met = "n/a" if v is None else ("yes" if test(v) else "**no**")
        lines.append(f"| `{key}`: {what} | {_fmt(v)} | {goal} | {met} |")
    throughput = [r for r in m if "-" in r and r.split("-")[0] in ("peer", "ner", "extract")]
    if throughput:
        lines += [
            "",
            "| row | text | docs | words | CPU s (each run) | words / CPU-s | wall s "
            "| peak RSS MB |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
    for row in throughput:
        r = m[row]
        if err := _row_error(r):
            lines.append(f"| {row} | {r.get('text', '')} | | | error: {err} | | | |")
            continue
        each = "/".join(f"{x:.2f}" for x in r.get("cpu_seconds_each", [r["cpu_seconds"]]))
        lines.append(
            f"| {row} | {r['text']} | {_fmt(r['docs'])} | {_fmt(r['words'])} | "
            f"{r['cpu_seconds']:.2f} ({each}) | {_fmt(r.get('words_per_cpu_s'))} | "
            f"{r['seconds']:.2f} | {_fmt(r.get('peak_rss_mb'))} |"
        )
    for row in (r for r in throughput if r.startswith("extract") and _get(m, r, "stages")):
        secs = m[row]["stages"]["seconds"]
        text = ", ".join(f"`{k.rsplit('.', 1)[1]}` {v:.2f} s" for k, v in secs.items())
        lines.append(f"\n`{row}`, wall seconds by stage (first run): {text}.")
    scale = [r for r in ("dask-1", "dask-2", "flow-local") if r in m]
    if scale:
        lines += ["", "| row | text | docs | wall s (each run) | CPU s, all processes | CPU s, "
                  "flow process | warm-up s |", "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        for row in scale:
            r = m[row]
            if err := _row_error(r):
                lines.append(f"| {row} | | | error: {err} | | |")
                continue
            parts = [(row, r)] if row != "flow-local" else [
                ("extract (flow process)", r["extract"]), ("flow, local runner", r["flow_full"])
            ]  # fmt: skip
            for name, x in parts:
                each = "/".join(f"{v:.1f}" for v in x.get("seconds_each", [x["seconds"]]))
                lines.append(
                    f"| {name} | generated | {_fmt(r['docs'])} | {x['seconds']:.2f} ({each}) | "
                    f"{x['cpu_seconds']:.2f} | {_fmt(x.get('cpu_self_seconds'))} | "
                    f"{_fmt(r.get('startup_s'))} |"
                )
    for row in scale:
        steps = _get(m, row, "counts", "timings") or _get(m, row, "flow_full", "counts", "timings")
        if steps:
            text = ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
            lines.append(f"\n`{row}`, the flow's own steps: {text}.")
    if w := results.get("kb_windows"):
        lines += [
            "",
            f"Knowledge-base growth ({_fmt(m['kb']['docs'])} docs, {w['batches']} batches, "
            f"{w['batches_per_window']} per window), stage + transaction, first -> last window: "
            f"thread CPU {w['cpu_first_s']} -> {w['cpu_last_s']} s ({w['cpu_ratio']}x), wall "
            f"{w['wall_first_s']} -> {w['wall_last_s']} s ({w['wall_ratio']}x); the transaction "
            f"alone: CPU {w['store_cpu_first_s']} -> {w['store_cpu_last_s']} s "
            f"({w['store_cpu_ratio']}x), wall {w['store_wall_first_s']} -> "
            f"{w['store_wall_last_s']} s ({w['store_wall_ratio']}x); whole flow "
            f"{m['kb']['seconds']:.1f} s.",
        ]
    elif _row_error(m.get("kb")):
        lines += ["", f"Knowledge-base growth: error: {m['kb']['error']}"]
    if ing := m.get("ingest"):
        cells = []
        for mb, r in ing.items():
            err = _row_error(r)
            cells.append(f"{mb} MB: " + (f"error: {err}" if err else f"{r['seconds']:.2f} s"))
        lines += ["", "Ingest of one file (median wall s): " + "; ".join(cells) + "."]
    c = results["corpora"]
    gen = c.get(f"generated_{opts['generated_docs']}", {})
    lines += [
        "",
        f"Generated text: {_fmt(gen.get('n_docs'))} documents, {_fmt(gen.get('n_words'))} words, "
        f"{_fmt(gen.get('pool_sentences'))} pool sentences ({gen.get('sentence_source')}), "
        f"vocabulary {gen.get('vocabulary_source')}. Real text: {c['real']['docs']} documents, "
        f"{_fmt(c['real']['words'])} words ({', '.join(c['real']['folders'])}, each text once).",
    ]
    if results.get("pubmed_core_hours_estimate") is not None:
        lines += [
            "",
            f"PubMed: {_fmt(results.get('pubmed_core_hours_estimate'))} core-hours; on "
            f"{CLUSTER_CORES} cores {_fmt(results.get('pubmed_wall_hours_64_cores_ideal'))} h "
            "if documents spread perfectly, "
            f"{_fmt(results.get('pubmed_wall_hours_64_cores_at_measured_dask_efficiency'))} h at "
            "the 2-worker Dask efficiency measured here.",
        ]
    return "\n".join(lines) + "\n"
