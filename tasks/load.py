"""Tasks: publish a run into the DuckDB warehouse, record bookkeeping."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.entity_resolution import after_load
from newsquotes.output_errors import retry_unless_unwritable
from newsquotes.warehouse_db import LoadResult, append_bookkeeping, load_run


@task(
    name="load-warehouse",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=5,
    retry_condition_fn=retry_unless_unwritable,
)
def load_warehouse_task(
    warehouse: Path,
    lake_dir: Path,
    run_id: str,
    bookkeeping: dict[str, pa.Table],
    aliases_file: Path | None = None,
) -> LoadResult:
    """Load the run, then resolve entities across the warehouse and cluster quotes, in one transaction."""
    return load_run(warehouse, lake_dir, run_id, bookkeeping, post_load=after_load(aliases_file))


@task(
    name="record-bookkeeping",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=5,
    retry_condition_fn=retry_unless_unwritable,
)
def record_bookkeeping_task(warehouse: Path, tables: dict[str, pa.Table]) -> None:
    append_bookkeeping(warehouse, tables)
