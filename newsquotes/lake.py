"""The Parquet lake: one folder per table, one partition per run, one part file per batch."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsquotes.schema import LAKE_TABLES, RUN_TABLES, arrow_schema, empty_table


def run_dir(lake_dir: Path, table: str, run_id: str) -> Path:
    return Path(lake_dir) / table / f"run_id={run_id}"


def run_glob(lake_dir: Path, table: str, run_id: str) -> str:
    return str(run_dir(lake_dir, table, run_id) / "*.parquet")


def write_part(lake_dir: Path, table: str, run_id: str, part: str, data: pa.Table) -> Path:
    """Write one part file atomically (temporary name, then rename): readers never see half a file."""
    schema = arrow_schema(table)
    if not data.schema.equals(schema):
        data = data.cast(schema)
    folder = run_dir(lake_dir, table, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"part-{part}.parquet"
    tmp = folder / f".part-{part}.parquet.tmp"
    pq.write_table(data, tmp, compression="zstd")
    os.replace(tmp, final)
    return final


def write_batch(lake_dir: Path, run_id: str, part: str, tables: dict[str, pa.Table]) -> dict[str, Path]:
    return {t: write_part(lake_dir, t, run_id, part, tables[t]) for t in LAKE_TABLES if tables[t].num_rows}


def ensure_run_parts(lake_dir: Path, run_id: str) -> None:
    """Give every lake table at least one (possibly empty) part for the run, so its glob always resolves."""
    for table in RUN_TABLES:
        folder = run_dir(lake_dir, table, run_id)
        if not any(folder.glob("*.parquet")):
            write_part(lake_dir, table, run_id, "empty", empty_table(table))


def read_run(lake_dir: Path, table: str, run_id: str) -> pa.Table:
    files = sorted(run_dir(lake_dir, table, run_id).glob("*.parquet"))
    if not files:
        return empty_table(table)
    return pa.concat_tables([pq.read_table(f, schema=arrow_schema(table)) for f in files])
