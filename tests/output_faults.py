"""Real output failures for tests: a read-only folder and a full disk, answered by the kernel.

Root (CI, the dev container) is not stopped by file modes, so as root:

* read-only: the folder is bind-mounted over itself read-only; every write below it gets EROFS
  ("read-only file system"), exactly as on a read-only mounted volume;
* disk full: a size-limited tmpfs is mounted at the folder before the output is written there, and later filled
  with one file until the kernel answers ENOSPC ("no space left on device"); the next writes get ENOSPC.

Not root: read-only is plain ``chmod a-w`` of the folder and the files in it (EACCES, "permission denied"); a full
disk needs a mount, which needs root, so those tests skip with that reason (and fail under
NEWSQUOTES_TESTS_REQUIRE_ALL, as in CI: see tests/preconditions.py). The mounts live in this process's
mount namespace (subprocesses such as the CLI see them too) and are always unmounted afterwards.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.preconditions import missing

IS_ROOT = os.geteuid() == 0
READ_ONLY_REASON = "read-only file system" if IS_ROOT else "permission denied"
DISK_FULL_REASON = "no space left on device"


def _mount(*args: str) -> None:
    if shutil.which("mount") is None:
        pytest.fail("`mount` is missing: install util-linux to run the output-failure tests as root")
    proc = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        # root without CAP_SYS_ADMIN (a locked-down container): no honest way to fail writes for root
        missing(f"root cannot mount here ({proc.stderr.strip()}); read-only/disk-full need a mount (CAP_SYS_ADMIN)")


def _umount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True, check=False).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """Make ``folder`` (created if needed) read-only for this process and its children; yields the reason text."""
    folder.mkdir(parents=True, exist_ok=True)
    if IS_ROOT:
        _mount("--bind", str(folder), str(folder))
        try:
            _mount("-o", "remount,ro,bind", str(folder))
            yield READ_ONLY_REASON
        finally:
            _umount(folder)
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    try:
        for p, mode in modes.items():
            p.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        yield READ_ONLY_REASON
    finally:
        for p, mode in sorted(modes.items(), reverse=True):
            p.chmod(mode)


@contextmanager
def small_disk(folder: Path, size: str = "64m") -> Iterator[Path]:
    """Mount a ``size`` tmpfs at ``folder`` (empty, created if needed) for the block; see :func:`fill`."""
    if not IS_ROOT:
        missing("a full disk needs a size-limited tmpfs mount, which needs root (with CAP_SYS_ADMIN)")
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        _umount(folder)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` until at most ``leave`` bytes are free; returns the filler file."""
    filler = folder / "filler.bin"
    chunk = b"\xff" * (1 << 20)
    with open(filler, "wb", buffering=0) as f:
        try:
            while (free := free_bytes(folder)) > leave:
                f.write(chunk[: min(len(chunk), free - leave)])
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    return filler


def free_bytes(folder: Path) -> int:
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize
