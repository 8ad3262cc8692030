"""A run killed (SIGKILL, whole process group) at any stage, then run again, leaves exactly the warehouse an
uninterrupted run leaves: no duplicates, no missing articles, nothing half-written."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newsquotes.journal import interrupted_runs, journal_dir, read_journal
from newsquotes.settings import bundled_samples_dir
from tests import cli_process
from tests.integration.warehouse_query import data_snapshot, query

pytestmark = pytest.mark.integration

# fault point (see newsquotes/faults.py), runner, what must have survived the kill for the rerun to take over
KILL_POINTS = [
    ("read:3", "local", "batches"),  # reading the third batch: two batches finished
    ("nlp:3", "local", "batches"),  # spaCy done for the third batch, its parts not written
    ("nlp:2", "process", "nothing"),  # a pool worker kills the whole group mid-NLP
    ("parquet-write:7", "local", "batches"),  # between two tables' part files of a batch
    ("validate", "local", "batches"),  # every part written and validated, nothing loaded
    ("load", "local", "batches"),  # inside the load transaction, all rows in, before COMMIT
    ("publish", "local", "batches"),  # the private copy complete (load and bookkeeping), before its rename
    ("committed", "local", "load"),  # published; the run's journal never finished
]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples, plus an exact copy of the first one that sorts last (its duplicate mark depends on the
    batches before it, including any the rerun takes over). Shared by the module's runs, which only read it."""
    samples = tmp_path_factory.mktemp("crash-input") / "input"
    shutil.copytree(bundled_samples_dir(), samples)
    first = sorted(samples.glob("*.txt"))[0]
    shutil.copy(first, samples / "zz-copy-of-first.txt")
    return samples


@pytest.fixture
def one_article_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSQUOTES_BATCH_SIZE", "1")


def _run_in_process(input_dir: Path, root: Path) -> dict[str, Any]:
    from flows.ingest import ingest_flow

    state = ingest_flow(
        input_dir=str(input_dir),
        warehouse=str(root / "w.duckdb"),
        parquet_dir=str(root / "lake"),
        runner="local",
        return_state=True,
    )
    assert state.is_completed(), state.message
    return state.result()


def _killed_run(input_dir: Path, root: Path, point: str, runner: str) -> subprocess.CompletedProcess[str]:
    """``newsquotes run`` in its own session (tests/cli_process.py), told to SIGKILL its process group at
    ``point``."""
    env = {"NEWSQUOTES_FAULT_KILL_AT": point, "NEWSQUOTES_BATCH_SIZE": "1", "NEWSQUOTES_WORKERS": "2"}
    command = ["run", "--input", input_dir, "--warehouse", root / "w.duckdb", "--parquet-dir", root / "lake"]
    return cli_process.run([*command, "--runner", runner], env=env)


@pytest.fixture(scope="module")
def uninterrupted(
    articles: Path, tmp_path_factory: pytest.TempPathFactory, prefect_backend: None
) -> dict[str, list[tuple]]:
    """What an uninterrupted run (one article a batch) leaves: made once, compared with every killed-and-rerun one."""
    root = tmp_path_factory.mktemp("uninterrupted")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSQUOTES_BATCH_SIZE", "1")
        result = _run_in_process(articles, root)
    assert result["articles_loaded"] == 5 and result["duplicates"] == 1
    return data_snapshot(root / "w.duckdb")


@pytest.mark.parametrize(("point", "runner", "survives"), KILL_POINTS, ids=[p[0] + "-" + p[1] for p in KILL_POINTS])
def test_killed_run_then_rerun_equals_an_uninterrupted_run(
    articles: Path,
    tmp_path: Path,
    uninterrupted: dict[str, list[tuple]],
    point: str,
    runner: str,
    survives: str,
    one_article_batches: None,
    forked_cli: None,
) -> None:
    root = tmp_path / "crashed"
    killed = _killed_run(articles, root, point, runner)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr[-3000:])
    [victim] = interrupted_runs(root / "lake")
    if survives == "batches":
        assert victim.parts, f"no finished batch journaled before the kill at {point}"

    rerun = _run_in_process(articles, root)

    assert data_snapshot(root / "w.duckdb") == uninterrupted
    assert interrupted_runs(root / "lake") == []
    settled = read_journal(journal_dir(root / "lake") / f"{victim.run_id}.jsonl")
    assert settled.finished and settled.events[-1]["settled_by"] == rerun["run_id"]
    runs = dict(query(root / "w.duckdb", "SELECT run_id, status FROM pipeline_runs"))
    if survives == "load":
        # the data and the run's own row were published together: the rerun loads nothing new
        assert runs == {victim.run_id: "completed", rerun["run_id"]: "completed"}
        assert rerun["articles_loaded"] == 0 and rerun["articles_skipped"] == 5
    else:
        # nothing of the killed run was published; the rerun published all five articles
        assert runs == {rerun["run_id"]: "completed"}
        assert rerun["articles_loaded"] == 5 and rerun["duplicates"] == 1
        inherited = sum(len(p.articles) for p in victim.parts) if survives == "batches" else 0
        assert rerun["articles_skipped"] == 0
        if inherited:
            assert settled.events[-1]["status"] == "taken over"
    # the killed run's partition is gone from the lake (moved into the rerun's, or discarded), unless it loaded
    leftover = list((root / "lake" / "articles").glob(f"run_id={victim.run_id}"))
    assert bool(leftover) == (survives == "load")
