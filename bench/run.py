"""The benchmark run: ``python bench/run.py`` or ``python -m pipeline bench``.

One run on one machine measures, each in a fresh subprocess (``bench/worker.py``), in
interleaved rounds: the peer (blank spaCy + EntityRuler with the pack's patterns), the
project's NER alone and its full ``extract`` on generated and on real text; the flow on
a temporary Dask cluster of 1 and 2 workers and with the local runner (and ``extract`` on
the same corpus); a flow over a large corpus, batch by batch (the knowledge base's growth);
ingest of one big file at several sizes. Results go to ``bench/results/latest.json`` and
``latest.md``. A measurement that cannot run is recorded with its error, never filled in.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import generate  # noqa: E402
from bench.report import headline, render_markdown  # noqa: E402

log = logging.getLogger("bench")
REPO_ROOT = generate.REPO_ROOT
WARMUP_DOCS = 20
WORKER_TIMEOUT_S = 3600


def machine_info() -> dict[str, Any]:
    """CPU, cores, RAM, OS, Python and library versions, load at start, git commit."""
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("spacy", "scispacy", "prefect", "prefect-dask", "numpy", "pandas"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": commit + ("+uncommitted changes" if dirty else ""),
    }


def run_worker(spec: dict[str, Any], work: Path, prefect_home: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its result, or ``{"error": ...}``."""
    work.mkdir(parents=True, exist_ok=True)
    spec = {**spec, "work": str(work)}
    spec_path, result_path, log_path = work / "spec.json", work / "result.json", work / "log.txt"
    spec_path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    result_path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_HOME": str(prefect_home),
    }
    log.info("measuring %s (%s)", spec["kind"], work.name)
    t0 = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as fh:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "bench.worker", str(spec_path), str(result_path)],
                cwd=REPO_ROOT,
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                timeout=WORKER_TIMEOUT_S,
            )
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            rc = -1
    wall = time.perf_counter() - t0
    if rc != 0 or not result_path.exists():
        lines = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        raised = [ln for ln in lines if re.match(r"^[\w.]+(Error|Exception|Exit)\b", ln)]
        last = raised[-1] if raised else (lines[-1] if lines else "no output")
        error = f"{last} (worker exit {rc} after {wall:.0f} s; log: {log_path})"
        log.error("%s failed: %s", work.name, error)
        return {"error": error}
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["process_wall_s"] = wall
    return result


