"""Tasks: write batches to the Parquet lake."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.lake import ensure_run_parts, write_batch


@task(name="write-parquet", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def write_parquet_task(lake_dir: Path, run_id: str, part: str, tables: dict[str, pa.Table]) -> list[str]:
    return [str(p) for p in write_batch(lake_dir, run_id, part, tables).values()]


@task(name="finalize-lake", cache_policy=NO_CACHE)
def finalize_lake_task(lake_dir: Path, run_id: str) -> None:
    ensure_run_parts(lake_dir, run_id)
