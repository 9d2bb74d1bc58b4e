"""The flow on Dask: an existing cluster (a LocalCluster of 2 processes this test starts),
a temporary one, a worker killed mid-run; one task per batch, models loaded once per
worker, the same triples and evidence as the local runner, no process left behind."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from distributed.diagnostics.plugin import WorkerPlugin
from test_flow import CD30, HER2, NECTIN4, SLFN11, SLFN11_EDITED, run_flow, write_corpus

from flows.runners import BatchDaskTaskRunner, task_runner_for
from pipeline.config import Settings

pytestmark = pytest.mark.slow

TABLES = ("triples", "evidence", "mentions", "sentences", "documents", "entities",
          "inferred_triples")  # fmt: skip


@pytest.fixture(scope="module")
def batches_of_two() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADCM_KB_BATCH_DOCS", "2")  # 5 documents: 3 batches
        yield


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    texts = [HER2, SLFN11, CD30, NECTIN4, SLFN11_EDITED]
    folder = tmp_path_factory.mktemp("corpus")
    return write_corpus(folder, {f"d{i}.txt": t for i, t in enumerate(texts)})


@pytest.fixture(scope="module")
def local_run(prefect_harness, batches_of_two, corpus: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    assert run_flow(corpus, out)["status"] == "completed"
    return out


@pytest.fixture(scope="module")
def cluster(batches_of_two) -> Iterator[tuple]:
    """A LocalCluster of 2 worker processes this test module starts (CI has no other)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                     dashboard_address=None) as local_cluster,
        Client(local_cluster) as client,
    ):  # fmt: skip
        yield local_cluster, client


def _same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        for suffix in (".csv", ".parquet"):
            assert (a / f"{name}{suffix}").read_bytes() == (b / f"{name}{suffix}").read_bytes()


def _models_loaded() -> int:
    from pipeline.nlp.pipeline import get_nlp

    return get_nlp.cache_info().currsize


def test_existing_cluster_runs_one_task_per_batch(local_run, cluster, corpus: Path, tmp_path):
    from distributed import get_task_stream

    local_cluster, client = cluster
    settings = Settings.from_env(task_runner="dask", dask_address=local_cluster.scheduler_address)
    runner = task_runner_for(settings)
    assert isinstance(runner, BatchDaskTaskRunner)
    with get_task_stream(client) as stream:
        summary = run_flow(corpus, tmp_path / "dask", task_runner=runner)
    # the plugin loaded the pipeline in each worker process when the run joined it
    assert set(client.run(_models_loaded).values()) == {1}
    ok = [t for t in stream.data if t.get("status") == "OK"]
    assert sorted(t["key"].rsplit("-", 1)[0] for t in ok) == ["process_documents"] * 3
    assert len({t["worker"] for t in ok}) == 2  # one task per batch of 2, on both workers
    assert summary["status"] == "completed" and summary["docs"]["added"] == 5
    _same_tables(local_run, tmp_path / "dask")


class KillFirstWorker(WorkerPlugin):
    """SIGKILL the worker process that starts the first batch task (once per cluster)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def setup(self, worker) -> None:  # noqa: ANN001
        self.worker = worker

    def transition(self, key, start, finish, **kwargs) -> None:  # noqa: ANN001
        if finish == "executing" and "process_documents" in str(key):
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                return
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_mid_run_loses_nothing(local_run, cluster, corpus: Path, tmp_path):
    local_cluster, client = cluster
    marker = tmp_path / "killed"
    client.register_plugin(KillFirstWorker(str(marker)), name="kill-first-worker")
    try:
        address = local_cluster.scheduler_address
        settings = Settings.from_env(task_runner="dask", dask_address=address)
        summary = run_flow(corpus, tmp_path / "dask", task_runner=task_runner_for(settings))
    finally:
        client.unregister_worker_plugin("kill-first-worker")
    assert marker.exists()  # a worker did die (its nanny started another)
    assert summary["status"] == "completed" and summary["docs"]["added"] == 5
    _same_tables(local_run, tmp_path / "dask")


def _workers(before: set[int]) -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if p.pid not in before]


def test_temporary_cluster_leaves_no_process(local_run, corpus: Path, tmp_path: Path,
                                             monkeypatch) -> None:  # fmt: skip
    """... and its workers are gone before the export: nothing is submitted after the
    batches, and idle workers would compete with the export and report."""
    import pipeline.kb.export

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    at_export: list[list[str]] = []
    real = pipeline.kb.export.export_from_kb

    def export(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        alive = [p for p in _workers(before) if "spawn_main" in " ".join(p.cmdline())]
        at_export.append([" ".join(p.cmdline()) for p in alive if p.is_running()])
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline.kb.export, "export_from_kb", export)
    settings = Settings.from_env(task_runner="dask", dask_workers=1)
    summary = run_flow(corpus, tmp_path / "dask", task_runner=task_runner_for(settings))
    assert summary["status"] == "completed"
    _same_tables(local_run, tmp_path / "dask")
    assert at_export == [[]]
    new = _workers(before)
    gone, alive = psutil.wait_procs(new, timeout=15)
    assert alive == [], [p.cmdline() for p in alive]


def test_a_run_with_nothing_to_do_starts_no_cluster(local_run, corpus: Path) -> None:
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    settings = Settings.from_env(task_runner="dask")
    summary = run_flow(corpus, local_run, task_runner=task_runner_for(settings))
    assert summary["docs"]["unchanged"] == 5
    started = [p.cmdline() for p in psutil.Process().children(recursive=True)
               if p.pid not in before]  # fmt: skip
    assert not [c for c in started if "spawn_main" in " ".join(c)], started
