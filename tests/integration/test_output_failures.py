"""Issue 8: output that cannot be written — a read-only folder, a full disk — fails the run with one clear message
and leaves the previous warehouse as it was.

Each test starts from a good run on the bundled samples (a copy of the session's), changes one article, then
runs again while the lake or the warehouse folder is read-only or its disk is full (real kernel errors: see
tests/output_faults.py), and checks the message and that every warehouse table still has the rows (count and
whole-row checksum) of the first run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import newsquotes.warehouse_db as warehouse_db
from newsquotes.output_errors import OutputWriteError
from tests import cli_process
from tests.integration.conftest import SamplesRun
from tests.integration.warehouse_query import query
from tests.output_faults import DISK_FULL_REASON, fill, read_only, small_disk

pytestmark = pytest.mark.integration

ADDED = '\n\n"We will be back next spring with twice as many volunteers," said Maria Lopez, who organised the day.\n'


def _change_one_article(samples: Path) -> None:
    article = sorted(samples.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + ADDED, encoding="utf-8")


def _snapshot(warehouse: Path) -> dict[str, tuple[int, int]]:
    """(row count, order-independent checksum of whole rows) of every table: equal snapshots, equal content."""
    tables = [t for (t,) in query(warehouse, "SELECT table_name FROM duckdb_tables() ORDER BY 1")]
    return {t: query(warehouse, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {t} AS t")[0] for t in tables}


def _first_run(samples_run: SamplesRun, samples: Path, warehouse: Path) -> dict[str, tuple[int, int]]:
    """A good first run: the session's samples run (warehouse, quality project and lake) copied to where the
    test's run writes (tmp_path/wh and tmp_path/lake, possibly mounts); then one article of the input changed."""
    assert samples_run.copy_to(warehouse.parent.parent) == warehouse
    snapshot = _snapshot(warehouse)
    assert snapshot["articles"][0] == 4 and snapshot["pipeline_runs"][0] == 1
    _change_one_article(samples)
    return snapshot


def _output_error(state: Any) -> OutputWriteError:
    assert state.is_failed(), state
    error = state.result(raise_on_failure=False)
    assert isinstance(error, OutputWriteError), repr(error)
    return error


def _leftovers(*folders: Path) -> list[Path]:
    """Temporary files and write-ahead logs a failed write could leave behind."""
    return [p for folder in folders for p in folder.rglob("*") if p.name.endswith((".tmp", ".wal"))]


