"""Readers never block a run: connections held open across a whole real run that loads new articles.

The run (``newsquotes run``, its own process, as a scheduled run is) writes a private copy and publishes it by
a rename (``newsquotes.staging``). A connection opened before keeps answering with the old counts, another one
queries without pause all through the run, and a client that connects afterwards sees the new articles.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import SamplesRun, session_api_url

pytestmark = pytest.mark.integration

COUNTS = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes), (SELECT count(*) FROM pipeline_runs)"
NEW_ARTICLE = """Volunteers clean up the river banks

More than 200 volunteers spent Saturday clearing litter from the banks of the River Avon.

"We will be back next spring with twice as many volunteers," said Maria Lopez, who organised the day.

The council said it would collect the bags on Monday.
"""


def _counts_in_new_process(warehouse: Path) -> tuple[int, int, int]:
    code = f"import duckdb, sys\nprint(*duckdb.connect(sys.argv[1], read_only=True).execute({COUNTS!r}).fetchone())"
    out = subprocess.run([sys.executable, "-c", code, str(warehouse)], capture_output=True, text=True, check=True)
    a, q, r = (int(x) for x in out.stdout.split())
    return a, q, r


def _cli_run(samples: Path, warehouse: Path, lake: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PREFECT_API_URL": session_api_url(), "NEWSQUOTES_LOCK_WAIT_SECONDS": "0"}
    command = [
        "run",
        "--input",
        str(samples),
        "--warehouse",
        str(warehouse),
        "--parquet-dir",
        str(lake),
        "--runner",
        "local",
    ]
    return subprocess.Popen(
        [sys.executable, "-m", "newsquotes.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_open_readers_keep_their_view_and_the_run_succeeds(
    samples_run: SamplesRun, samples: Path, tmp_path: Path
) -> None:
    warehouse_path = samples_run.copy_to(tmp_path)  # the session's samples run, as if it had run here
    before = _counts_in_new_process(warehouse_path)
    assert before[0] == 4 and before[2] == 1
    (samples / "zz-river-cleanup.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    held = duckdb.connect(str(warehouse_path), read_only=True)  # a notebook left connected
    busy = duckdb.connect(str(warehouse_path), read_only=True)  # a dashboard querying all the time
    seen: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def keep_querying() -> None:
        cursor = busy.cursor()
        while not done.is_set():
            try:
                seen.append(cursor.execute(COUNTS).fetchone())
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
                return

    try:
        assert held.execute(COUNTS).fetchone() == before
        worker = threading.Thread(target=keep_querying)
        worker.start()
        run = _cli_run(samples, warehouse_path, tmp_path / "lake")
        try:
            _out, err = run.communicate(timeout=600)
        finally:
            done.set()
            worker.join(timeout=60)
        assert run.returncode == 0, err[-3000:]
        assert not errors, errors
        assert len(seen) > 10 and set(seen) == {before}  # queried all through the run, never disturbed
        assert held.execute(COUNTS).fetchone() == before  # still the old, consistent view
        after = _counts_in_new_process(warehouse_path)  # a client connecting now
        assert after[0] == before[0] + 1 and after[1] > before[1] and after[2] == 2
    finally:
        held.close()
        busy.close()
    leftovers = [p.name for p in warehouse_path.parent.iterdir() if p.name.endswith((".tmp", ".wal"))]
    assert leftovers == []
