"""The run journal: an append-only record of what a run has done, so a run killed at any point is recoverable.

One JSON-lines file per run under ``<lake>/_journal/``. Each event is flushed and fsynced before the run goes on:

``started`` → ``part`` (one per batch whose Parquet parts are complete, in batch order) → ``validated`` →
``loading`` (with the run's provisional ``pipeline_runs`` row) → ``committed`` → ``finished``.

A run that never reached ``finished`` was interrupted. The next run on the same lake (holding the writer lock)
settles it — see ``newsquotes.recovery``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsquotes.batch import BatchStats
from newsquotes.output_errors import writing

JOURNAL_DIR = "_journal"


def journal_dir(lake_dir: Path) -> Path:
    return Path(lake_dir) / JOURNAL_DIR


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class RunJournal:
    """The journal of one run; ``record`` makes each event durable before returning."""

    def __init__(self, lake_dir: Path, run_id: str) -> None:
        self.run_id = run_id
        self.path = journal_dir(lake_dir) / f"{run_id}.jsonl"

    def record(self, event: str, **fields: Any) -> None:
        line = json.dumps({"event": event, "at": datetime.now(UTC), **fields}, default=_json_default)
        with writing("the Parquet lake", self.path.parent.parent, f"run journal {self.path.name}"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())

    def part(self, stats: BatchStats) -> None:
        self.record("part", **stats.as_json())


@dataclass(slots=True)
class JournalEntry:
    """A run's journal as read back."""

    run_id: str
    path: Path
    events: list[dict[str, Any]] = field(default_factory=list)

    def _first(self, name: str) -> dict[str, Any] | None:
        return next((e for e in self.events if e.get("event") == name), None)

    @property
    def finished(self) -> bool:
        return self._first("finished") is not None

    @property
    def stage(self) -> str:
        return self.events[-1]["event"] if self.events else "none"

    @property
    def input_dir(self) -> str | None:
        started = self._first("started")
        return started.get("input_dir") if started else None

    @property
    def started_at(self) -> datetime | None:
        started = self._first("started")
        return datetime.fromisoformat(started["at"]) if started else None

    @property
    def last_at(self) -> datetime | None:
        return datetime.fromisoformat(self.events[-1]["at"]) if self.events else None

    @property
    def parts(self) -> list[BatchStats]:
        """The batches whose part files were complete, in batch order."""
        out = []
        for e in self.events:
            if e.get("event") == "part":
                out.append(BatchStats.from_json({k: v for k, v in e.items() if k not in ("event", "at")}))
        return out

    @property
    def provisional_run_row(self) -> dict[str, Any] | None:
        loading = self._first("loading")
        return loading.get("run_row") if loading else None


def read_journal(path: Path) -> JournalEntry:
    """A journal file; a torn last line (the process died while writing it) is ignored."""
    entry = JournalEntry(run_id=path.stem, path=path)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(event, dict) and "event" in event and "at" in event:
            entry.events.append(event)
    return entry


def interrupted_runs(lake_dir: Path) -> list[JournalEntry]:
    """Journals of runs that never finished, oldest first."""
    folder = journal_dir(lake_dir)
    if not folder.is_dir():
        return []
    entries = [read_journal(p) for p in sorted(folder.glob("*.jsonl"))]
    unfinished = [e for e in entries if not e.finished]
    return sorted(unfinished, key=lambda e: e.started_at or datetime.min.replace(tzinfo=UTC))
