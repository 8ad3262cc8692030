"""Task: one batch through spaCy and the quote rules, written to the lake (runs wherever the NLP stage runs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.batch import BatchStats, process_batch
from newsquotes.ingest import ArticleInput


@task(name="annotate-batch", cache_policy=NO_CACHE)
def annotate_batch_task(
    model: str,
    articles: Sequence[ArticleInput],
    run_id: str,
    ingested_at: datetime,
    lake_dir: Path,
    part: str,
    nlp_batch_size: int,
    n_process: int,
) -> BatchStats:
    return process_batch(
        model, articles, run_id, ingested_at, lake_dir, part, nlp_batch_size=nlp_batch_size, n_process=n_process
    )
