"""Tasks: find the input files, know what is loaded, read and parse a batch of files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsquotes.ingest import MAX_BODY_CHARS, Discovery, ReadResult, discover_files, read_articles
from newsquotes.output_errors import retry_unless_unwritable
from newsquotes.text.formats import json_fields
from newsquotes.warehouse_db import known_hashes


@task(name="discover-files", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def discover_files_task(input_dir: Path, extensions: tuple[str, ...], allow_outside_links: bool = False) -> Discovery:
    return discover_files(input_dir, extensions, allow_outside_links=allow_outside_links)


@task(
    name="known-content-hashes",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=retry_unless_unwritable,
)
def known_hashes_task(warehouse: Path) -> dict[str, str]:
    return known_hashes(warehouse)


@task(name="read-and-parse", cache_policy=NO_CACHE)
def read_articles_task(
    input_dir: Path,
    source_paths: list[str],
    known: Mapping[str, str],
    max_bytes: int,
    json_field_names: Mapping[str, str] | None = None,
    max_body_chars: int = MAX_BODY_CHARS,
) -> ReadResult:
    return read_articles(input_dir, source_paths, known, max_bytes, json_fields(json_field_names), max_body_chars)