def run_rounds(
    plan: dict[str, tuple[dict[str, Any], Path]], prefect_home: Path, repeats: int
) -> dict[str, dict[str, Any]]:
    """Every ``(spec, work dir)`` of ``plan`` ``repeats`` times, each in a fresh process, in
    rounds (a, b, c, a, b, c, ...): a slow spell of this shared VM then falls on every
    measurement alike instead of on one side of a ratio. Per name: the first run's record
    (memory, stages) with the median wall and CPU seconds, and every run's seconds."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in plan}
    for i in range(repeats):
        for name, (spec, work) in plan.items():
            if not any("error" in r for r in runs[name]):
                runs[name].append(run_worker(spec, work / f"run{i + 1}", prefect_home))
    return {name: _median_record(records) for name, records in runs.items()}


def _median_record(runs: list[dict[str, Any]]) -> dict[str, Any]:
    failed = [r for r in runs if "error" in r]
    if failed or len(runs) == 1:
        return failed[0] if failed else runs[0]
    out = dict(runs[0])
    if "seconds" not in out:  # a record of several timed calls (the flow row): each one
        for key, value in out.items():
            if isinstance(value, dict) and "seconds" in value:
                out[key] = _median_record([r[key] for r in runs])
        return out
    out["seconds"] = statistics.median(r["seconds"] for r in runs)
    out["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in runs)
    if all("cpu_self_seconds" in r for r in runs):
        out["cpu_self_seconds"] = statistics.median(r["cpu_self_seconds"] for r in runs)
    out["seconds_each"] = [round(r["seconds"], 3) for r in runs]
    out["cpu_seconds_each"] = [round(r["cpu_seconds"], 3) for r in runs]
    return out


def _rate(words: int, result: dict[str, Any], key: str = "seconds") -> dict[str, Any]:
    if "error" in result:
        return result
    out = {**result, "words": words, "words_per_s": words / result[key]}
    if result.get("cpu_seconds"):
        out["words_per_cpu_s"] = words / result["cpu_seconds"]
    return out


# Rows: name -> group. ``--only`` takes names or groups (comma-separated).
THROUGHPUT_ROWS = tuple(
    f"{k}-{t}" for t in ("generated", "real") for k in ("peer", "ner", "extract")
)
SCALE_ROWS = ("dask-1", "dask-2", "flow-local")
GROUPS = {
    "throughput": THROUGHPUT_ROWS,
    "generated": tuple(r for r in THROUGHPUT_ROWS if r.endswith("generated")),
    "real": tuple(r for r in THROUGHPUT_ROWS if r.endswith("real")),
    "dask": SCALE_ROWS,
    "flow": ("flow-local",),
    "kb": ("kb",),
    "ingest": ("ingest",),
}
ALL_ROWS = (*THROUGHPUT_ROWS, *SCALE_ROWS, "kb", "ingest")


def select_rows(only: str | None) -> list[str]:
    """The rows ``--only`` names (row names or group names), in bench order."""
    if not only:
        return list(ALL_ROWS)
    wanted: set[str] = set()
    for name in (n.strip() for n in only.split(",") if n.strip()):
        if name in GROUPS:
            wanted.update(GROUPS[name])
        elif name in ALL_ROWS:
            wanted.add(name)
        else:
            raise ValueError(f"--only: unknown row {name!r}; rows: {', '.join(ALL_ROWS)}; "
                             f"groups: {', '.join(GROUPS)}")  # fmt: skip
    return [r for r in ALL_ROWS if r in wanted]


@dataclass(frozen=True)
class Sizes:
    """How big each measurement is (quick: smaller issue-15 rows; every size is in the json)."""

    generated_docs: int = 1000
    dask_docs: int = 2000
    kb_docs: int = 10000
    kb_window: int = 1000
    kb_batch_docs: int = 250
    ingest_mb: tuple[float, ...] = (2, 4, 8, 16)
    repeats: int = 3
    dask_repeats: int = 1

    @classmethod
    def for_args(cls, args: argparse.Namespace) -> Sizes:
        if args.quick:
            base = cls(dask_docs=500, kb_docs=2000, kb_window=500, ingest_mb=(2, 16))
        else:
            base = cls(dask_repeats=args.repeats)
        overrides = {
            "generated_docs": args.docs,
            "dask_docs": args.dask_docs,
            "kb_docs": args.kb_docs,
            "kb_window": args.kb_window,
            "repeats": args.repeats,
            "dask_repeats": args.dask_repeats,
        }
        if args.ingest_mb:
            overrides["ingest_mb"] = tuple(float(x) for x in args.ingest_mb.split(","))
        sizes = replace(base, **{k: v for k, v in overrides.items() if v is not None})
        return replace(sizes, kb_batch_docs=min(sizes.kb_batch_docs, sizes.kb_window))


def real_corpus(out: Path) -> tuple[Path, int, int]:
    """The project's real texts, each once (by content), in one folder: the corpus and the
    tests' abstracts. (folder, documents, words)."""
    seen: set[bytes] = set()
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    n_words = 0
    for folder in generate.TEXT_DIRS:
        for path in sorted(folder.glob("*.txt")):
            data = path.read_bytes()
            key = hashlib.sha256(data).digest()
            if key in seen:
                continue
            seen.add(key)
            (tmp / f"{folder.name}_{path.name}").write_bytes(data)
            n_words += len(data.decode("utf-8", errors="replace").split())
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out, len(seen), n_words


