"""The run journal: durable events, a torn last line tolerated, unfinished runs found; batch counts round-trip."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from newsquotes.batch import BatchStats
from newsquotes.errors import IngestError
from newsquotes.faults import KILL_AT_ENV, checkpoint
from newsquotes.journal import RunJournal, interrupted_runs, journal_dir, read_journal


def _stats(part: str) -> BatchStats:
    return BatchStats(
        part=part,
        articles=[("a1", "x.txt", 0, "f" * 64), ("a2", "y.jsonl", 3, "e" * 64)],
        duplicates=1,
        mentions=7,
        quotes=2,
        quotes_attributed=1,
        words=120,
        entity_ids=["e1"],
        errors=[IngestError("z.txt", "nlp", "ValueError: boom")],
        timings={"nlp": 1.5},
    )


def test_batch_stats_survive_json_and_pickle() -> None:
    stats = _stats("00003")
    assert BatchStats.from_json(stats.as_json()).as_json() == stats.as_json()
    back = pickle.loads(pickle.dumps(stats))  # they travel back from pool and Dask workers
    assert back.errors[0].source_path == "z.txt" and back.errors[0].reason == "ValueError: boom"


def test_journal_records_parts_in_order_and_finishing(tmp_path: Path) -> None:
    journal = RunJournal(tmp_path, "run-1")
    journal.record("started", input_dir="/in")
    journal.part(_stats("00000"))
    journal.part(_stats("00001"))
    [entry] = interrupted_runs(tmp_path)
    assert entry.run_id == "run-1" and entry.input_dir == "/in" and entry.stage == "part"
    assert [p.part for p in entry.parts] == ["00000", "00001"]
    assert entry.parts[0].as_json() == _stats("00000").as_json()
    journal.record("finished", status="completed")
    assert interrupted_runs(tmp_path) == []


def test_a_torn_last_line_is_ignored(tmp_path: Path) -> None:
    journal = RunJournal(tmp_path, "run-2")
    journal.record("started", input_dir="/in")
    journal.part(_stats("00000"))
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"event": "part", "part": "00001", "artic')  # the process died mid-write
    entry = read_journal(journal_dir(tmp_path) / "run-2.jsonl")
    assert [p.part for p in entry.parts] == ["00000"] and not entry.finished


def test_unfinished_runs_come_oldest_first(tmp_path: Path) -> None:
    for run in ("b-started-first", "a-started-second"):  # file names sort the other way
        RunJournal(tmp_path, run).record("started", input_dir="/in")
    assert [e.run_id for e in interrupted_runs(tmp_path)] == ["b-started-first", "a-started-second"]


def test_fault_checkpoint_does_nothing_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KILL_AT_ENV, raising=False)
    checkpoint("load")
    monkeypatch.setenv(KILL_AT_ENV, "nlp")
    checkpoint("load")  # another point: still alive
    monkeypatch.setenv(KILL_AT_ENV, "load:5")
    checkpoint("load")  # not yet the fifth time
