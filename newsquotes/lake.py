"""The Parquet lake: one folder per table, one partition per run, one part file per batch."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsquotes.faults import checkpoint
from newsquotes.output_errors import writing
from newsquotes.schema import LAKE_TABLES, RUN_TABLES, arrow_schema, empty_table


def run_dir(lake_dir: Path, table: str, run_id: str) -> Path:
    return Path(lake_dir) / table / f"run_id={run_id}"


def run_glob(lake_dir: Path, table: str, run_id: str) -> str:
    return str(run_dir(lake_dir, table, run_id) / "*.parquet")


def write_part(lake_dir: Path, table: str, run_id: str, part: str, data: pa.Table) -> Path:
    """Write one part file atomically (temporary name, then rename): readers never see half a file.

    When the lake cannot take the write (read-only folder, disk full, ...) the temporary file and the folders
    this call created are removed and :class:`OutputWriteError` names the lake and the reason.
    """
    schema = arrow_schema(table)
    if not data.schema.equals(schema):
        data = data.cast(schema)
    folder = run_dir(lake_dir, table, run_id)
    final = folder / f"part-{part}.parquet"
    tmp = folder / f".part-{part}.parquet.tmp"
    created = [d for d in (folder, folder.parent, Path(lake_dir)) if not d.exists()]
    try:
        with writing("the Parquet lake", lake_dir, f"part {part} of table {table}, run {run_id}"):
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(data, tmp, compression="zstd")
            os.replace(tmp, final)
    except BaseException:
        _discard(tmp, created)
        raise
    return final


def _discard(tmp: Path, created: list[Path]) -> None:
    """Best-effort cleanup after a failed write: the temporary file, then the (empty) folders made for it."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
    for folder in created:  # innermost first
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_batch(lake_dir: Path, run_id: str, part: str, tables: dict[str, pa.Table]) -> dict[str, Path]:
    """A batch's part files, one table after another (a crash in between leaves some: the journal knows)."""
    written: dict[str, Path] = {}
    for table in LAKE_TABLES:
        if tables[table].num_rows:
            written[table] = write_part(lake_dir, table, run_id, part, tables[table])
            checkpoint("parquet-write")
    return written


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
