"""Readers never block a run: connections held open across a whole real run that loads new articles.

A ``newsquotes run`` (a process of its own, tests/cli_process.py; one article a batch, as a scheduled run is)
adds 12 articles to a warehouse that holds the four samples. It writes a private copy and publishes it by a rename
(``newsquotes.staging``). Meanwhile a notebook-like connection stays open from before the run to after it, a
dashboard-like connection queries without pause all through it, and a reader opens, queries and closes the
warehouse while the journal shows the run in its NLP stage (batches done, nothing validated). The run succeeds;
the open connections keep answering with the old counts; a client that connects afterwards sees the new ones.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests import cli_process
from tests.integration.conftest import SamplesRun

pytestmark = pytest.mark.integration

COUNTS = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes), (SELECT count(*) FROM pipeline_runs)"


def _events(journal: Path | None) -> list[str]:
    try:
        lines = journal.read_text(encoding="utf-8").splitlines() if journal else []
    except FileNotFoundError:
        return []
    return [json.loads(line)["event"] for line in lines if line.strip()]


def _counts_in_new_process(warehouse: Path) -> tuple[int, ...]:
    code = f"import duckdb, sys\nprint(*duckdb.connect(sys.argv[1], read_only=True).execute({COUNTS!r}).fetchone())"
    out = subprocess.run([sys.executable, "-c", code, str(warehouse)], capture_output=True, text=True, check=True)
    return tuple(int(x) for x in out.stdout.split())


def test_open_readers_keep_their_view_and_the_run_succeeds(
    samples_run: SamplesRun, tmp_path: Path, forked_cli: None
) -> None:
    warehouse = samples_run.copy_to(tmp_path)  # the session's samples run, as if it had run here
    journals = tmp_path / "lake" / "_journal"
    earlier = set(journals.iterdir())
    new = tmp_path / "new"
    new.mkdir()
    for copy in range(3):
        for article in sorted((samples_run.root / "input").glob("*.txt")):
            shutil.copy(article, new / f"copy{copy}-{article.name}")
    before = _counts_in_new_process(warehouse)
    assert before[0] == 4 and before[2] == 1

    held = duckdb.connect(str(warehouse), read_only=True)  # a notebook left connected
    busy = duckdb.connect(str(warehouse), read_only=True)  # a dashboard querying all the time
    seen: list[tuple[int, ...]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def keep_querying() -> None:
        cursor = busy.cursor()
        while not done.is_set():
            try:
                seen.append(cursor.execute(COUNTS).fetchone())
            except BaseException as exc:
                errors.append(exc)
                return

    env = {"NEWSQUOTES_BATCH_SIZE": "1", "NEWSQUOTES_LOCK_WAIT_SECONDS": "0"}
    command = ["run", "--input", new, "--warehouse", warehouse, "--parquet-dir", tmp_path / "lake", "--runner", "local"]
    worker = threading.Thread(target=keep_querying)
    try:
        assert held.execute(COUNTS).fetchone() == before
        worker.start()
        proc = cli_process.Command(command, env)  # output goes to files: nothing blocks the run
        try:
            deadline = time.monotonic() + 240
            journal = None
            while time.monotonic() < deadline and proc.poll() is None:
                journal = next((p for p in journals.iterdir() if p not in earlier), None)
                if "part" in _events(journal):
                    break
                time.sleep(0.05)
            assert journal is not None and proc.poll() is None, "the run ended before its NLP stage was seen"
            with duckdb.connect(str(warehouse), read_only=True) as reader:  # opens, queries, closes mid-run
                during = reader.execute(COUNTS).fetchone()
            events = _events(journal)
            assert "validated" not in events and events.count("part") < 12, events  # still in the NLP stage
            assert during == before
            finished = proc.wait(timeout=600)
        finally:
            proc.kill()
            done.set()
            worker.join(timeout=60)
        assert finished.returncode == 0, finished.stderr[-3000:]
        assert re.search(r"articles loaded +12\n", finished.stdout)
        assert _events(journal)[-1] == "finished"
        assert not errors, errors
        assert len(seen) > 10 and set(seen) == {before}  # queried all through the run, never disturbed
        assert held.execute(COUNTS).fetchone() == before  # still the old, consistent view
        after = _counts_in_new_process(warehouse)  # a client connecting now
        assert after[0] == 16 and after[1] > before[1] and after[2] == 2
    finally:
        held.close()
        busy.close()
    leftovers = [p.name for p in warehouse.parent.iterdir() if p.name.endswith((".tmp", ".wal"))]
    assert leftovers == []
