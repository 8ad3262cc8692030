"""One writer at a time: an exclusive lock beside the warehouse file.

DuckDB allows one writing process per database file. Runs take ``<warehouse>.lock`` (an OS file lock:
released by the kernel when the process ends, even if it is killed) for as long as they write; a second run
waits up to a bound and then gives up with ``WarehouseBusyError``, without touching anything.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusyError(RuntimeError):
    """Another run holds the warehouse."""

    def __init__(self, warehouse: Path, waited_s: float, holder: str) -> None:
        super().__init__(
            f"warehouse {warehouse} is being written by another run ({holder or 'unknown holder'}); "
            f"waited {waited_s:.0f} s. Try again when it has finished."
        )
        self.warehouse = warehouse
        self.holder = holder


def lock_path(warehouse: Path) -> Path:
    return Path(f"{warehouse}.lock")


@contextmanager
def warehouse_lock(warehouse: Path, wait_s: float, poll_s: float = 0.5) -> Iterator[None]:
    """Hold the warehouse's writer lock, waiting at most ``wait_s`` seconds for it."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    start = time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= wait_s:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    raise WarehouseBusyError(Path(warehouse), waited, holder) from None
                time.sleep(min(poll_s, max(wait_s - waited, 0.01)))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
