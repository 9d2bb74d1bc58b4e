"""One measurement in a fresh process: ``python -m bench.worker SPEC.json RESULT.json``.

A fresh process per measurement so that peak RSS (``ru_maxrss``) belongs to that
measurement alone and no cache warmed by an earlier one flatters a later one. Inside the
process, a warm-up run goes first (the real corpus: spaCy, the knowledge pack and every
lazily loaded table load; for the flow also a small flow run, which starts Prefect's
ephemeral server); its cost is reported as ``startup_s`` and the timed run is the
steady state. Wall time and CPU time (own + children) are both recorded.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import targets  # noqa: E402


def _cpu_s() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _peak_rss_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "children_peak_rss_mb": round(kids, 1)}


class RssSampler:
    """Highest resident memory of this process plus its children while a call runs.

    ``ru_maxrss`` is a high-water mark for the whole process life, warm-up included; this
    sampler isolates the timed call, so growth with corpus size is visible on its own.
    """

    def __init__(self, interval_s: float = 0.05) -> None:
        import psutil

        self._proc = psutil.Process()
        self._interval = interval_s
        self._stop = threading.Event()
        self.before_mb = self._rss_mb()
        self.peak_mb = self.before_mb
        self.samples: list[tuple[float, float]] = []  # (seconds since start, MB)
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss_mb(self) -> float:
        total = self._proc.memory_info().rss
        for child in self._proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except Exception:  # noqa: BLE001 - a child may exit between listing and reading
                continue
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            mb = self._rss_mb()
            self.peak_mb = max(self.peak_mb, mb)
            self.samples.append((time.perf_counter() - self._t0, mb))

    def quarters_mb(self) -> list[float]:
        """Highest RSS in each quarter of the call's time: flat quarters 2-3 mean the
        streaming part of a run holds the same memory late as early (quarter 1 includes
        filling the table buffers, quarter 4 the final assembly and flushes)."""
        if not self.samples:
            return []
        end = self.samples[-1][0] or 1.0
        out = [self.before_mb] * 4
        for t, mb in self.samples:
            q = min(3, int(4 * t / end))
            out[q] = max(out[q], mb)
        return [round(x, 1) for x in out]

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, self._rss_mb())


def _timed(fn: Any, *args: Any) -> dict[str, Any]:
    with RssSampler() as rss:
        cpu0, t0 = _cpu_s(), time.perf_counter()
        result = fn(*args)
        seconds, cpu = time.perf_counter() - t0, _cpu_s() - cpu0
    out: dict[str, Any] = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rss_before_mb": round(rss.before_mb, 1),
        "rss_peak_during_mb": round(rss.peak_mb, 1),
        "rss_quarters_mb": rss.quarters_mb(),
    }
    if result is not None:
        out["counts"] = targets.run_counts(result)
    return out


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


_TOKENIZER: Any = None  # the tokenizer a forked worker of ``_count_tokens`` inherits


def _count_tokens(texts: list[str]) -> int:
    return sum(len(doc) for doc in _TOKENIZER.pipe(texts))


def measure_tokenizer(spec: dict[str, Any]) -> dict[str, Any]:
    """The bare tokenizer over the corpus. ``split``: ``pipe`` is spaCy's own
    ``nlp.pipe(n_process=N)`` (Docs shipped back to the parent); ``documents`` splits the
    documents among N processes in units, as ``extract`` does (``pipeline.runner.parallel``),
    and only token counts come back: the floor for ``extract`` with ``n_process=N``."""
    global _TOKENIZER
    from pipeline.runner.offline import DEFAULT_BATCH_DOCS, unit_size
    from pipeline.runner.parallel import ordered_map

    nlp, tokenizer_name = targets.bare_tokenizer_nlp()
    if not spec.get("cache", True):
        nlp.tokenizer.max_cache_size = 0  # every chunk through the prefix/suffix/infix rules
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(spec["corpus"]).glob("*.txt"))]
    n_process, split = spec["n_process"], spec.get("split", "pipe")
    n_tokens = 0

    def run() -> None:
        nonlocal n_tokens
        n_tokens = 0
        if split == "documents":
            size = unit_size(DEFAULT_BATCH_DOCS, n_process)  # run_extract's unit
            units = [texts[i : i + size] for i in range(0, len(texts), size)]
            n_tokens = sum(ordered_map(_count_tokens, units, n_process))
            return
        for doc in nlp.pipe(texts, batch_size=spec["batch_size"], n_process=n_process):
            n_tokens += len(doc)

    list(nlp.pipe(texts[:20]))  # warm-up: lazy regex compilation
    _TOKENIZER = nlp.tokenizer
    out = _timed(run)
    out["n_tokens"] = n_tokens
    out["tokenizer"] = tokenizer_name
    out["split"] = split
    return out


def measure_extract(spec: dict[str, Any]) -> dict[str, Any]:
    work = Path(spec["work"])
    run = targets.extract_runner(spec["n_process"], spec["batch_size"])
    stages = None if spec.get("profile") else StageTimer(targets.EXTRACT_STAGE_FUNCTIONS)
    warm = _timed(run, Path(spec["warmup"]), _fresh(work / "warmup_out"))
    if stages:
        stages.take()
    out_dir = _fresh(work / "out")
    if spec.get("profile"):
        from pyinstrument import Profiler

        from bench.profile_summary import summarise

        profiler = Profiler(interval=0.001)
        profiler.start()
        out = _timed(run, Path(spec["corpus"]), out_dir)
        profiler.stop()
        Path(spec["profile_html"]).write_text(profiler.output_html(), encoding="utf-8")
        out["profile"] = summarise(profiler.last_session)
        out["profile"]["tree"] = profiler.output_text(unicode=False, color=False)
    else:
        out = _timed(run, Path(spec["corpus"]), out_dir)
    if stages:
        out["stages"] = stages.take()
    out["startup_s"] = warm["seconds"]
    out["outputs"] = sorted(p.name for p in out_dir.iterdir())
    return out


class StageTimer:
    """Wall time and calls of named module-level functions, by patching the module attribute.

    The flow's tasks import these functions at call time (``from pipeline.x import f``), so
    patching the attribute catches every call, from any task-runner thread.
    """

    def __init__(self, names: tuple[tuple[str, str], ...]) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.missing: list[str] = []
        self._lock = threading.Lock()
        for module_name, attr in names:
            try:
                module = importlib.import_module(module_name)
                setattr(module, attr, self._wrap(f"{module_name}.{attr}", getattr(module, attr)))
            except (ImportError, AttributeError) as exc:
                self.missing.append(f"{module_name}.{attr}: {exc}")

    def _wrap(self, key: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - t0
                    self.calls[key] = self.calls.get(key, 0) + 1

        return timed

    def take(self) -> dict[str, Any]:
        with self._lock:
            out = {"seconds": dict(self.seconds), "calls": dict(self.calls)}
            self.seconds.clear()
            self.calls.clear()
        if self.missing:
            out["not_timed"] = list(self.missing)
        return out


def measure_flow(spec: dict[str, Any]) -> dict[str, Any]:
    """Direct extract, then flow full run, then unchanged rerun, all warm, same corpus."""
    work = Path(spec["work"])
    corpus, warmup, flow_warmup = (Path(spec[k]) for k in ("corpus", "warmup", "flow_warmup"))
    stages = StageTimer(targets.FLOW_STAGE_FUNCTIONS)
    extract = targets.extract_runner(1, spec["batch_size"])
    flow = targets.flow_runner()
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    extract(warmup, _fresh(work / "warm_extract"))
    flow(flow_warmup, _fresh(work / "warm_flow"))  # starts Prefect's ephemeral server
    out["startup_s"] = time.perf_counter() - t0
    stages.take()
    out["extract"] = _timed(extract, corpus, _fresh(work / "extract_out"))
    out["extract"]["stages"] = stages.take()
    flow_out = _fresh(work / "flow_out")
    out["flow_full"] = _timed(flow, corpus, flow_out)
    out["flow_full"]["stages"] = stages.take()
    out["flow_rerun"] = _timed(flow, corpus, flow_out)
    out["flow_rerun"]["stages"] = stages.take()
    return out


MEASURES = {"tokenizer": measure_tokenizer, "extract": measure_extract, "flow": measure_flow}


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = MEASURES[spec["kind"]](spec)
    result.update(_peak_rss_mb())
    Path(argv[1]).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
