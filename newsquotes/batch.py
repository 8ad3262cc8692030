"""One batch on a worker: spaCy, mentions and quotes, written to the lake; only its counts go back.

This is what runs wherever the NLP stage runs (the flow's process, a local process pool, a Dask worker):
the rows never travel back to the flow, so the flow's memory does not grow with the corpus.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsquotes.annotate import BatchTables, annotate_articles
from newsquotes.errors import IngestError
from newsquotes.faults import checkpoint
from newsquotes.ingest import ArticleInput
from newsquotes.lake import write_batch
from newsquotes.nlp.model import load_model


@dataclass(slots=True)
class BatchStats:
    """What the flow keeps of one processed batch: counts and the articles it holds, not rows."""

    part: str
    articles: list[tuple[str, str, int, str]] = field(default_factory=list)  # id, source_path, record, sha256
    duplicates: int = 0
    non_english: int = 0
    mentions: int = 0
    quotes: int = 0
    quotes_attributed: int = 0
    words: int = 0
    entity_ids: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready form (for the run journal)."""
        d = asdict(self)
        d["errors"] = [{"source_path": e.source_path, "stage": e.stage, "reason": e.reason} for e in self.errors]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> BatchStats:
        values = dict(d)
        values["articles"] = [tuple(a) for a in d.get("articles", [])]
        values["errors"] = [IngestError(e["source_path"], e["stage"], e["reason"]) for e in d.get("errors", [])]
        return cls(**values)


def batch_stats(part: str, batch: BatchTables) -> BatchStats:
    """The counts of an annotated batch."""
    articles = batch.tables["articles"]
    quotes = batch.tables["quotes"]
    languages = articles.column("language").to_pylist()
    return BatchStats(
        part=part,
        articles=list(
            zip(
                articles.column("article_id").to_pylist(),
                articles.column("source_path").to_pylist(),
                articles.column("record_index").to_pylist(),
                articles.column("content_sha256").to_pylist(),
                strict=True,
            )
        ),
        duplicates=articles.num_rows - articles.column("duplicate_of").null_count,
        non_english=sum(lang not in (None, "en") for lang in languages),
        mentions=batch.count("entity_mentions"),
        quotes=quotes.num_rows,
        quotes_attributed=quotes.num_rows - quotes.column("speaker_name").null_count,
        words=batch.words,
        entity_ids=batch.tables["entities"].column("entity_id").to_pylist(),
        errors=list(batch.errors),
        timings=dict(batch.timings),
    )


def process_batch(
    model: str,
    articles: Sequence[ArticleInput],
    run_id: str,
    ingested_at: datetime,
    lake_dir: Path,
    part: str,
    *,
    nlp_batch_size: int = 32,
    n_process: int = 1,
) -> BatchStats:
    """Annotate one batch with the (once-per-process) model and write its Parquet parts."""
    batch = annotate_articles(
        load_model(model), articles, run_id, ingested_at, batch_size=nlp_batch_size, n_process=n_process
    )
    checkpoint("nlp")
    started = time.perf_counter()
    write_batch(lake_dir, run_id, part, batch.tables)
    stats = batch_stats(part, batch)
    stats.timings["write"] = time.perf_counter() - started
    return stats
