"""Where the flow's batch tasks run: threads of the flow process, or a Dask cluster.

On Dask each worker process loads the spaCy pipeline and the knowledge pack once, when it
joins the cluster (a worker plugin, :class:`LoadModels`), not per task; the stage function
then finds them loaded. A temporary cluster (no ``dask_address``) is the flow's: it starts
with the first batch and is closed when the last one is back (:meth:`BatchDaskTaskRunner.
release`), or with the run, and its worker processes exit with their parent, however that
ends (distributed's worker processes watch their parent's pipe).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.hosted import hosts_own_server, start_temporary_server
from pipeline.config import Settings

log = logging.getLogger(__name__)

PLUGIN_NAME = "adcm-load-models"


class LoadModels(WorkerPlugin):
    """Load the knowledge pack and spaCy pipeline of ``settings`` into each worker process
    as it joins (in a thread: the worker's event loop keeps answering the scheduler)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def setup(self, worker: Any) -> None:
        from pipeline.batch import load_models

        await asyncio.get_running_loop().run_in_executor(None, load_models, self.settings)
        log.info("worker %s: knowledge pack and spaCy pipeline loaded", worker.address)


class BatchDaskTaskRunner(DaskTaskRunner):
    """Prefect's Dask task runner, registering :class:`LoadModels` on the cluster it uses
    (a temporary one or the one at ``address``) before the first task is submitted, so that
    a run with nothing to process starts no cluster.

    A flow run on Prefect's temporary server (no ``PREFECT_API_URL``) hands that server's
    address to the workers with each task: without it every worker process would start a
    temporary server of its own, and record its task runs there.
    """

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self._kwargs = kwargs
        self._models_loaded = False

    def duplicate(self) -> BatchDaskTaskRunner:
        return type(self)(self.settings, **self._kwargs)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and getattr(other, "settings", None) == self.settings

    def __enter__(self) -> BatchDaskTaskRunner:
        super().__enter__()
        if hosts_own_server():
            if self.address:
                log.warning("Dask workers at %s report to this process's temporary Prefect "
                            "server at 127.0.0.1: workers on other hosts need PREFECT_API_URL "
                            "set to a server they can reach", self.address)  # fmt: skip
            server = start_temporary_server()  # this process's (no-op when running)
            self._exit_stack.enter_context(
                temporary_settings(updates={PREFECT_API_URL: server.api_url})
            )
        return self

    def submit(self, task: Any, parameters: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if not self._models_loaded:
            self.client.register_plugin(LoadModels(self.settings), name=PLUGIN_NAME)
            self._models_loaded = True
        return super().submit(task, parameters, *args, **kwargs)

    def release(self) -> None:
        """Close a temporary cluster as soon as the batches are done, not when the flow
        ends: idle, its scheduler and workers cost the export and report after the batches
        ~10% more CPU (measured), and its workers hold the models' memory. A cluster at
        ``address`` is not the run's to close."""
        if self._cluster is not None and not self.address and self._client:
            self._client.close()
            self._cluster.close()
            log.info("temporary Dask cluster closed: every batch is processed")

    def n_workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))


def task_runner_for(settings: Settings) -> Any:
    """The configured task runner: threads of this process, or a Dask cluster (the one at
    ``dask_address``, else a temporary local one of ``dask_workers`` processes)."""
    if settings.task_runner == "local":
        return ThreadPoolTaskRunner(max_workers=4)
    if settings.task_runner == "dask":
        if settings.dask_address:
            return BatchDaskTaskRunner(settings, address=settings.dask_address)
        return BatchDaskTaskRunner(
            settings,
            cluster_kwargs={
                "n_workers": settings.dask_workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            },
        )
    raise ValueError(f"task_runner must be 'local' or 'dask', not {settings.task_runner!r}")
