"""Monitoring across runs: each run's key figures (``run_metrics``) and drift checks per outlet.

Rules:
- after every run (loaded, unchanged or failed) ``record_run_metrics`` writes one ``run_metrics`` row for the run
  overall and one per outlet of the articles it loaded (``warehouse/run_metrics.sql``);
- drift: for each outlet of the run with at least ``min_articles`` loaded articles and at least one earlier run,
  its quotes per article and its attributed share (quotes with a named speaker) are compared with the pooled
  figures of its ``window`` latest earlier runs (``warehouse/drift_baseline.sql``). A relative drop of more than
  ``threshold`` fails the check; the share is checked only when this run has quotes and the trailing runs had
  attributed ones (an outlet never quoted has nothing to lose). Drift checks are
  ``warning`` checks of suite ``drift`` (``column_name`` is the outlet): they mark a run ``warned``, never failed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from newsquotes.quality import CheckResult
from newsquotes.schema import rows_to_table
from newsquotes.warehouse_db import append_rows, connect, query_rows
from warehouse import sql_statements, sql_text

DRIFT_SUITE = "drift"
QUOTES_PER_ARTICLE = "quotes_per_article_holds"
ATTRIBUTED_SHARE = "attributed_share_holds"


@dataclass(frozen=True, slots=True)
class OutletBaseline:
    """One outlet's figures in a run, and the pooled figures of its trailing runs."""

    outlet: str
    articles: int
    quotes: int
    quotes_attributed: int
    baseline_runs: int
    baseline_articles: int
    baseline_quotes: int
    baseline_attributed: int


def _check(
    expectation: str, outlet: str, now: float, before: float, runs: int, threshold: float, n: int
) -> CheckResult:
    drop = 1.0 - now / before
    ok = drop <= threshold
    observed = (
        f"{now:.2f} vs {before:.2f} over the last {runs} run{'s' if runs != 1 else ''} "
        f"({-drop:+.0%}; a drop beyond {threshold:.0%} warns)"
    )
    return CheckResult(
        suite=DRIFT_SUITE,
        expectation=expectation,
        column_name=outlet,
        severity="warning",
        success=ok,
        observed_value=observed,
        unexpected_count=0 if ok else 1,
        element_count=n,
    )


def drift_checks(rows: Sequence[OutletBaseline], *, threshold: float, min_articles: int) -> list[CheckResult]:
    """The drift checks of a run's outlets (see the module's rules); outlets without a baseline give none."""
    checks: list[CheckResult] = []
    for r in rows:
        if r.articles < min_articles or r.baseline_runs == 0 or r.baseline_articles == 0:
            continue
        before = r.baseline_quotes / r.baseline_articles
        if before > 0:
            now = r.quotes / r.articles
            checks.append(_check(QUOTES_PER_ARTICLE, r.outlet, now, before, r.baseline_runs, threshold, r.articles))
        if r.quotes and r.baseline_quotes and r.baseline_attributed:
            now = r.quotes_attributed / r.quotes
            before = r.baseline_attributed / r.baseline_quotes
            checks.append(_check(ATTRIBUTED_SHARE, r.outlet, now, before, r.baseline_runs, threshold, r.quotes))
    return checks


def nlp_seconds(stage_seconds: dict[str, float]) -> float | None:
    """The NLP stage's seconds (spaCy plus the quote and entity rules) summed over batches; None without batches."""
    spent = [stage_seconds[k] for k in ("nlp", "extract") if k in stage_seconds]
    return sum(spent) if spent else None


def status_after_drift(status: str, drift: Sequence[CheckResult]) -> str:
    """A completed run with a failed drift check is warned; a failed or warned run stays as it is."""
    return "warned" if status == "completed" and any(not c.success for c in drift) else status


def record_run_metrics(
    path: Path,
    run_id: str,
    started_at: datetime,
    nlp_seconds: float | None,
    *,
    window: int,
    threshold: float,
    min_articles: int,
) -> list[CheckResult]:
    """Write the run's ``run_metrics`` rows and its drift checks (into ``dq_results``) in one transaction;
    return the drift checks."""
    with connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            params = {"run_id": run_id, "started_at": started_at, "nlp_seconds": nlp_seconds}
            for statement in sql_statements("run_metrics"):
                con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
            found = con.execute(sql_text("drift_baseline"), {"run_id": run_id, "window": window}).fetchall()
            checks = drift_checks(
                [OutletBaseline(*row) for row in found], threshold=threshold, min_articles=min_articles
            )
            append_rows(con, "dq_results", rows_to_table("dq_results", [c.as_row(run_id, started_at) for c in checks]))
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
    return checks


def run_metrics_rows(path: Path, run_id: str) -> list[dict[str, Any]]:
    """The ``run_metrics`` rows of one run (run row first, then outlets by name)."""
    return query_rows(path, "run_metrics_of_run", {"run_id": run_id})
