"""Two `newsquotes run` processes started at once on the same input and warehouse.

Without waiting (lock wait 0) one run loads and the other exits 3 naming the warehouse and the lock holder; with a
generous wait both succeed one after the other and the second loads nothing new. Either way the warehouse opens,
holds exactly what a single run on the same input produces, and has no duplicate rows.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import cli_process
from tests.integration.conftest import SamplesRun
from tests.integration.warehouse_query import query

pytestmark = pytest.mark.integration

# what a run's content is, independent of when it ran: run ids and timestamps are left out
CONTENT = {
    "articles": "SELECT article_id, source_path, content_sha256, title, word_count, duplicate_of FROM articles",
    "quotes": "SELECT * FROM quotes",
    "entities": "SELECT * FROM entities",
    "entity_mentions": "SELECT * FROM entity_mentions",
}
PRIMARY_KEYS = {
    "articles": "article_id",
    "quotes": "quote_id",
    "entities": "entity_id",
    "entity_mentions": "mention_id",
    "pipeline_runs": "run_id",
}


def _content(warehouse: Path) -> dict[str, list[tuple]]:
    return {table: sorted(query(warehouse, sql), key=repr) for table, sql in CONTENT.items()}


@pytest.fixture(scope="module")
def single_run(samples_run: SamplesRun) -> dict[str, list[tuple]]:
    """The warehouse content of one run on the bundled samples, alone (the session's samples run)."""
    content = _content(samples_run.warehouse)
    assert len(content["articles"]) == 4 and content["quotes"]
    return content


@pytest.fixture
def start_two_runs(samples: Path, tmp_path: Path, forked_cli: None) -> Iterator:
    """Start two `newsquotes run` commands at once on one input, warehouse and lake (each its own process,
    tests/cli_process.py); returns both, finished."""
    started: list[cli_process.Command] = []

    def start(lock_wait_s: float) -> list[subprocess.CompletedProcess[str]]:
        env = {"NEWSQUOTES_LOCK_WAIT_SECONDS": str(lock_wait_s)}
        command = ["run", "--input", samples]
        command += ["--warehouse", tmp_path / "wh" / "newsquotes.duckdb", "--parquet-dir", tmp_path / "lake"]
        started.extend(cli_process.Command(command, env) for _ in range(2))
        finished = []
        for proc in started:
            done = proc.wait(timeout=600)
            done.pid = proc.pid  # type: ignore[attr-defined]
            finished.append(done)
        return finished

    yield start
    for proc in started:
        proc.kill()


def _assert_one_clean_result(warehouse: Path, lake: Path, single_run: dict[str, list[tuple]]) -> None:
    assert _content(warehouse) == single_run
    for table, key in PRIMARY_KEYS.items():
        rows, distinct = query(warehouse, f"SELECT count(*), count(DISTINCT {key}) FROM {table}")[0]
        assert rows == distinct, f"{table} has duplicate rows"
    assert not [p for p in lake.rglob("*") if p.name.endswith(".tmp")]
    assert not Path(f"{warehouse}.wal").exists()


def test_without_waiting_one_run_loads_and_the_other_exits_3_naming_the_holder(
    start_two_runs, single_run: dict[str, list[tuple]], tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh" / "newsquotes.duckdb"
    runs = start_two_runs(lock_wait_s=0)
    assert sorted(r.returncode for r in runs) == [0, 3], [r.stderr[-2000:] for r in runs]
    winner, loser = sorted(runs, key=lambda r: r.returncode)
    assert re.search(r"articles loaded +4\n", winner.stdout), winner.stdout
    assert f"warehouse {warehouse} is being written by another run (pid {winner.pid} since" in loser.stderr, (
        loser.stderr[-3000:]
    )
    _assert_one_clean_result(warehouse, tmp_path / "lake", single_run)
    assert query(warehouse, "SELECT status, articles_loaded FROM pipeline_runs") == [("completed", 4)]
    assert len(list((tmp_path / "lake" / "articles").iterdir())) == 1  # the loser wrote nothing


def test_with_a_generous_wait_both_runs_succeed_in_turn_and_the_second_loads_nothing(
    start_two_runs, single_run: dict[str, list[tuple]], tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh" / "newsquotes.duckdb"
    runs = start_two_runs(lock_wait_s=300)
    assert [r.returncode for r in runs] == [0, 0], [r.stderr[-2000:] for r in runs]
    loaded = sorted(re.search(r"articles loaded +(\d+)\n", r.stdout).group(1) for r in runs)  # type: ignore[union-attr]
    assert loaded == ["0", "4"], [r.stdout for r in runs]
    _assert_one_clean_result(warehouse, tmp_path / "lake", single_run)
    first, second = query(
        warehouse,
        "SELECT status, articles_loaded, articles_skipped, started_at, finished_at FROM pipeline_runs ORDER BY 4",
    )
    assert first[:3] == ("completed", 4, 0) and second[:3] == ("completed", 0, 4)
    assert second[3] >= first[4]  # the second started its work only when the first had finished
