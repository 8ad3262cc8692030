from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsquotes.lock import WarehouseBusyError, lock_path, warehouse_lock
from newsquotes.output_errors import OutputWriteError
from tests.output_faults import fill, read_only, small_disk

HOLD = """
import sys, time
from pathlib import Path
from newsquotes.lock import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), wait_s=5):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(warehouse: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_writer_gives_up_after_the_bound_naming_the_holder(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    proc = _holder(wh, 30)
    try:
        start = time.monotonic()
        with pytest.raises(WarehouseBusyError, match=r"being written by another run \(pid"), warehouse_lock(wh, 1.0):
            pass
        assert 0.9 <= time.monotonic() - start < 5
    finally:
        proc.kill()
        proc.wait()


def test_lock_of_a_killed_process_is_released(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    proc = _holder(wh, 30)
    proc.kill()
    proc.wait()
    with warehouse_lock(wh, 2.0):
        pass


def test_waiting_writer_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    proc = _holder(wh, 1.0)
    with warehouse_lock(wh, 20.0):
        assert proc.wait(timeout=10) == 0


def test_read_only_warehouse_folder_fails_at_the_lock_naming_the_warehouse(tmp_path: Path) -> None:
    wh = tmp_path / "wh" / "w.duckdb"
    with warehouse_lock(wh, 1.0):  # an earlier run left its lock file
        pass
    with read_only(wh.parent) as reason:
        message = re.escape(f"cannot write the warehouse at {wh}: {reason}")
        with pytest.raises(OutputWriteError, match=message) as failed, warehouse_lock(wh, 1.0):
            pass
        assert failed.value.path == wh and str(lock_path(wh)) in str(failed.value)
        # no lock file yet: it cannot be created either
        with pytest.raises(OutputWriteError, match=reason), warehouse_lock(wh.parent / "other.duckdb", 1.0):
            pass


def test_full_disk_does_not_stop_the_lock_only_its_holder_note(tmp_path: Path) -> None:
    wh = tmp_path / "wh" / "w.duckdb"
    with small_disk(wh.parent, "1m"):
        with warehouse_lock(wh, 1.0):
            pass
        fill(wh.parent)
        with warehouse_lock(wh, 1.0):
            assert lock_path(wh).read_text() == ""  # the note needs a block; the lock itself does not
