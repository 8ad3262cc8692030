"""Task: settle runs that were interrupted before they finished (see newsquotes.recovery)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.recovery import Takeover, settle_interrupted_runs
from newsquotes.text.formats import json_fields


@task(name="settle-interrupted-runs", cache_policy=NO_CACHE)
def settle_interrupted_task(
    lake_dir: Path,
    warehouse: Path,
    input_dir: Path,
    run_id: str,
    max_bytes: int,
    json_field_names: Mapping[str, str] | None = None,
) -> Takeover:
    return settle_interrupted_runs(
        lake_dir, warehouse, input_dir, run_id, max_bytes=max_bytes, json_fields=json_fields(json_field_names)
    )
