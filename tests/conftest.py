"""Shared test setup: an isolated Prefect home, no telemetry, paths to ../shared."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.preconditions import REQUIRE_ALL_ENV, missing, require_all
from tests.processes import PrefectServer, start_prefect_server, stop_process

# Before Prefect is imported anywhere: its temporary server and database live in a throwaway home, one for each
# pytest-xdist worker (a worker inherits the controller's environment).
if "PREFECT_HOME" not in os.environ or os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsquotes-prefect-")
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
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    """The session's real Prefect server (tests/processes.py), stopped at the end of the session."""
    server, proc = start_prefect_server(tmp_path_factory.mktemp("prefect-server"))
    try:
        yield server
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def prefect_backend(prefect_server: PrefectServer) -> Iterator[None]:
    """Every Prefect client of the session reports to its server: flows run in this process (settings) and the
    processes it starts (environment); logs and events are sent before the server stops."""
    from prefect.context import _temporary_global_settings_context, get_settings_context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    os.environ["PREFECT_API_URL"] = prefect_server.api_url
    # the settings of this context, and the process-global settings that contexts made before it fall back to (a
    # process pool's workers get those): what Prefect's own test harness does
    with (
        temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}),
        _temporary_global_settings_context(get_settings_context()),
    ):
        yield
        _drain_prefect_workers()


def _drain_prefect_workers() -> None:
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    with contextlib.suppress(RuntimeError):  # never started
        APILogWorker.drain_all(timeout=30)
    EventsWorker.drain_all(timeout=30)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under NEWSQUOTES_TESTS_REQUIRE_ALL (CI) a skip of any kind, a skipif included, is a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if require_all() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} skipped under {REQUIRE_ALL_ENV}=1, where every test must run: {reason}"
