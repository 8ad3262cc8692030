"""One writer at a time: an exclusive lock beside the warehouse file.

DuckDB allows one writing process per database file. Runs take ``<warehouse>.lock`` (an OS file lock:
released by the kernel when the process ends, even if it is killed) for as long as they write; a second run
waits up to a bound and then gives up with ``WarehouseBusyError``, without touching anything.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsquotes.output_errors import OutputWriteError, write_failure_reason


class WarehouseBusyError(RuntimeError):
    """Another run holds the warehouse."""

    def __init__(self, warehouse: Path, waited_s: float, holder: str) -> None:
        super().__init__(
            f"warehouse {warehouse} is being written by another run ({holder or 'unknown holder'}); "
            f"waited {waited_s:.0f} s. Try again when it has finished."
        )
        self.warehouse = warehouse
        self.waited_s = waited_s
        self.holder = holder

    def __reduce__(self) -> tuple[Any, ...]:  # picklable, like any exception a Prefect state may carry
        return (type(self), (self.warehouse, self.waited_s, self.holder))


def lock_path(warehouse: Path) -> Path:
    return Path(f"{warehouse}.lock")


@contextmanager
def warehouse_lock(warehouse: Path, wait_s: float, poll_s: float = 0.5) -> Iterator[None]:
    """Hold the warehouse's writer lock, waiting at most ``wait_s`` seconds for it.

    A warehouse folder that cannot take writes (read-only, not permitted) fails here, before any work, with
    :class:`OutputWriteError`. The holder note written into the lock file is best-effort: a full disk does not
    stop the run here (opening the warehouse for writing reports it, changing nothing).
    """
    path = lock_path(warehouse)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        reason = write_failure_reason(exc)
        if reason is None:
            raise
        raise OutputWriteError(
            f"cannot write the warehouse at {warehouse}: {reason} (its lock file {path} cannot be opened for writing)",
            path=Path(warehouse),
            reason=reason,
        ) from exc
    start = time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= wait_s:
                    raise WarehouseBusyError(Path(warehouse), waited, _read_holder(fd)) from None
                time.sleep(min(poll_s, max(wait_s - waited, 0.01)))
        _note_holder(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}")
        try:
            yield
        finally:
            _note_holder(fd, "")
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _note_holder(fd: int, note: str) -> None:
    """Replace the lock file's text (who holds it): written first, then cut to length, so a waiting run never
    reads it empty in between. Only informative, so a full disk is no reason to fail."""
    data = note.encode()
    try:
        if data:
            os.pwrite(fd, data, 0)
        os.ftruncate(fd, len(data))
    except OSError as exc:
        if write_failure_reason(exc) is None:
            raise
        with contextlib.suppress(OSError):  # no stale note of an earlier holder: cutting needs no space
            os.ftruncate(fd, 0)


def _read_holder(fd: int) -> str:
    """The holder's note; a holder that has just taken the lock gets a moment to write it."""
    for _ in range(5):
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        if holder:
            return holder
        time.sleep(0.02)
    return ""
