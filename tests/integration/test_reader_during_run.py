"""README "Querying while runs happen": the warehouse is open to readers for the whole NLP stage of a run.

A ``newsquotes run`` (a real subprocess, one article a batch) adds 12 articles to a warehouse that already holds
the four samples. While its journal shows batches done but no validation yet — the NLP stage — a reader opens the
warehouse read-only, queries it and closes it; the run then finishes and publishes everything.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import SamplesRun, session_api_url
from tests.integration.warehouse_query import query

pytestmark = pytest.mark.integration


def _events(journal: Path) -> list[str]:
    try:
        lines = journal.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line)["event"] for line in lines if line.strip()]


def test_a_reader_queries_the_warehouse_while_the_run_is_in_its_nlp_stage(
    samples_run: SamplesRun, tmp_path: Path
) -> None:
    wh = samples_run.copy_to(tmp_path)
    journals = tmp_path / "lake" / "_journal"
    earlier = set(journals.iterdir())
    new = tmp_path / "new"
    new.mkdir()
    for copy in range(3):
        for article in sorted((samples_run.root / "input").glob("*.txt")):
            shutil.copy(article, new / f"copy{copy}-{article.name}")
    env = {
        **os.environ,
        "PREFECT_API_URL": session_api_url(),
        "NEWSQUOTES_BATCH_SIZE": "1",
        "NEWSQUOTES_LOCK_WAIT_SECONDS": "0",
    }
    command = ["run", "--input", str(new), "--warehouse", str(wh), "--parquet-dir", str(tmp_path / "lake")]
    out_file, err_file = tmp_path / "run.out", tmp_path / "run.err"  # files, not pipes: nothing blocks the run
    with out_file.open("w") as out, err_file.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsquotes.cli", *command, "--runner", "local"], stdout=out, stderr=err, env=env
        )
    try:
        deadline = time.monotonic() + 240
        journal = None
        while time.monotonic() < deadline and proc.poll() is None:
            journal = next((p for p in journals.iterdir() if p not in earlier), None) if journals.is_dir() else None
            if journal is not None and "part" in _events(journal):
                break
            time.sleep(0.05)
        assert journal is not None and proc.poll() is None, "the run ended before its NLP stage was seen"
        assert "part" in _events(journal)

        con = duckdb.connect(str(wh), read_only=True)  # a reader, while the run works
        try:
            articles = con.execute("SELECT count(*) FROM articles").fetchone()
            speakers = con.execute("SELECT count(DISTINCT speaker_name) FROM quotes").fetchone()
        finally:
            con.close()
        events = _events(journal)
        assert "validated" not in events and "loading" not in events, events  # still in the NLP stage
        assert events.count("part") < 12, events
        assert articles == (4,) and speakers is not None and speakers[0] > 0

        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err_file.read_text()[-3000:]
    assert re.search(r"articles loaded +12\n", out_file.read_text())
    assert query(wh, "SELECT count(*) FROM articles") == [(16,)]
    assert _events(journal)[-1] == "finished"
