"""Tasks: publish a run into the DuckDB warehouse, record bookkeeping."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.entity_resolution import after_load
from newsquotes.monitoring import nlp_seconds, record_run_metrics
from newsquotes.output_errors import retry_unless_unwritable
from newsquotes.quality import CheckResult
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


@task(
    name="record-run-metrics",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=5,
    retry_condition_fn=retry_unless_unwritable,
)
def record_run_metrics_task(
    warehouse: Path,
    run_id: str,
    started_at: datetime,
    stage_seconds: dict[str, float],
    window: int,
    threshold: float,
    min_articles: int,
) -> list[CheckResult]:
    """The run's ``run_metrics`` rows and its drift checks per outlet (returned, and recorded in dq_results)."""
    return record_run_metrics(
        warehouse,
        run_id,
        started_at,
        nlp_seconds(stage_seconds),
        window=window,
        threshold=threshold,
        min_articles=min_articles,
    )
