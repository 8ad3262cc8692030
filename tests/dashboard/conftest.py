"""Dashboard tests: the session's real Prefect server (tests/processes.py), the served flow, headless Chromium.

Everything started here is a subprocess of the test session, stopped by process id at the end of its fixture:
SIGTERM, then SIGKILL after a bounded wait, descendants included. ``serve`` lives for the dashboard module only,
and pauses its schedule as it stops, so nothing it schedules runs beside the rest of the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from uuid import UUID

import pytest
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.states import Cancelling

from tests.dashboard.support import (
    FINAL_STATES,
    FLOW_NAME,
    SERVED_DEPLOYMENT,
    SHORT_CRON,
    ServedDeployment,
    chromium_path,
    copy_samples,
)
from tests.preconditions import missing
from tests.processes import REPO_ROOT, PrefectServer, stop_process, wait_for

SERVE_START_TIMEOUT_S = 90.0


@pytest.fixture(scope="module")
def served(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDeployment]:
    """``newsquotes serve --cron '* * * * *'`` against the server, until the end of the module (never longer: its
    scheduled runs would compete with every later test). The scheduled-run test switches the schedule off once it
    has seen its run."""
    root = tmp_path_factory.mktemp("served")
    samples = copy_samples(root / "input")
    warehouse, lake = root / "scheduled" / "newsquotes.duckdb", root / "scheduled" / "lake"
    log = root / "serve.log"
    # the runner looks for due runs every 2 s instead of 10 s: only the test's waiting gets shorter
    env = {**prefect_server.client_env("serve"), "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    args = [sys.executable, "-m", "newsquotes.cli", "serve", "--cron", SHORT_CRON, "--name", SERVED_DEPLOYMENT]
    args += ["--input", str(samples), "--warehouse", str(warehouse), "--parquet-dir", str(lake)]
    started = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    deployment_id: str | None = None
    try:
        with prefect_server.client() as client:

            def find_deployment() -> str | None:
                try:
                    return str(client.read_deployment_by_name(f"{FLOW_NAME}/{SERVED_DEPLOYMENT}").id)
                except Exception:
                    return None

            deployment_id = wait_for(
                find_deployment, timeout_s=SERVE_START_TIMEOUT_S, what="the served deployment", proc=proc, log=log
            )
        yield ServedDeployment(deployment_id, samples, warehouse, lake, started, log)
    finally:
        _stop_runs(prefect_server, deployment_id)
        stop_process(proc)


def _stop_runs(server: PrefectServer, deployment_id: str | None) -> None:
    """Pause the schedule and cancel unfinished runs, so that the runner ends them before it stops."""
    if deployment_id is None:
        return
    try:
        with server.client() as client:
            client.pause_deployment(deployment_id)
            active = FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING])
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=active)),
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[UUID(deployment_id)])),
            )
            for run in runs:
                client.set_flow_run_state(run.id, Cancelling(), force=True)
            deadline = time.monotonic() + 30
            while runs and time.monotonic() < deadline:
                time.sleep(1)
                runs = [r for r in runs if client.read_flow_run(r.id).state_type not in FINAL_STATES]
    except Exception as exc:  # teardown goes on: stop_process ends whatever is left
        print(f"dashboard teardown: could not stop the served runs cleanly: {exc}", file=sys.stderr)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's headless Chromium, installed by scripts/install-chromium.sh when missing (root + apt only)."""
    if path := chromium_path():
        return path
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")):
        reason = (
            "Chromium is missing and cannot be installed here (needs root and apt-get): scripts/install-chromium.sh"
        )
        missing(reason)
    proc = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "install-chromium.sh")], capture_output=True, text=True, timeout=900
    )
    path = chromium_path()
    if proc.returncode != 0 or path is None:
        pytest.fail(f"installing Chromium failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}")
    return path
