"""A run writes a private copy of the warehouse and publishes it by one rename (newsquotes.staging)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsquotes.output_errors import OutputWriteError
from newsquotes.staging import published_path, staged_warehouse, staging_path
from tests.output_faults import DISK_FULL_REASON, fill, small_disk


def _count_in_new_process(warehouse: Path) -> int:
    """What a client that connects now sees (another process, as a BI tool or notebook would be)."""
    code = (
        "import duckdb, sys\n"
        "print(duckdb.connect(sys.argv[1], read_only=True).execute('SELECT count(*) FROM t').fetchone()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(warehouse)], capture_output=True, text=True, check=True)
    return int(out.stdout)


def _make(warehouse: Path, rows: int) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range($n)", {"n": rows})


def _append(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO t SELECT range FROM range($n)", {"n": rows})


def test_a_reader_keeps_its_view_while_a_run_publishes_and_a_new_connection_sees_the_new_data(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    rows = 2_000_000  # more blocks than the reader reads before the rename
    _make(warehouse, rows)
    reader = duckdb.connect(str(warehouse), read_only=True)  # held open for the whole "run"
    try:
        assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == rows
        with staged_warehouse(warehouse) as target:
            assert target == staging_path(warehouse) and target.exists()
            with duckdb.connect(str(target)) as con:  # the run rewrites its copy; the reader never blocks it
                con.execute("DROP TABLE t")
                con.execute("CHECKPOINT")
                con.execute("CREATE TABLE t AS SELECT -range AS i FROM range($n)", {"n": rows // 2 + 4})
            assert _count_in_new_process(warehouse) == rows  # not published yet
        assert not staging_path(warehouse).exists()
        # the open connection reads its old file, every block of it: the old view, intact
        assert reader.execute("SELECT count(*), sum(i) FROM t").fetchone() == (rows, rows * (rows - 1) // 2)
        assert _count_in_new_process(warehouse) == rows // 2 + 4  # a new connection: the published data
    finally:
        reader.close()


def test_a_failed_run_leaves_the_warehouse_as_it_was_and_no_copy(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    _make(warehouse, 3)
    before = warehouse.read_bytes()
    with pytest.raises(RuntimeError, match="checks failed"), staged_warehouse(warehouse) as target:
        _append(target, 4)
        raise RuntimeError("checks failed")
    assert warehouse.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_a_new_warehouse_is_created_by_publishing(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with staged_warehouse(warehouse) as target:
        assert not target.exists()
        _make(target, 2)
    assert _count_in_new_process(warehouse) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_a_stale_copy_of_a_killed_run_is_replaced_not_published(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    _make(warehouse, 3)
    stale = staging_path(warehouse)
    _make(stale, 100)  # what a run killed before its rename leaves behind, with a torn write-ahead log
    Path(f"{stale}.wal").write_bytes(b"\0" * 4096)
    with staged_warehouse(warehouse) as target:
        _append(target, 1)
    assert _count_in_new_process(warehouse) == 4


def test_messages_name_the_warehouse_not_its_copy(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    assert published_path(staging_path(warehouse)) == warehouse
    assert published_path(warehouse) == warehouse
    assert published_path(tmp_path / ".hidden.duckdb") == tmp_path / ".hidden.duckdb"


def test_no_room_for_the_copy_fails_clearly_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "wh"
    warehouse = folder / "w.duckdb"
    with small_disk(folder, "8m"):
        _make(warehouse, 100_000)
        before = warehouse.read_bytes()
        fill(folder)
        with pytest.raises(OutputWriteError) as failed, staged_warehouse(warehouse):
            pytest.fail("the block must not run without a copy")
        assert str(failed.value) == (
            f"cannot open the warehouse {warehouse} for writing: {DISK_FULL_REASON}; the warehouse is unchanged"
        )
        assert warehouse.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["filler.bin", "w.duckdb"]
