"""Task: the Great Expectations suites over the run's lake partitions, before anything is published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.lake import read_run
from newsquotes.quality import CheckResult, validate_tables
from newsquotes.schema import LAKE_TABLES


@task(name="validate-run", cache_policy=NO_CACHE)
def validate_run_task(lake_dir: Path, run_id: str, settings_values: dict[str, Any]) -> list[CheckResult]:
    frames = {t: read_run(lake_dir, t, run_id).to_pandas() for t in LAKE_TABLES}
    return validate_tables(frames, settings_values)
