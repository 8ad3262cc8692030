"""The NLP stage on a local process pool and on a Dask cluster gives exactly the single-process warehouse."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from newsquotes.settings import bundled_samples_dir
from tests.integration.warehouse_query import data_snapshot, query

pytestmark = pytest.mark.integration


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """One article a batch: the four samples make four batches, so work really is spread."""
    monkeypatch.setenv("NEWSQUOTES_BATCH_SIZE", "1")


def _run(input_dir: Path, root: Path, **params: Any) -> Any:
    from flows.ingest import ingest_flow

    state = ingest_flow(
        input_dir=str(input_dir),
        warehouse=str(root / "w.duckdb"),
        parquet_dir=str(root / "lake"),
        return_state=True,
        **params,
    )
    assert state.is_completed(), state.message
    return state.result()


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory, prefect_backend: None) -> dict[str, list[tuple]]:
    """The warehouse of the samples run in the flow's process, one article a batch: made once for the module."""
    root = tmp_path_factory.mktemp("single-process")
    shutil.copytree(bundled_samples_dir(), root / "input")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSQUOTES_BATCH_SIZE", "1")
        result = _run(root / "input", root / "local", runner="local")
    assert result["articles_loaded"] == 4
    return data_snapshot(root / "local" / "w.duckdb")


PARTS = [f"part-{i:05d}.parquet" for i in range(4)]


def _part_files(lake: Path) -> list[str]:
    return sorted(p.name for p in (lake / "articles").glob("run_id=*/*.parquet"))


def test_process_pool_equals_single_process(
    samples: Path, tmp_path: Path, single_process: dict[str, list[tuple]], small_batches: None
) -> None:
    from newsquotes.nlp.model import load_model

    # the flow runs in this process: with the model unloaded here, a batch annotated here (a silent fall-back to
    # the local runner) would load it again
    load_model.cache_clear()
    result = _run(samples, tmp_path / "pool", runner="process", workers=2)
    assert load_model.cache_info().currsize == 0, "the NLP stage ran in the flow's process, not in the pool"
    assert result["articles_loaded"] == 4
    assert data_snapshot(tmp_path / "pool" / "w.duckdb") == single_process
    assert _part_files(tmp_path / "pool" / "lake") == PARTS
    # the batches' task runs ran in worker processes: Prefect recorded them (from their events, which the server
    # turns into task runs a moment later), and none in the flow's own process
    deadline = time.monotonic() + 60
    while (recorded := _annotate_task_runs(result["flow_run_id"])) < 4 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert recorded == 4


def _annotate_task_runs(flow_run_id: str) -> int:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterName

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(flow_run_id)])),
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="annotate-batch")),
        )
    return sum(1 for r in runs if r.state is not None and r.state.is_completed())


@pytest.fixture
def dask_cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A local Dask cluster of 2 worker processes, configured like a real one: told where the Prefect API is."""
    from distributed import Client, LocalCluster
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        monkeypatch.setenv("PREFECT_API_URL", str(client.api_url))
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as dask_client,
    ):
        dask_client.wait_for_workers(2, timeout=120)
        yield dask_client


def _models_loaded() -> int:
    from newsquotes.nlp.model import load_model

    return load_model.cache_info().currsize


def test_dask_cluster_equals_single_process(
    samples: Path, tmp_path: Path, single_process: dict[str, list[tuple]], dask_cluster: Any, small_batches: None
) -> None:
    address = dask_cluster.scheduler.address
    result = _run(samples, tmp_path / "dask", runner="dask", dask_address=address)
    assert result["articles_loaded"] == 4
    assert data_snapshot(tmp_path / "dask" / "w.duckdb") == single_process
    # the batches ran on the cluster's worker processes (each loads the model once, on its first batch) ...
    loaded = dask_cluster.run(_models_loaded)
    assert len(loaded) == 2 and sum(loaded.values()) >= 1, loaded
    assert all(pid != os.getpid() for pid in dask_cluster.run(os.getpid).values())
    # ... and wrote their own part files, which the single load at the end published
    assert _part_files(tmp_path / "dask" / "lake") == PARTS
    runs = query(tmp_path / "dask" / "w.duckdb", "SELECT status, articles_loaded FROM pipeline_runs")
    assert runs == [("completed", 4)]


def test_settings_choose_the_runner(tmp_path: Path) -> None:
    from newsquotes.settings import Settings
    from tasks.runners import choose_runner

    assert choose_runner(Settings(runner="process", workers=2), batches=3) == "process"
    assert choose_runner(Settings(runner="process", workers=2), batches=1) == "local"  # nothing to spread
    assert choose_runner(Settings(runner="process", workers=1), batches=9) == "local"
    assert choose_runner(Settings(runner="dask", workers=2), batches=3) == "dask"
    assert choose_runner(Settings(runner="dask", dask_address="tcp://h:8786"), batches=1) == "dask"
    assert choose_runner(Settings(runner="local", workers=8), batches=9) == "local"