def run_bench(args: argparse.Namespace) -> int:
    sizes = Sizes.for_args(args)
    rows = select_rows(args.only)
    seed = generate.DEFAULT_SEED if args.seed is None else args.seed
    data = Path(args.data_dir or Path(tempfile.gettempdir()) / "adcm-bench")
    results_dir = Path(args.results)
    results_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    machine = machine_info()

    t0 = time.perf_counter()
    pool = generate.load_sentence_pool()
    vocab = generate.load_vocabulary(generate.DEFAULT_RESOURCES)
    needed = {sizes.generated_docs}
    if any(r.startswith(("dask", "flow")) for r in rows):
        needed.add(sizes.dask_docs)
    if "kb" in rows:
        needed.add(sizes.kb_docs)
    corpora = {}
    for n in sorted(needed):
        log.info("corpus of %d documents", n)
        corpora[n] = generate.ensure_corpus(data / f"corpus_{n}", n, pool, vocab, seed)
    # warm-up texts: generated with another seed, so no timed text is in any cache
    warm = generate.ensure_corpus(data / f"warmup_{WARMUP_DOCS}", WARMUP_DOCS, pool, vocab,
                                  seed + 1)  # fmt: skip
    real_dir, real_docs, real_words = real_corpus(data / "real")
    gen_s = time.perf_counter() - t0

    def corpus(n: int) -> str:
        return str(data / f"corpus_{n}")

    common = {"batch_size": args.batch_size, "warmup": str(data / f"warmup_{WARMUP_DOCS}")}
    runs, home = data / "runs", data / "prefect_home"
    texts = {
        "generated": (corpus(sizes.generated_docs), corpora[sizes.generated_docs].n_words,
                      sizes.generated_docs),
        "real": (str(real_dir), real_words, real_docs),
    }  # fmt: skip
    m: dict[str, Any] = {}

    plan: dict[str, tuple[dict[str, Any], Path]] = {}
    for row in (r for r in rows if r in THROUGHPUT_ROWS):
        kind, text = row.split("-")
        spec = {"kind": kind, "corpus": texts[text][0], "n_process": 1, **common}
        plan[row] = (spec, runs / row)
    for row, result in run_rounds(plan, home, sizes.repeats).items():
        text = row.split("-")[1]
        m[row] = {**_rate(texts[text][1], result), "text": text, "docs": texts[text][2]}

    plan = {}
    flow_common = {"flow_warmup": common["warmup"], **common}
    for row in (r for r in rows if r in SCALE_ROWS):
        spec = {
            "kind": "flow" if row == "flow-local" else "dask",
            "corpus": corpus(sizes.dask_docs),
        }
        if row != "flow-local":
            spec["workers"] = int(row.split("-")[1])
        plan[row] = ({**spec, **flow_common}, runs / row)
    dask_words = corpora[sizes.dask_docs].n_words if plan else 0
    for row, result in run_rounds(plan, home, sizes.dask_repeats).items():
        m[row] = {**result, "text": "generated", "docs": sizes.dask_docs, "words": dask_words}

    if "kb" in rows:
        spec = {"kind": "kb", "corpus": corpus(sizes.kb_docs), "batch_docs": sizes.kb_batch_docs,
                **flow_common}  # fmt: skip
        m["kb"] = {**run_worker(spec, runs / "kb", home), "text": "generated",
                   "docs": sizes.kb_docs, "window": sizes.kb_window}  # fmt: skip
    if "ingest" in rows:
        plan = {}
        for mb in sizes.ingest_mb:
            spec = {"kind": "ingest", "corpus": corpus(sizes.generated_docs), "mb": mb}
            plan[f"{mb:g}"] = (spec, runs / f"ingest_{mb:g}mb")
        m["ingest"] = run_rounds(plan, home, sizes.repeats)

    results = {
        "started_utc": started.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
        "options": {
            **asdict(sizes),
            "rows": rows,
            "batch_size": args.batch_size,
            "seed": seed,
            "quick": bool(args.quick),
        },  # fmt: skip
        "corpora": {
            **{f"generated_{n}": vars(info) for n, info in corpora.items()},
            "warmup": vars(warm),
            "real": {
                "docs": real_docs,
                "words": real_words,
                "folders": [str(d.relative_to(REPO_ROOT)) for d in generate.TEXT_DIRS],
            },
        },  # fmt: skip
        "generation_s": round(gen_s, 2),
        "measurements": m,
    }
    results.update(headline(results))
    write_results(results, results_dir)
    errors = [k for k, v in _leaves(m) if k.endswith("error")]
    return 1 if errors else 0


def _leaves(d: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(d, dict):
        return [kv for k, v in d.items() for kv in _leaves(v, f"{prefix}{k}.")]
    return [(prefix.rstrip("."), d)]


def write_results(results: dict[str, Any], results_dir: Path) -> None:
    from pipeline.tables import write_text_atomic

    md = render_markdown(results)
    write_text_atomic(results_dir / "latest.json", json.dumps(results, indent=2) + "\n")
    write_text_atomic(results_dir / "latest.md", md)
    print(md)


def main(argv: list[str] | None = None) -> int:
    from pipeline.commands.bench import add_arguments

    parser = argparse.ArgumentParser(description="ADC miner benchmarks")
    add_arguments(parser)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    return run_bench(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
