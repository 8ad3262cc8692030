"""Task: close a run's lake partition (batches write their own parts, see tasks/annotate.py)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.lake import ensure_run_parts


@task(name="finalize-lake", cache_policy=NO_CACHE)
def finalize_lake_task(lake_dir: Path, run_id: str) -> None:
    ensure_run_parts(lake_dir, run_id)
