from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration


def test_cli_run_prints_summary_and_builds_a_queryable_warehouse(samples: Path, tmp_path: Path) -> None:
    wh = tmp_path / "cli.duckdb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsquotes.cli",
            "run",
            "--input",
            str(samples),
            "--warehouse",
            str(wh),
            "--parquet-dir",
            str(tmp_path / "lake"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "articles loaded" in proc.stdout and "checks passed / failed" in proc.stdout
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (4,)
    con.close()
    assert list((tmp_path / "lake" / "quotes").glob("run_id=*/*.parquet"))


def test_cli_missing_input_folder_fails_clearly(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsquotes.cli",
            "run",
            "--input",
            str(tmp_path / "missing"),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1
    assert "missing" in proc.stderr


def test_cli_validate_and_docs_on_a_built_warehouse(samples: Path, tmp_path: Path) -> None:
    wh = tmp_path / "v.duckdb"
    base = [sys.executable, "-m", "newsquotes.cli"]
    run = subprocess.run(
        [*base, "run", "--input", str(samples), "--warehouse", str(wh), "--parquet-dir", str(tmp_path / "lake")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "data docs" in run.stdout
    proc = subprocess.run([*base, "validate", "--warehouse", str(wh)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert "quotes.article_exists" in proc.stdout and "speaker_is_consistent" in proc.stdout
    docs = subprocess.run([*base, "docs", "--warehouse", str(wh)], capture_output=True, text=True, timeout=120)
    assert docs.returncode == 0
    index = Path(docs.stdout.strip().removeprefix("file://"))
    assert index.name == "index.html" and index.is_file()
    # a corrupted warehouse fails validation
    con = duckdb.connect(str(wh))
    con.execute(
        "UPDATE quotes SET end_char = end_char + 100000 WHERE quote_id IN (SELECT quote_id FROM quotes LIMIT 1)"
    )
    con.close()
    bad = subprocess.run([*base, "validate", "--warehouse", str(wh)], capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1
    assert "FAIL" in bad.stdout


HOLD_LOCK = """
import sys, time
from pathlib import Path
from newsquotes.lock import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), wait_s=5):
    print("held", flush=True)
    time.sleep(120)
"""


def test_second_writer_exits_clearly_and_leaves_the_warehouse_alone(samples: Path, tmp_path: Path) -> None:
    wh = tmp_path / "busy.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(wh)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        proc = subprocess.run(
            [sys.executable, "-m", "newsquotes.cli", "run", "--input", str(samples), "--warehouse", str(wh)],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "NEWSQUOTES_LOCK_WAIT_SECONDS": "2"},
        )
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "being written by another run" in proc.stderr and str(wh) in proc.stderr
    assert not wh.exists()  # nothing was written
