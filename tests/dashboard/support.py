"""Helpers of the dashboard tests: the served deployment's handle, samples, Chromium (processes, waits and the
server handle live in tests/processes.py)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from prefect.client.schemas.objects import StateType

from newsquotes.settings import bundled_samples_dir
from tests.processes import REPO_ROOT

ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"  # gitignored: screenshots for people (and CI uploads)

FLOW_NAME = "newsquotes-ingest"
SERVED_DEPLOYMENT = "dashboard-test"
SHORT_CRON = "* * * * *"  # every minute: the first scheduled run comes within 60 s of serving
FINAL_STATES = {StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED}


def copy_samples(target: Path) -> Path:
    shutil.copytree(bundled_samples_dir(), target)
    return target


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return None


@dataclass(frozen=True, slots=True)
class ServedDeployment:
    deployment_id: str
    input_dir: Path
    warehouse: Path  # the deployment's default warehouse: scheduled runs write here
    parquet_dir: Path
    started: float  # time.monotonic() when serving began
    log: Path
