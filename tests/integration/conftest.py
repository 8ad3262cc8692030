from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsquotes.settings import bundled_samples_dir
from tests.processes import PrefectServer


@pytest.fixture(autouse=True)
def _prefect(prefect_backend: None) -> None:
    """Every integration test talks to the session's Prefect server."""


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample articles."""
    target = tmp_path / "input"
    shutil.copytree(bundled_samples_dir(), target)
    return target


@pytest.fixture
def run_flow(tmp_path: Path) -> Callable[..., Any]:
    """Run the real ingest flow into a warehouse and lake under tmp_path; returns the final state."""
    from flows.ingest import ingest_flow

    def _run(input_dir: Path, **params: Any) -> Any:
        return ingest_flow(
            input_dir=str(input_dir),
            warehouse=str(tmp_path / "wh" / "newsquotes.duckdb"),
            parquet_dir=str(tmp_path / "lake"),
            return_state=True,
            **params,
        )

    return _run


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "newsquotes.duckdb"


@dataclass(frozen=True)
class SamplesRun:
    """The one run of the flow on the bundled samples that the session shares (read it, or copy it)."""

    root: Path  # input/, wh/newsquotes.duckdb (and its Data Docs project), lake/
    state_name: str
    result: dict[str, Any]

    @property
    def warehouse(self) -> Path:
        return self.root / "wh" / "newsquotes.duckdb"

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    def copy_to(self, root: Path) -> Path:
        """Copy the warehouse folder and the lake to ``root``/wh and ``root``/lake (which may be mounts already),
        as if this run had written there; returns the warehouse path."""
        shutil.copytree(self.root / "wh", root / "wh", dirs_exist_ok=True)
        shutil.copytree(self.lake, root / "lake", dirs_exist_ok=True)
        return root / "wh" / "newsquotes.duckdb"


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory: pytest.TempPathFactory, prefect_backend: None) -> SamplesRun:
    """The bundled samples through the real flow, once per session, into a fresh warehouse and lake."""
    from flows.ingest import ingest_flow

    root = tmp_path_factory.mktemp("samples-run")
    shutil.copytree(bundled_samples_dir(), root / "input")
    state = ingest_flow(
        input_dir=str(root / "input"),
        warehouse=str(root / "wh" / "newsquotes.duckdb"),
        parquet_dir=str(root / "lake"),
        return_state=True,
    )
    assert state.is_completed(), state.message
    return SamplesRun(root, str(state.name), state.result())


@pytest.fixture(scope="session")
def forked_cli(prefect_server: PrefectServer, prefect_backend: None) -> None:
    """The forkserver of tests/cli_process.py, reporting to the session's Prefect server."""
    from tests import cli_process

    cli_process.start(prefect_server.api_url)


@pytest.fixture
def cli(forked_cli: None) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``newsquotes <args>`` in a child process reporting to the session's Prefect server, forked from a process
    that has the pipeline imported already (tests/cli_process.py; test_cli.py keeps runs of ``python -m
    newsquotes.cli`` itself, on the temporary-server path). Extra environment as keyword arguments."""
    from tests import cli_process

    def run(*args: str | Path, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
        return cli_process.run(args, timeout=timeout, env=env)

    return run


def run_artifacts(flow_run_id: str) -> dict[str, Any]:
    """The artifacts a flow run published on the session's Prefect server, by key."""
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(flow_run_id)]))
        )
    return {a.key: a for a in artifacts if a.key}
