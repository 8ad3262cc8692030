"""Shared test setup: an isolated Prefect home, no telemetry, paths to ../shared."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before Prefect is imported anywhere: its temporary server and database live in a throwaway home.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsquotes-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not present (the gold and corpora live beside the repository)")
    return SHARED
