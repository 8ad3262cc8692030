"""Trends across runs for the Prefect dashboard: the last runs' key figures as Markdown tables with sparklines.

Rules: the runs are the latest ``TREND_RUNS`` of ``pipeline_runs`` (with their ``run_metrics`` run row), oldest
first in the sparklines and newest first in the runs table. A sparkline has one block character per run, scaled
from the series' minimum (▁) to its maximum (█); a run without the figure (no quotes, so no attributed share) is
a ``·``; a constant series is all ▄.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from newsquotes.warehouse_db import query_rows

TREND_RUNS = 30
BARS = "▁▂▃▄▅▆▇█"
GAP = "·"

# (label, column, format) of the figures table
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("articles loaded", "articles", "{:,.0f}"),
    ("words", "words", "{:,.0f}"),
    ("quotes per article", "quotes_per_article", "{:.2f}"),
    ("attributed share", "attributed_share", "{:.0%}"),
    ("rejected files", "articles_rejected", "{:,.0f}"),
    ("rows quarantined", "rows_quarantined", "{:,.0f}"),
    ("checks failed", "checks_failed", "{:,.0f}"),
    ("NLP seconds", "nlp_seconds", "{:,.1f}"),
    ("duration (s)", "duration_s", "{:,.1f}"),
)


def sparkline(values: Sequence[float | None]) -> str:
    """One character per value: ▁ (minimum) to █ (maximum); ``·`` for a missing value."""
    present = [v for v in values if v is not None]
    if not present:
        return GAP * len(values)
    low, high = min(present), max(present)
    out = []
    for v in values:
        if v is None:
            out.append(GAP)
        elif high == low:
            out.append(BARS[3])
        else:
            out.append(BARS[round((v - low) / (high - low) * (len(BARS) - 1))])
    return "".join(out)


def _fmt(value: Any, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def trend_rows(warehouse: Path, runs: int = TREND_RUNS) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(run rows oldest first, outlet rows) of the latest ``runs`` runs."""
    return (
        query_rows(warehouse, "trend_runs", {"runs": runs}),
        query_rows(warehouse, "trend_outlets", {"runs": runs}),
    )


def trends_markdown(runs: list[dict[str, Any]], outlets: list[dict[str, Any]]) -> str:
    """The trends artifact: figures with sparklines, per-outlet sparklines, and the runs newest first."""
    out = [f"# newsquotes: the last {len(runs)} runs", ""]
    if not runs:
        return "\n".join([*out, "No runs recorded yet."])
    out += ["| figure | trend (oldest → newest) | latest | min | max |", "|---|---|---|---|---|"]
    for label, column, pattern in FIGURES:
        series = [r[column] for r in runs]
        present = [v for v in series if v is not None]
        low = _fmt(min(present), pattern) if present else "–"
        high = _fmt(max(present), pattern) if present else "–"
        out.append(f"| {label} | `{sparkline(series)}` | {_fmt(series[-1], pattern)} | {low} | {high} |")
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for row in outlets:
        by_outlet.setdefault(row["outlet"], []).append(row)
    if by_outlet:
        out += ["", "## Per outlet (runs that loaded its articles)", ""]
        out += ["| outlet | runs | articles | quotes per article | latest | attributed share | latest |"]
        out.append("|---|---|---|---|---|---|---|")
        for outlet, rows in sorted(by_outlet.items()):
            qpa = [r["quotes_per_article"] for r in rows]
            share = [r["attributed_share"] for r in rows]
            out.append(
                f"| {outlet} | {len(rows)} | {sum(r['articles'] for r in rows):,} | `{sparkline(qpa)}` "
                f"| {_fmt(qpa[-1], '{:.2f}')} | `{sparkline(share)}` | {_fmt(share[-1], '{:.0%}')} |"
            )
    out += ["", "## Runs (newest first)", ""]
    out += ["| started (UTC) | run | status | articles | quotes/article | attributed | rejected | quarantined "]
    out[-1] += "| checks failed | duration |"
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in reversed(runs):
        out.append(
            f"| {r['started_at'].astimezone(UTC):%Y-%m-%d %H:%M} | `{r['run_id']}` | {r['status']} "
            f"| {_fmt(r['articles'], '{:,}')} "
            f"| {_fmt(r['quotes_per_article'], '{:.2f}')} | {_fmt(r['attributed_share'], '{:.0%}')} "
            f"| {_fmt(r['articles_rejected'], '{:,}')} | {_fmt(r['rows_quarantined'], '{:,}')} "
            f"| {r['checks_failed']} | {r['duration_s']:.1f} s |"
        )
    return "\n".join(out)
