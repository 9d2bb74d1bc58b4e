"""The flow on Dask: an existing cluster (a LocalCluster of 2 processes this test starts),
a temporary one, a worker killed mid-run; one task per batch, models loaded once per
worker, the same triples and evidence as the local runner, no process left behind."""

from __future__ import annotations

import os
import signal
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


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    texts = [HER2, SLFN11, CD30, NECTIN4, SLFN11_EDITED]
    return write_corpus(tmp_path / "corpus", {f"d{i}.txt": t for i, t in enumerate(texts)})


@pytest.fixture
def local_run(prefect_harness, corpus: Path, tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("ADCM_KB_BATCH_DOCS", "2")  # 5 documents: 3 batches
    out = tmp_path / "local"
    assert run_flow(corpus, out)["status"] == "completed"
    return out


def _same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        for suffix in (".csv", ".parquet"):
            assert (a / f"{name}{suffix}").read_bytes() == (b / f"{name}{suffix}").read_bytes()


def _models_loaded() -> int:
    from pipeline.nlp.pipeline import get_nlp

    return get_nlp.cache_info().currsize


def test_existing_cluster_runs_one_task_per_batch(local_run, corpus: Path, tmp_path: Path):
    from distributed import Client, LocalCluster, get_task_stream

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                     dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        settings = Settings.from_env(task_runner="dask", dask_address=cluster.scheduler_address)
        runner = task_runner_for(settings)
        assert isinstance(runner, BatchDaskTaskRunner)
        with get_task_stream(client) as stream:
            summary = run_flow(corpus, tmp_path / "dask", task_runner=runner)
        # the plugin loaded the pipeline in each worker process when the run joined it
        assert set(client.run(_models_loaded).values()) == {1}
        workers = {t["worker"] for t in stream.data if t.get("status") == "OK"}
    ran = sorted(t["key"].rsplit("-", 1)[0] for t in stream.data if t.get("status") == "OK")
    assert ran == ["process_documents"] * 3  # one task per batch of 2, not per document
    assert len(workers) == 2
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


def test_a_worker_killed_mid_run_loses_nothing(local_run, corpus: Path, tmp_path: Path):
    from distributed import Client, LocalCluster

    marker = tmp_path / "killed"
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                     dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        client.register_plugin(KillFirstWorker(str(marker)), name="kill-first-worker")
        settings = Settings.from_env(task_runner="dask", dask_address=cluster.scheduler_address)
        summary = run_flow(corpus, tmp_path / "dask", task_runner=task_runner_for(settings))
        pids = [p.pid for p in psutil.Process().children(recursive=True)]
    assert marker.exists()  # a worker did die
    assert summary["status"] == "completed" and summary["docs"]["added"] == 5
    _same_tables(local_run, tmp_path / "dask")
    gone, alive = psutil.wait_procs([psutil.Process(p) for p in pids if psutil.pid_exists(p)],
                                    timeout=10)  # fmt: skip
    assert not [p for p in alive if "distributed" in " ".join(p.cmdline())]


def test_temporary_cluster_leaves_no_process(local_run, corpus: Path, tmp_path: Path):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    settings = Settings.from_env(task_runner="dask", dask_workers=1)
    summary = run_flow(corpus, tmp_path / "dask", task_runner=task_runner_for(settings))
    assert summary["status"] == "completed"
    _same_tables(local_run, tmp_path / "dask")
    new = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    gone, alive = psutil.wait_procs(new, timeout=15)
    assert alive == [], [p.cmdline() for p in alive]
