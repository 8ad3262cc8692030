from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsquotes.settings import bundled_samples_dir


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
