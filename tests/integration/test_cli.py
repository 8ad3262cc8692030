"""The command line as a user runs it: every exit status of ``newsquotes run`` (README: 0 ok, 1 the run failed,
2 a usage error, 3 the warehouse is busy, 4 the output cannot be written — the last in test_output_failures.py),
``validate`` and ``docs``.

Every CLI run reports to the session's Prefect server (the ``cli`` fixture) except the first, which keeps the
path a user without ``PREFECT_API_URL`` takes: a temporary server of the run's own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import SamplesRun
from tests.integration.warehouse_query import query

pytestmark = pytest.mark.integration

Cli = Callable[..., subprocess.CompletedProcess[str]]


def test_cli_run_on_its_own_temporary_server_exits_0_and_builds_a_queryable_warehouse(
    samples: Path, tmp_path: Path
) -> None:
    wh = tmp_path / "cli.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # no server given: Prefect starts one
    command = ["run", "--input", str(samples), "--warehouse", str(wh), "--parquet-dir", str(tmp_path / "lake")]
    proc = subprocess.run(
        [sys.executable, "-m", "newsquotes.cli", *command],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "articles loaded" in proc.stdout and "checks passed / failed" in proc.stdout
    assert "data docs" in proc.stdout
    assert query(wh, "SELECT count(*) FROM articles") == [(4,)]
    assert query(wh, "SELECT status FROM pipeline_runs") == [("completed",)]
    assert list((tmp_path / "lake" / "quotes").glob("run_id=*/*.parquet"))


def test_cli_missing_input_folder_exits_1(cli: Cli, tmp_path: Path) -> None:
    proc = cli("run", "--input", tmp_path / "missing", "--warehouse", tmp_path / "w.duckdb")
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "missing" in proc.stderr


def test_cli_failed_error_check_exits_1_and_publishes_nothing(
    cli: Cli, samples_run: SamplesRun, samples: Path, tmp_path: Path
) -> None:
    """An error-severity check fails (a warehouse rule: a boilerplate row of no article): exit 1, nothing loaded."""
    wh = samples_run.copy_to(tmp_path)
    con = duckdb.connect(str(wh))
    con.execute("INSERT INTO boilerplate VALUES ('no-such-article', 1, 'Subscribe now', 'promo')")
    con.close()
    article = samples / "river-cleanup.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("300 volunteers", "350 volunteers"), "utf-8")
    before = query(wh, "SELECT article_id, content_sha256 FROM articles ORDER BY 1")

    proc = cli("run", "--input", samples, "--warehouse", wh, "--parquet-dir", tmp_path / "lake")

    assert proc.returncode == 1, (proc.returncode, proc.stderr[-3000:])
    assert "data-quality checks failed; nothing was published" in proc.stderr, proc.stderr[-3000:]
    assert "checks passed / failed" in proc.stdout and "failed" in proc.stdout
    assert query(wh, "SELECT article_id, content_sha256 FROM articles ORDER BY 1") == before  # the load rolled back
    failed = query(wh, "SELECT suite, expectation FROM dq_results WHERE NOT success AND severity = 'error'")
    assert failed == [("warehouse", "boilerplate.article_exists")]  # the one error check (warnings may fail too)
    assert query(wh, "SELECT status, articles_loaded FROM pipeline_runs ORDER BY started_at") == [
        ("completed", 4),
        ("failed", 0),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--runner", "local", "--dask-address", "tcp://127.0.0.1:8786"], "--dask-address needs --runner dask"),
        (["run", "--workers", "0"], "--workers must be at least 1"),
        (["run", "--runner", "threads"], "invalid choice: 'threads'"),
        (["serve", "--cron", "every night"], ""),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
    ids=["dask-address-without-dask", "no-workers", "unknown-runner", "bad-cron", "unknown-command"],
)
def test_cli_usage_errors_exit_2_and_write_nothing(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    proc = cli(*args, timeout=180, NEWSQUOTES_DATA_DIR=str(tmp_path / "data"))
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-2000:], proc.stderr[-3000:])
    assert message in proc.stderr
    assert not (tmp_path / "data").exists()


def test_cli_serve_without_a_prefect_server_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # no profile that names a server
    proc = subprocess.run(
        [sys.executable, "-m", "newsquotes.cli", "serve"], capture_output=True, text=True, timeout=180, env=env
    )
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-3000:])
    assert "serve needs a Prefect server" in proc.stderr


def test_cli_validate_and_docs_on_a_built_warehouse(cli: Cli, samples_run: SamplesRun, tmp_path: Path) -> None:
    wh = samples_run.copy_to(tmp_path)
    proc = cli("validate", "--warehouse", wh)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert "quotes.article_exists" in proc.stdout and "speaker_is_consistent" in proc.stdout
    docs = cli("docs", "--warehouse", wh, timeout=120)
    assert docs.returncode == 0
    index = Path(docs.stdout.strip().removeprefix("file://"))
    assert index.name == "index.html" and index.is_file()
    assert index.is_relative_to(tmp_path)  # this warehouse's site, not the session run's
    # a corrupted warehouse fails validation
    con = duckdb.connect(str(wh))
    con.execute(
        "UPDATE quotes SET end_char = end_char + 100000 WHERE quote_id IN (SELECT quote_id FROM quotes LIMIT 1)"
    )
    con.close()
    bad = cli("validate", "--warehouse", wh)
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


def test_second_writer_exits_3_and_leaves_the_warehouse_alone(cli: Cli, samples: Path, tmp_path: Path) -> None:
    wh = tmp_path / "busy.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(wh)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        proc = cli("run", "--input", samples, "--warehouse", wh, NEWSQUOTES_LOCK_WAIT_SECONDS="2")
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "being written by another run" in proc.stderr and str(wh) in proc.stderr
    assert not wh.exists()  # nothing was written