def test_read_only_lake_fails_clearly_and_keeps_the_warehouse(
    samples_run: SamplesRun, run_flow: Callable[..., Any], samples: Path, warehouse_path: Path, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    before = _first_run(samples_run, samples, warehouse_path)
    with read_only(lake) as reason:
        error = _output_error(run_flow(samples))
    assert str(error).startswith(f"cannot write the Parquet lake at {lake}: {reason}"), error
    assert _snapshot(warehouse_path) == before
    assert not _leftovers(lake, warehouse_path.parent)


def test_read_only_warehouse_folder_fails_clearly_before_any_work(
    samples_run: SamplesRun, run_flow: Callable[..., Any], samples: Path, warehouse_path: Path, tmp_path: Path
) -> None:
    before = _first_run(samples_run, samples, warehouse_path)
    lake_runs = sorted((tmp_path / "lake" / "articles").iterdir())
    with read_only(warehouse_path.parent) as reason:
        error = _output_error(run_flow(samples))
    assert str(error).startswith(f"cannot write the warehouse at {warehouse_path}: {reason}"), error
    assert _snapshot(warehouse_path) == before
    assert sorted((tmp_path / "lake" / "articles").iterdir()) == lake_runs  # it stopped before the lake too


def test_full_disk_while_writing_parquet_fails_clearly_and_keeps_the_warehouse(
    samples_run: SamplesRun, run_flow: Callable[..., Any], samples: Path, warehouse_path: Path, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    with small_disk(lake, "32m"):
        before = _first_run(samples_run, samples, warehouse_path)
        fill(lake)
        error = _output_error(run_flow(samples))
        assert str(error).startswith(f"cannot write the Parquet lake at {lake}: {DISK_FULL_REASON}"), error
        assert not _leftovers(lake, warehouse_path.parent)
    assert _snapshot(warehouse_path) == before


def test_full_warehouse_disk_fails_at_the_first_write_and_keeps_the_warehouse(
    samples_run: SamplesRun, run_flow: Callable[..., Any], samples: Path, warehouse_path: Path
) -> None:
    folder = warehouse_path.parent
    with small_disk(folder, "64m"):
        before = _first_run(samples_run, samples, warehouse_path)
        fill(folder)
        error = _output_error(run_flow(samples))
        # the run only reads the warehouse until it publishes; its first write there is the Data Docs beside it
        assert str(error) == (
            f"cannot write the Data Docs at {folder / 'newsquotes_quality'}: {DISK_FULL_REASON} "
            "(the data-quality results of the run)"
        )
        assert _snapshot(warehouse_path) == before
        assert not _leftovers(folder)


def test_disk_filling_up_during_the_load_rolls_it_back_and_keeps_the_warehouse(
    samples_run: SamplesRun,
    run_flow: Callable[..., Any],
    samples: Path,
    warehouse_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = warehouse_path.parent
    with small_disk(folder, "64m"):
        before = _first_run(samples_run, samples, warehouse_path)
        append_rows = warehouse_db.append_rows
        filled: list[Path] = []

        def disk_fills_mid_load(con: Any, table: str, data: Any) -> None:
            # the load's first append is inside its transaction: from here on the kernel answers ENOSPC
            if not filled:
                filled.append(fill(folder))
            append_rows(con, table, data)

        monkeypatch.setattr(warehouse_db, "append_rows", disk_fills_mid_load)
        error = _output_error(run_flow(samples))
        assert filled, "the load never ran"
        # the failure is reported from inside the load (not from opening the warehouse before it): the load task
        # does not retry an OutputWriteError (retry_unless_unwritable), so this is the load's own message
        assert str(error).startswith(f"{DISK_FULL_REASON} while loading {warehouse_path}"), error
        assert str(error).endswith("; the warehouse is unchanged"), error
        assert _snapshot(warehouse_path) == before
        assert not _leftovers(folder)


def _cli_run(samples: Path, tmp_path: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    return cli_process.run(["run", "--input", samples, "--warehouse", warehouse, "--parquet-dir", tmp_path / "lake"])


@pytest.mark.parametrize("fault", ["read-only", "disk-full"])
def test_cli_prints_the_clear_message_and_exits_4(
    fault: str,
    samples_run: SamplesRun,
    run_flow: Callable[..., Any],
    samples: Path,
    warehouse_path: Path,
    tmp_path: Path,
    forked_cli: None,
) -> None:
    folder = warehouse_path.parent
    if fault == "read-only":
        before = _first_run(samples_run, samples, warehouse_path)
        with read_only(folder) as reason:
            proc = _cli_run(samples, tmp_path, warehouse_path)
        expected = f"cannot write the warehouse at {warehouse_path}: {reason}"
        after = _snapshot(warehouse_path)
    else:
        with small_disk(folder, "64m"):  # the warehouse lives (and dies) with this mount: check it inside
            before = _first_run(samples_run, samples, warehouse_path)
            fill(folder)
            proc = _cli_run(samples, tmp_path, warehouse_path)
            expected = f"cannot write the Data Docs at {folder / 'newsquotes_quality'}: {DISK_FULL_REASON}"
            after = _snapshot(warehouse_path)
            assert not _leftovers(folder)
    assert proc.returncode == 4, (proc.returncode, proc.stdout[-2000:], proc.stderr[-3000:])  # README: exit status 4
    assert expected in proc.stderr, proc.stderr[-3000:]
    assert after == before
