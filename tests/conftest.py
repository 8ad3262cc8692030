"""Shared test setup: an isolated Prefect home, no telemetry, paths to ../shared."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.preconditions import REQUIRE_ALL_ENV, missing, require_all

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
        missing(f"{SHARED} is not present (the gold and corpora live beside the repository)")
    return SHARED


@pytest.fixture(scope="session")
def prefect_backend() -> Iterator[None]:
    """One temporary Prefect server (its own SQLite database) for the whole session, stopped cleanly."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under NEWSQUOTES_TESTS_REQUIRE_ALL (CI) a skip of any kind, a skipif included, is a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if require_all() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} skipped under {REQUIRE_ALL_ENV}=1, where every test must run: {reason}"
