"""Settling runs that were interrupted (killed, crashed, machine lost) before they finished.

A new run, holding the writer lock, reads the journals of unfinished runs on its lake and for each one:

* its load was published (its data-quality rows are in the warehouse): the data is complete. A run publishes
  its load and its ``pipeline_runs`` row together (``newsquotes.staging``), so the row is there too, except
  for a warehouse written by an older version that committed them apart: then the row is written with status
  ``interrupted``;
* its load did not commit, and it read the same input folder: the new run takes over the batches it finished
  (the longest prefix, in batch order, whose files are unchanged) by moving their part files into its own
  partition, and processes only the rest;
* anything else of it is removed from the lake: a partition that was never loaded is never read again.

In every case the warehouse ends exactly as an uninterrupted run would leave it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np

from newsquotes.batch import BatchStats
from newsquotes.dedup import Signature
from newsquotes.ingest import read_articles
from newsquotes.journal import JournalEntry, RunJournal, interrupted_runs
from newsquotes.lake import run_dir
from newsquotes.output_errors import writing
from newsquotes.schema import LAKE_TABLES, RUN_TABLES, rows_to_table
from newsquotes.staging import staged_warehouse
from newsquotes.text.formats import JsonFields
from newsquotes.warehouse_db import append_bookkeeping, query_rows
from warehouse import sql_text

RESUMED_SUFFIX = "-resumed"


@dataclass(slots=True)
class Takeover:
    """What a run inherits from interrupted runs: finished batches and what they tell later batches."""

    parts: list[BatchStats] = field(default_factory=list)
    known: dict[str, str] = field(default_factory=dict)  # article_id -> content_sha256 of inherited articles
    signatures: list[Signature] = field(default_factory=list)  # duplicate-index entries, in processing order
    notes: list[str] = field(default_factory=list)  # one line per interrupted run settled


def _load_landed(warehouse: Path, run_id: str) -> bool:
    if not Path(warehouse).exists():
        return False
    return bool(query_rows(warehouse, "run_landed", {"run_id": run_id})[0]["results"])


def _record_interrupted_run(warehouse: Path, entry: JournalEntry) -> None:
    row = entry.provisional_run_row
    if row is None or query_rows(warehouse, "run_recorded", {"run_id": entry.run_id})[0]["runs"]:
        return
    finished = entry.last_at or datetime.now(UTC)
    started = datetime.fromisoformat(row["started_at"]) if isinstance(row["started_at"], str) else row["started_at"]
    fixed = {**row, "status": "interrupted", "finished_at": finished}
    fixed["started_at"] = started
    fixed["duration_s"] = (finished - started).total_seconds()
    with staged_warehouse(warehouse) as target:
        append_bookkeeping(target, {"pipeline_runs": rows_to_table("pipeline_runs", [fixed])})


def _part_still_valid(
    input_dir: Path, stats: BatchStats, max_bytes: int, json_fields: JsonFields, lake_dir: Path, run_id: str
) -> bool:
    """Every article of the batch is unchanged on disk, and its article part file exists."""
    if not (run_dir(lake_dir, "articles", run_id) / f"part-{stats.part}.parquet").is_file():
        return False
    hashes = {aid: sha for aid, _, _, sha in stats.articles}
    paths = sorted({path for _, path, _, _ in stats.articles})
    read = read_articles(input_dir, paths, hashes, max_bytes, json_fields)
    return set(hashes) <= set(read.unchanged)


def _move_part(lake_dir: Path, old_run: str, new_run: str, part: str) -> None:
    for table in LAKE_TABLES:
        source = run_dir(lake_dir, table, old_run) / f"part-{part}.parquet"
        if source.is_file():
            target = run_dir(lake_dir, table, new_run)
            target.mkdir(parents=True, exist_ok=True)
            source.replace(target / f"part-{part}{RESUMED_SUFFIX}.parquet")


def _signatures(lake_dir: Path, run_id: str, parts: list[BatchStats]) -> list[Signature]:
    names = [f"part-{p.part}{RESUMED_SUFFIX}.parquet" for p in parts]
    articles = [str(run_dir(lake_dir, "articles", run_id) / n) for n in names]
    signatures = [str(p) for n in names if (p := run_dir(lake_dir, "article_signatures", run_id) / n).is_file()]
    if not articles or not signatures:
        return []
    with duckdb.connect() as con:
        rows = con.execute(sql_text("part_signatures"), {"articles": articles, "signatures": signatures}).fetchall()
    return [Signature(a, c, b, np.asarray(m, dtype=np.uint32), d) for a, c, b, m, d in rows]


def remove_run_partition(lake_dir: Path, run_id: str) -> None:
    for table in RUN_TABLES:
        shutil.rmtree(run_dir(lake_dir, table, run_id), ignore_errors=True)


def settle_interrupted_runs(
    lake_dir: Path,
    warehouse: Path,
    input_dir: Path,
    run_id: str,
    *,
    max_bytes: int,
    json_fields: JsonFields,
) -> Takeover:
    """Settle every unfinished run on the lake (see the module docstring); what run ``run_id`` inherits."""
    takeover = Takeover()
    with writing("the Parquet lake", lake_dir, "settling interrupted runs"):
        for entry in interrupted_runs(lake_dir):
            if entry.run_id == run_id:
                continue
            journal = RunJournal(lake_dir, entry.run_id)
            if _load_landed(warehouse, entry.run_id):
                _record_interrupted_run(warehouse, entry)
                journal.record("finished", status="interrupted", settled_by=run_id)
                takeover.notes.append(f"run {entry.run_id} was interrupted after its load committed; recorded it")
                continue
            inherited: list[BatchStats] = []
            if entry.input_dir == str(input_dir) and not takeover.parts:
                for stats in entry.parts:
                    if not _part_still_valid(input_dir, stats, max_bytes, json_fields, lake_dir, entry.run_id):
                        break
                    inherited.append(stats)
                for stats in inherited:
                    _move_part(lake_dir, entry.run_id, run_id, stats.part)
            remove_run_partition(lake_dir, entry.run_id)
            journal.record("finished", status="taken over" if inherited else "abandoned", settled_by=run_id)
            if inherited:
                takeover.parts = inherited
                takeover.known = {aid: sha for p in inherited for aid, _, _, sha in p.articles}
                takeover.signatures = _signatures(lake_dir, run_id, inherited)
            articles = sum(len(p.articles) for p in inherited)
            outcome = (
                f"took over its {len(inherited)} finished batches ({articles} articles)" if inherited else "discarded"
            )
            takeover.notes.append(f"run {entry.run_id} was interrupted at stage '{entry.stage}'; {outcome}")
        return takeover
