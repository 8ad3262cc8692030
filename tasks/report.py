"""Task: publish the run summary (terminal, Prefect artifacts)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from newsquotes.report import RunSummary, summary_markdown
from newsquotes.warehouse_db import query_rows


@task(name="publish-summary", cache_policy=NO_CACHE)
def publish_summary_task(summary: RunSummary) -> None:
    top = query_rows(Path(summary.warehouse), "top_speakers") if Path(summary.warehouse).exists() else []
    create_markdown_artifact(
        key="newsquotes-summary",
        markdown=summary_markdown(summary, top),
        description=f"newsquotes run {summary.run_id}: {summary.status}",
    )
    if top:
        create_table_artifact(key="newsquotes-top-speakers", table=top, description="most quoted speakers")
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
        create_table_artifact(key="newsquotes-failed-checks", table=failed, description="failed expectations")
