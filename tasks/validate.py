"""Task: the Great Expectations suites over the run's lake partitions, before anything is published."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.lake import write_part
from newsquotes.output_errors import writing
from newsquotes.quality import CHUNK_ROWS, ValidationOutcome, validate_run
from newsquotes.schema import rows_to_table


@task(name="validate-run", cache_policy=NO_CACHE)
def validate_run_task(
    lake_dir: Path,
    run_id: str,
    settings_values: dict[str, Any],
    project_dir: Path,
    loaded_hashes: Mapping[str, str],
    checked_at: datetime,
) -> ValidationOutcome:
    """Validate the run part by part (bounded memory); write its quarantine log to the lake so the load can
    route those rows aside. ``settings_values["validation_chunk_rows"]``, when set, bounds the rows of any
    table per chunk (default ``quality.CHUNK_ROWS``)."""
    with writing("the Data Docs", project_dir, "the data-quality results of the run"):
        outcome = validate_run(
            lake_dir,
            run_id,
            settings_values,
            project_dir=project_dir,
            run_name=run_id,
            loaded_hashes=loaded_hashes,
            chunk_rows=int(settings_values.get("validation_chunk_rows") or CHUNK_ROWS),
        )
    log = rows_to_table("quarantine_log", outcome.quarantine_rows(run_id, checked_at))
    write_part(lake_dir, "quarantine_log", run_id, "validation", log)
    return outcome
