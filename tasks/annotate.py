"""Task: spaCy over a batch of articles, then mentions and quotes as Arrow tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.annotate import BatchTables, annotate_articles
from newsquotes.ingest import ArticleInput
from newsquotes.nlp.model import load_model


@task(name="annotate-batch", cache_policy=NO_CACHE)
def annotate_batch_task(
    model: str,
    articles: Sequence[ArticleInput],
    run_id: str,
    ingested_at: datetime,
    nlp_batch_size: int,
    n_process: int,
) -> BatchTables:
    return annotate_articles(
        load_model(model), articles, run_id, ingested_at, batch_size=nlp_batch_size, n_process=n_process
    )
