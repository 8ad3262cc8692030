"""A run's private copy of the warehouse, published by one atomic rename: readers and runs never wait.

Rules
-----
* A run never writes the file readers open. Everything it writes — the load, entity resolution, its check
  results, its ``pipeline_runs`` row — goes into a private copy beside the warehouse,
  ``.<name>.staging.tmp``, made when the run first writes. When all of it is committed, the copy is synced to
  disk and renamed over the warehouse (``os.replace``: atomic within one folder), and the folder is synced.
* A reader connected before the rename keeps the file it opened: a consistent view of the warehouse as it
  was, for as long as it stays connected. A connection opened after the rename sees the new data. Readers
  take no lock that a run needs, so a notebook or BI tool connected for hours never makes a run fail.
* A run that fails, or is killed, before the rename leaves the warehouse exactly as it was. Its staging copy
  is removed at once, or by the next run (which holds the writer lock, so any copy it finds is stale).
* Writers still take turns through ``<warehouse>.lock`` (``newsquotes.lock``).
* Cost: one file copy per writing run (``copy_file_range``, a reflink where the file system has them) and,
  while the run writes, disk space for a second warehouse.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsquotes.faults import checkpoint
from newsquotes.output_errors import OutputWriteError, write_failure_reason


def staging_path(warehouse: Path) -> Path:
    warehouse = Path(warehouse)
    return warehouse.with_name(f".{warehouse.name}.staging.tmp")


def _wal(path: Path) -> Path:
    return Path(f"{path}.wal")


def published_path(path: Path) -> Path:
    """The warehouse a staging copy will be published as (any other path: itself), for messages."""
    path = Path(path)
    name = path.name
    if name.startswith(".") and name.endswith(".staging.tmp"):
        return path.with_name(name[1 : -len(".staging.tmp")])
    return path


def discard_staging(warehouse: Path) -> None:
    """Remove a staging copy (and its write-ahead log) that was never published."""
    stage = staging_path(warehouse)
    for leftover in (stage, _wal(stage)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_published(warehouse: Path, stage: Path) -> None:
    """Copy the published warehouse into ``stage``. A write-ahead log beside it (left by a run of an older
    version that was killed mid-commit) is first checkpointed into it, so the copy is complete."""
    try:
        if _wal(warehouse).exists():
            duckdb.connect(str(warehouse)).close()
        shutil.copyfile(warehouse, stage)
    except (OSError, duckdb.Error) as exc:
        discard_staging(warehouse)
        reason = write_failure_reason(exc)
        if reason is None:
            raise
        raise OutputWriteError(
            f"cannot open the warehouse {warehouse} for writing: {reason}; the warehouse is unchanged",
            path=warehouse,
            reason=reason,
        ) from exc


@contextmanager
def staged_warehouse(warehouse: Path) -> Iterator[Path]:
    """Yield the path a run writes to; publish it over ``warehouse`` when the block ends without error.

    The caller holds the writer lock. On any error (or a kill) the warehouse stays exactly as it was.
    """
    warehouse = Path(warehouse)
    stage = staging_path(warehouse)
    discard_staging(warehouse)  # a killed run's copy: stale, since we hold the lock
    try:
        if warehouse.exists():
            _copy_published(warehouse, stage)
        yield stage
        if not stage.exists():
            return  # nothing was written
        if _wal(stage).exists():
            raise RuntimeError(f"staging copy {stage} still has a write-ahead log: a connection to it is open")
        try:
            _fsync(stage)
            checkpoint("publish")
            os.replace(stage, warehouse)
        except OSError as exc:
            reason = write_failure_reason(exc)
            if reason is None:
                raise
            raise OutputWriteError(
                f"cannot publish the warehouse {warehouse}: {reason}; the warehouse is unchanged",
                path=warehouse,
                reason=reason,
            ) from exc
    except BaseException:
        discard_staging(warehouse)
        raise
    with contextlib.suppress(OSError):  # the rename is durable once the folder is (best effort)
        _fsync(warehouse.parent, directory=True)
