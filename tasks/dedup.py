"""Tasks: the duplicate index of the loaded articles, and marking a batch's exact and near duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.dedup import DuplicateIndex, Signature, index_from_rows, mark_duplicates
from newsquotes.ingest import ReadResult
from newsquotes.output_errors import retry_unless_unwritable
from newsquotes.warehouse_db import loaded_signatures


@task(
    name="duplicate-index",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=retry_unless_unwritable,
)
def duplicate_index_task(warehouse: Path, inherited: Sequence[Signature] = ()) -> DuplicateIndex:
    """The loaded articles' signatures, then those of batches taken over from an interrupted run."""
    index = index_from_rows(loaded_signatures(warehouse))
    for signature in inherited:
        index.add(signature)
    return index


@task(name="mark-duplicates", cache_policy=NO_CACHE)
def mark_duplicates_task(index: DuplicateIndex, read: ReadResult) -> ReadResult:
    """The batch with each article's duplicate mark; the index then knows the batch's articles too."""
    return ReadResult(articles=mark_duplicates(index, read.articles), unchanged=read.unchanged, errors=read.errors)
