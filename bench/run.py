"""The benchmark run: ``python bench/run.py`` or ``python -m pipeline bench``.

One run on one machine measures, each in a fresh subprocess (``bench/worker.py``):
the bare tokenizer and the full ``extract`` path on the same generated texts (words/s,
n_process 1 and 2), peak RSS and time at every corpus size, a pyinstrument profile of
``extract``, and the Prefect flow (full run, unchanged rerun, direct extract on the same
corpus). Results go to ``bench/results/latest.json`` and ``latest.md`` (+ ``profile.md``).
A measurement that cannot run (a stage not built yet, a crash) is recorded with its
error, never filled in.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import generate  # noqa: E402
from bench.report import render_markdown  # noqa: E402

log = logging.getLogger("bench")
REPO_ROOT = generate.REPO_ROOT
WARMUP_DOCS = 5
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
    out["seconds"] = statistics.median(r["seconds"] for r in runs)
    out["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in runs)
    out["seconds_each"] = [round(r["seconds"], 3) for r in runs]
    return out


def _rate(words: int, result: dict[str, Any], key: str = "seconds") -> dict[str, Any]:
    if "error" in result:
        return result
    out = {**result, "words": words, "words_per_s": words / result[key]}
    if result.get("cpu_seconds"):
        out["words_per_cpu_s"] = words / result["cpu_seconds"]
    return out


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        raise ValueError(f"--sizes needs positive integers, got {text!r}")
    return sizes


def run_bench(args: argparse.Namespace) -> int:
    sizes = [100, 1000] if args.quick else parse_sizes(args.sizes)
    flow_docs = 50 if args.quick else args.flow_docs
    profile = not (args.quick or args.no_profile)
    seed = generate.DEFAULT_SEED if args.seed is None else args.seed
    data = Path(args.data_dir or Path(tempfile.gettempdir()) / "adcm-bench")
    results_dir = Path(args.results)
    results_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    machine = machine_info()

    t0 = time.perf_counter()
    pool = generate.load_sentence_pool(generate.DEFAULT_CORPUS)
    vocab = generate.load_vocabulary(generate.DEFAULT_RESOURCES)
    corpora: dict[int, Any] = {}
    for n in sorted({WARMUP_DOCS, flow_docs, *sizes}):
        log.info("corpus of %d documents", n)
        corpora[n] = generate.ensure_corpus(data / f"corpus_{n}", n, pool, vocab, seed)
    gen_s = time.perf_counter() - t0

    def corpus(n: int) -> str:
        return str(data / f"corpus_{n}")

    base = 1000 if 1000 in sizes else sizes[0]
    # Warm-up on the real corpus: it reaches every lazily loaded table (the DrugBank
    # dictionary of drug-named-entity-recognition takes ~2 s on first use), which a few
    # generated abstracts may not, and that one-time cost must not land in a timed run.
    common = {"batch_size": args.batch_size, "warmup": str(generate.DEFAULT_CORPUS)}
    runs = data / "runs"
    home = data / "prefect_home"
    plan: dict[str, tuple[dict[str, Any], Path]] = {}
    for key, np_, cache, split in (
        ("np1", 1, True, "pipe"),
        ("np2_docs", 2, True, "documents"),  # the floor of extract's n_process=2
        ("np2", 2, True, "pipe"),  # spaCy's nlp.pipe(n_process=2), for reference
        ("np1_nocache", 1, False, "pipe"),
    ):
        spec = {"kind": "tokenizer", "corpus": corpus(base), "n_process": np_, "cache": cache}
        plan[f"tokenizer/{key}"] = ({**spec, "split": split, **common}, runs / f"tokenizer_{key}")
    for n in sizes:
        spec = {"kind": "extract", "corpus": corpus(n), "n_process": 1, **common}
        plan[f"extract/{n}"] = (spec, runs / f"extract_{n}")
    spec = {"kind": "extract", "corpus": corpus(base), "n_process": 2, **common}
    plan[f"extract_np2/{base}"] = (spec, runs / f"extract_{base}_np2")
    m: dict[str, Any] = {"tokenizer": {}, "extract": {}, "extract_np2": {}}
    words = {"tokenizer": corpora[base].n_words, "extract_np2": corpora[base].n_words}
    for name, result in run_rounds(plan, home, 1 if args.quick else args.repeats).items():
        group, key = name.split("/")
        m[group][key] = _rate(words.get(group) or corpora[int(key)].n_words, result)
    if profile:
        spec = {
            "kind": "extract",
            "corpus": corpus(base),
            "n_process": 1,
            "profile": True,
            "profile_html": str(data / "profile.html"),
            **common,
        }
        m["profile"] = run_worker(spec, runs / f"profile_{base}", home)
    if not args.no_flow:
        spec = {"kind": "flow", "corpus": corpus(flow_docs), "flow_warmup": corpus(WARMUP_DOCS)}
        spec.update(common)
        m["flow"] = run_worker(spec, runs / f"flow_{flow_docs}", home)

    results = {
        "started_utc": started.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
        "options": {
            "sizes": sizes,
            "base_size": base,
            "flow_docs": flow_docs,
            "batch_size": args.batch_size,
            "seed": seed,
            "quick": bool(args.quick),
        },
        "corpora": {str(n): vars(info) for n, info in corpora.items()},
        "generation_s": round(gen_s, 2),
        "measurements": m,
    }
    write_results(results, results_dir)
    errors = [k for k, v in _leaves(m) if k.endswith("error")]
    return 1 if errors else 0


def _leaves(d: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(d, dict):
        return [kv for k, v in d.items() for kv in _leaves(v, f"{prefix}{k}.")]
    return [(prefix.rstrip("."), d)]


def write_results(results: dict[str, Any], results_dir: Path) -> None:
    from bench.profile_summary import to_markdown
    from pipeline.tables import write_text_atomic

    md = render_markdown(results)
    write_text_atomic(results_dir / "latest.json", json.dumps(results, indent=2) + "\n")
    write_text_atomic(results_dir / "latest.md", md)
    prof = results["measurements"].get("profile")
    if prof and "profile" in prof:
        header = f"# Profile of `extract` ({results['started_utc']})\n\n"
        write_text_atomic(results_dir / "profile.md", header + to_markdown(prof["profile"]))
    print(md)


def main(argv: list[str] | None = None) -> int:
    from pipeline.commands.bench import add_arguments

    parser = argparse.ArgumentParser(description="ADC miner benchmarks")
    add_arguments(parser)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    return run_bench(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
