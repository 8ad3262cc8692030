"""Task: publish the run summary (terminal, Prefect artifacts); helpers for the NLP-stage progress artifact."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from prefect import task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE

from newsquotes.report import RunSummary, summary_markdown
from newsquotes.trends import TREND_RUNS, trend_rows, trends_markdown
from newsquotes.warehouse_db import query_rows

SUMMARY_KEY = "newsquotes-summary"
TOP_SPEAKERS_KEY = "newsquotes-top-speakers"
FAILED_CHECKS_KEY = "newsquotes-failed-checks"
PROGRESS_KEY = "newsquotes-nlp-progress"
WAREHOUSE_LINK_KEY = "newsquotes-warehouse"
DATA_DOCS_LINK_KEY = "newsquotes-data-docs"
TRENDS_KEY = "newsquotes-trends"


def progress_percent(done: int, total: int) -> float:
    """Share of the run's files through the NLP stage, 0-100 (an empty run is complete)."""
    return 100.0 if total <= 0 else round(100.0 * min(done, total) / total, 1)


def start_progress(run_id: str, total: int) -> UUID:
    """Create the run's NLP-stage progress artifact (visible on the flow run while it is running)."""
    return create_progress_artifact(
        progress=progress_percent(0, total),
        key=PROGRESS_KEY,
        description=f"run {run_id}: NLP stage, 0/{total} files",
    )


def advance_progress(artifact_id: UUID, run_id: str, done: int, total: int) -> None:
    """Move the progress artifact on after a batch."""
    update_progress_artifact(
        artifact_id=artifact_id,
        progress=progress_percent(done, total),
        description=f"run {run_id}: NLP stage, {min(done, total)}/{total} files",
    )


def _as_link(path_or_url: str) -> str:
    return path_or_url if "://" in path_or_url else Path(path_or_url).resolve().as_uri()


@task(name="publish-summary", cache_policy=NO_CACHE)
def publish_summary_task(summary: RunSummary) -> None:
    top = query_rows(Path(summary.warehouse), "top_speakers") if Path(summary.warehouse).exists() else []
    create_markdown_artifact(
        key=SUMMARY_KEY,
        markdown=summary_markdown(summary, top),
        description=f"newsquotes run {summary.run_id}: {summary.status}",
    )
    if top:
        create_table_artifact(key=TOP_SPEAKERS_KEY, table=top, description="most quoted speakers")
    failed = [
        {
            "suite": r.suite,
            "expectation": r.expectation,
            "column": r.column_name,
            "severity": r.severity,
            "unexpected": r.unexpected_count,
            "observed": r.observed_value,
        }
        for r in summary.checks
        if not r.success
    ]
    if failed:
        create_table_artifact(key=FAILED_CHECKS_KEY, table=failed, description="failed expectations")
    create_link_artifact(
        key=WAREHOUSE_LINK_KEY,
        link=_as_link(summary.warehouse),
        link_text=summary.warehouse,
        description="the DuckDB warehouse this run wrote to",
    )
    if summary.data_docs:
        create_link_artifact(
            key=DATA_DOCS_LINK_KEY,
            link=_as_link(summary.data_docs),
            link_text="Data Docs",
            description="Great Expectations Data Docs of this run's validation",
        )


@task(name="publish-trends", cache_policy=NO_CACHE)
def publish_trends_task(warehouse: Path) -> None:
    """The trends artifact: the last runs' key figures with sparklines (from the published warehouse)."""
    if not Path(warehouse).exists():
        return
    runs, outlets = trend_rows(Path(warehouse), TREND_RUNS)
    create_markdown_artifact(
        key=TRENDS_KEY,
        markdown=trends_markdown(runs, outlets),
        description=f"newsquotes: key figures of the last {len(runs)} runs",
    )
