"""Where the NLP stage runs: in the flow's process, in a local process pool, or on a Dask cluster.

The flow submits one ``annotate-batch`` task per batch and keeps at most ``in_flight`` of them outstanding,
so a corpus of any size streams through with bounded memory. Every runner loads the model once per worker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from prefect import Task
from prefect.task_runners import ProcessPoolTaskRunner

from newsquotes.nlp.model import load_model
from newsquotes.settings import Settings


def warm_worker(model: str) -> None:
    """Process-pool initializer: load the model once, before the worker's first batch."""
    load_model(model)


class _Done:
    """The result of a task that already ran in the flow's process, shaped like a future."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value


class InlineRunner:
    """Runs each submitted task at once, in the flow's process."""

    in_flight = 0
    description = "in the flow's process"

    def submit(self, task: Task[..., Any], parameters: dict[str, Any]) -> _Done:
        return _Done(task(**parameters))


@dataclass
class PoolRunner:
    """A started Prefect task runner (process pool or Dask) and how many batches may be outstanding on it."""

    runner: Any
    in_flight: int
    description: str

    def submit(self, task: Task[..., Any], parameters: dict[str, Any]) -> Any:
        return self.runner.submit(task, parameters)


def choose_runner(settings: Settings, batches: int) -> str:
    """The runner a run uses: a pool only pays when there is more than one batch (or a cluster is named)."""
    if settings.runner == "dask" and settings.dask_address:
        return "dask"
    if settings.runner == "local" or settings.workers < 2 or batches < 2:
        return "local"
    return settings.runner


@contextmanager
def _api_url_for_workers() -> Iterator[None]:
    """Workers report their task runs to the flow's Prefect API: a temporary server's URL is not in the
    environment they start with, so put it there while they start (otherwise each starts a server of its own)."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        url = str(client.api_url)
    os.environ["PREFECT_API_URL"] = url
    try:
        yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)


@contextmanager
def nlp_runner(settings: Settings, batches: int) -> Iterator[InlineRunner | PoolRunner]:
    """The NLP stage's runner for a run of ``batches`` batches, started and shut down around the run."""
    kind = choose_runner(settings, batches)
    if kind == "local":
        yield InlineRunner()
        return
    if kind == "process":
        pool = ProcessPoolTaskRunner(
            max_workers=settings.workers, initializer=warm_worker, initargs=(settings.spacy_model,)
        )
        with _api_url_for_workers(), pool:
            yield PoolRunner(pool, settings.workers + 1, f"a pool of {settings.workers} processes")
        return
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        dask = DaskTaskRunner(address=settings.dask_address)
        where = f"the Dask cluster at {settings.dask_address}"
    else:
        dask = DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
        where = f"a local Dask cluster of {settings.workers} workers"
    with _api_url_for_workers(), dask:
        workers = len(dask.client.scheduler_info().get("workers", {})) or settings.workers
        yield PoolRunner(dask, workers + 1, where)
