"""One measurement in a fresh process: ``python -m bench.worker SPEC.json RESULT.json``.

A fresh process per measurement so that peak RSS (``ru_maxrss``) belongs to that
measurement alone and no cache warmed by an earlier one flatters a later one. Inside the
process, a warm-up run goes first, over generated texts of another seed (so no timed text
is in a cache): spaCy, the knowledge pack and every lazily loaded table load; for the flow
a small flow run, which starts Prefect's ephemeral server. Its cost is reported as
``startup_s`` and the timed run is the steady state. Wall time and CPU time (own +
children) are both recorded.
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


def _cpu_self_s() -> float:
    t = os.times()
    return t.user + t.system


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
        cpu0, self0, t0 = _cpu_s(), _cpu_self_s(), time.perf_counter()
        result = fn(*args)
        seconds, cpu = time.perf_counter() - t0, _cpu_s() - cpu0
    out: dict[str, Any] = {
        "seconds": seconds,
        "cpu_seconds": cpu,  # this process + its children that ended (Dask workers) in the call
        "cpu_self_seconds": _cpu_self_s() - self0,
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


def _texts(corpus: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(Path(corpus).glob("*.txt"))]


def measure_peer(spec: dict[str, Any]) -> dict[str, Any]:
    """spaCy blank("en") + EntityRuler with the pack's patterns (``bench/peer.py``) over
    the corpus texts, after a warm-up pass over other texts."""
    from bench.peer import build_peer

    nlp, n_patterns = build_peer()
    list(nlp.pipe(_texts(spec["warmup"]), batch_size=spec["batch_size"]))
    texts = _texts(spec["corpus"])
    n_ents = 0

    def run() -> None:
        nonlocal n_ents
        n_ents = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=spec["batch_size"]))

    out = _timed(run)
    out.update(n_patterns=n_patterns, n_entities=n_ents)
    return out


def measure_ner(spec: dict[str, Any]) -> dict[str, Any]:
    """The project's NER stage alone (``pipeline.nlp.annotate``) over documents ingested
    before the clock starts; the warm-up ingests and annotates other texts first."""
    from pipeline.config import Settings
    from pipeline.ingest import ingest_corpus
    from pipeline.nlp import annotate
    from pipeline.pack import load_pack

    settings = Settings.from_env(batch_size=spec["batch_size"])
    pack = load_pack(settings.resources_dir)
    warm, _ = ingest_corpus(Path(spec["warmup"]))
    annotate(warm, pack, settings.spacy_model, batch_size=settings.batch_size)
    docs, _ = ingest_corpus(Path(spec["corpus"]))
    n_mentions = 0

    def run() -> None:
        nonlocal n_mentions
        found = annotate(docs, pack, settings.spacy_model, batch_size=settings.batch_size)
        n_mentions = sum(len(m) for m in found.values())

    out = _timed(run)
    out.update(n_documents=len(docs), n_mentions=n_mentions)
    return out


def measure_extract(spec: dict[str, Any]) -> dict[str, Any]:
    """The full offline ``extract`` (ingest, NER, extraction, assembly, every table written)
    over the corpus, after a warm-up run over other texts."""
    work = Path(spec["work"])
    run = targets.extract_runner(spec["n_process"], spec["batch_size"])
    stages = StageTimer(targets.EXTRACT_STAGE_FUNCTIONS)
    warm = _timed(run, Path(spec["warmup"]), _fresh(work / "warmup_out"))
    stages.take()
    out_dir = _fresh(work / "out")
    out = _timed(run, Path(spec["corpus"]), out_dir)
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
    """Direct extract, then flow full run (local task runner; knowledge-base writes,
    export and report included), all warm, same corpus; the unchanged rerun with
    ``rerun``."""
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
    if spec.get("rerun"):
        out["flow_rerun"] = _timed(flow, corpus, flow_out)
        out["flow_rerun"]["stages"] = stages.take()
    return out


def measure_dask(spec: dict[str, Any]) -> dict[str, Any]:
    """The flow on a temporary Dask cluster of ``workers`` processes, timed from the flow
    call to its return: cluster start and each worker loading the pipeline included. A
    warm-up flow with the local runner starts Prefect's server first (not timed)."""
    os.environ["ADCM_TASK_RUNNER"] = "dask"
    os.environ["ADCM_DASK_WORKERS"] = str(spec["workers"])
    work = Path(spec["work"])
    t0 = time.perf_counter()
    targets.flow_runner()(Path(spec["flow_warmup"]), _fresh(work / "warm_flow"))
    startup = time.perf_counter() - t0
    out = _timed(targets.dask_flow_runner(), Path(spec["corpus"]), _fresh(work / "flow_out"))
    out["startup_s"] = startup
    return out


def measure_kb(spec: dict[str, Any]) -> dict[str, Any]:
    """One flow run (local runner) over the corpus; when each batch's knowledge-base
    transaction ended, so that the wall time of the first and the last ``window``
    documents can be compared (a batch costing more as the knowledge base grows)."""
    os.environ["ADCM_KB_BATCH_DOCS"] = str(spec["batch_docs"])
    work = Path(spec["work"])
    flow = targets.flow_runner()
    flow(Path(spec["flow_warmup"]), _fresh(work / "warm_flow"))
    calls = CallLog(targets.KB_CALLS)
    out = _timed(flow, Path(spec["corpus"]), _fresh(work / "flow_out"))
    out["calls"] = calls.events
    out["batch_docs"] = spec["batch_docs"]
    return out


def measure_ingest(spec: dict[str, Any]) -> dict[str, Any]:
    """Discover + ingest one file of ``mb`` megabytes made of generated abstracts."""
    from pipeline.ingest import discover, ingest_document

    work = Path(spec["work"])
    folder = _fresh(work / "file")
    target = int(spec["mb"] * 2**20)
    parts, size = [], 0
    texts = _texts(spec["corpus"])
    i = 0
    while size < target:
        parts.append(texts[i % len(texts)])
        size += len(parts[-1].encode("utf-8")) + 1
        i += 1
    (folder / "big.txt").write_text("\n".join(parts), encoding="utf-8")

    n_sentences = 0

    def run() -> None:
        nonlocal n_sentences
        sources, _ = discover(folder, max_bytes=2 * target + 2**20)
        n_sentences = sum(len(ingest_document(src).sentences) for src in sources)

    out = _timed(run)
    out.update(mb=spec["mb"], n_bytes=(folder / "big.txt").stat().st_size, n_sentences=n_sentences)
    return out


class CallLog:
    """(name, start, end, thread CPU s) of every call of named module-level functions, in
    call order (module attribute patched, as :class:`StageTimer` does)."""

    def __init__(self, names: tuple[tuple[str, str], ...]) -> None:
        self.events: list[tuple[str, float, float, float]] = []
        self._lock = threading.Lock()
        for module_name, attr in names:
            module = importlib.import_module(module_name)
            setattr(module, attr, self._wrap(attr, getattr(module, attr)))

    def _wrap(self, key: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def logged(*args: Any, **kwargs: Any) -> Any:
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                cpu = time.thread_time() - c0  # this thread's CPU: load elsewhere left out
                with self._lock:
                    self.events.append((key, t0, time.perf_counter(), cpu))

        return logged


MEASURES = {
    "peer": measure_peer,
    "ner": measure_ner,
    "extract": measure_extract,
    "flow": measure_flow,
    "dask": measure_dask,
    "kb": measure_kb,
    "ingest": measure_ingest,
}


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = MEASURES[spec["kind"]](spec)
    result.update(_peak_rss_mb())
    Path(argv[1]).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
