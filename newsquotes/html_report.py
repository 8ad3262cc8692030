"""``newsquotes report``: one static HTML file about the warehouse, readable offline.

Rules: the file holds everything it shows (inline CSS and SVG, no script, no link to anything outside it); it is
read from the warehouse with a read-only connection (``warehouse/report_*.sql``); sections: runs over time (the
last ``REPORT_RUNS``), quotes and attributed share per outlet, top speakers per outlet, check pass rates. Every
figure of a chart is also in a table cell carrying ``data-*`` attributes, so a test can compare it with SQL.
A missing, unreadable or too old warehouse is a ``ReportError`` naming the file and the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from newsquotes.schema import SCHEMA_VERSION
from newsquotes.svg_charts import PALETTE, bar_chart, line_chart
from warehouse import sql_text

REPORT_RUNS = 90
TOP_SPEAKERS = 5
CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2937;margin:24px auto;max-width:1320px;
padding:0 16px}h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #e5e7eb}
h3{font-size:15px;margin:16px 0 4px}.meta{color:#6b7280}.grid{display:flex;flex-wrap:wrap;gap:12px 24px}
table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.fail{color:#b91c1c;font-weight:600}
.card{flex:0 0 400px}.figures td{padding:2px 12px}
"""


class ReportError(Exception):
    """The report cannot be made (the message names the warehouse and the reason)."""


@dataclass(slots=True)
class ReportData:
    runs: list[dict[str, Any]]
    outlets: list[dict[str, Any]]
    speakers: list[dict[str, Any]]
    checks: list[dict[str, Any]]


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql_text(name), params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def read_report_data(warehouse: Path) -> ReportData:
    """Everything the report shows, read from ``warehouse`` in one read-only connection."""
    if not warehouse.is_file():
        raise ReportError(f"cannot read the warehouse {warehouse}: no such file (run `newsquotes run` first)")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise ReportError(f"cannot read the warehouse {warehouse}: {exc}") from None
    try:
        try:
            version = _rows(con, "schema_version")[0]["schema_version"]
        except duckdb.Error:
            raise ReportError(f"cannot read the warehouse {warehouse}: it is not a newsquotes warehouse") from None
        if version != SCHEMA_VERSION:
            raise ReportError(
                f"cannot read the warehouse {warehouse}: schema version {version}, this newsquotes reads "
                f"{SCHEMA_VERSION} (a run with this version migrates an older warehouse)"
            )
        return ReportData(
            runs=_rows(con, "report_runs", {"runs": REPORT_RUNS}),
            outlets=_rows(con, "report_outlets"),
            speakers=_rows(con, "report_speakers", {"top": TOP_SPEAKERS}),
            checks=_rows(con, "report_checks"),
        )
    finally:
        con.close()


def _num(value: float | None, pattern: str = "{:,.0f}") -> str:
    return "–" if value is None else pattern.format(value)


def _pct(value: float | None) -> str:
    return _num(value, "{:.0%}")


def _attr(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _runs_section(runs: list[dict[str, Any]]) -> list[str]:
    out = [f"<h2>Runs over time <span class=meta>(last {len(runs)})</span></h2>"]
    if not runs:
        return [*out, "<p>No runs recorded yet.</p>"]
    labels = [f"{r['started_at'].astimezone(UTC):%Y-%m-%d %H:%M}" for r in runs]
    charts = [
        line_chart([r["articles"] for r in runs], labels, title="Articles loaded", fmt=_num),
        line_chart(
            [r["quotes_per_article"] for r in runs],
            labels,
            title="Quotes per article",
            fmt=lambda v: f"{v:.2f}",
            color=PALETTE[1],
        ),
        line_chart(
            [r["attributed_share"] for r in runs],
            labels,
            title="Attributed share (quotes with a named speaker)",
            fmt=_pct,
            top=1.0,
            color=PALETTE[2],
        ),
        line_chart([r["checks_failed"] for r in runs], labels, title="Checks failed", fmt=_num, color=PALETTE[3]),
    ]
    out.append('<div class="grid">' + "".join(charts) + "</div>")
    out.append('<table id="runs"><tr><th>started (UTC)</th><th>run</th><th>status</th><th class=n>articles</th>')
    out[-1] += "<th class=n>quotes</th><th class=n>quotes per article</th><th class=n>attributed share</th>"
    out[-1] += "<th class=n>rejected</th><th class=n>quarantined</th><th class=n>checks failed</th>"
    out[-1] += "<th class=n>seconds</th></tr>"
    for label, r in zip(reversed(labels), reversed(runs), strict=True):
        status = escape(r["status"])
        out.append(
            f'<tr data-run="{_attr(r["run_id"])}" data-articles="{_attr(r["articles"])}" '
            f'data-quotes="{_attr(r["quotes"])}" data-checks-failed="{_attr(r["checks_failed"])}">'
            f"<td>{label}</td><td><code>{escape(r['run_id'])}</code></td>"
            f"<td{' class=fail' if status != 'completed' else ''}>{status}</td><td class=n>{_num(r['articles'])}</td>"
            f"<td class=n>{_num(r['quotes'])}</td><td class=n>{_num(r['quotes_per_article'], '{:.2f}')}</td>"
            f"<td class=n>{_pct(r['attributed_share'])}</td><td class=n>{_num(r['articles_rejected'])}</td>"
            f"<td class=n>{_num(r['rows_quarantined'])}</td><td class=n>{r['checks_failed']}</td>"
            f"<td class=n>{r['duration_s']:.1f}</td></tr>"
        )
    out.append("</table>")
    return out


def _outlets_section(outlets: list[dict[str, Any]]) -> list[str]:
    out = ["<h2>Quotes and attributed share per outlet</h2>"]
    if not outlets:
        return [*out, "<p>No articles loaded yet.</p>"]
    quotes = bar_chart([(o["outlet"], o["quotes"]) for o in outlets], title="Quotes", fmt=_num)
    share = bar_chart(
        [(o["outlet"], o["attributed_share"] or 0.0) for o in outlets],
        title="Attributed share",
        fmt=_pct,
        max_value=1.0,
        color=PALETTE[2],
    )
    out.append(f'<div class="grid">{quotes}{share}</div>')
    out.append('<table id="outlets"><tr><th>outlet</th><th class=n>articles</th><th class=n>quotes</th>')
    out[-1] += "<th class=n>with a named speaker</th><th class=n>attributed share</th></tr>"
    for o in outlets:
        out.append(
            f'<tr data-outlet="{_attr(o["outlet"])}" data-articles="{o["articles"]}" data-quotes="{o["quotes"]}" '
            f'data-attributed="{o["quotes_attributed"]}"><td>{escape(o["outlet"])}</td>'
            f"<td class=n>{o['articles']:,}</td><td class=n>{o['quotes']:,}</td>"
            f"<td class=n>{o['quotes_attributed']:,}</td><td class=n>{_pct(o['attributed_share'])}</td></tr>"
        )
    out.append("</table>")
    return out


def _speakers_section(speakers: list[dict[str, Any]]) -> list[str]:
    out = [f"<h2>Top speakers per outlet <span class=meta>(up to {TOP_SPEAKERS}, named speakers)</span></h2>"]
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for s in speakers:
        by_outlet.setdefault(s["outlet"], []).append(s)
    if not by_outlet:
        return [*out, "<p>No named speakers yet.</p>"]
    cards = []
    for i, (outlet, rows) in enumerate(by_outlet.items()):
        chart = bar_chart(
            [(r["speaker_name"], r["quotes"]) for r in rows],
            title=outlet,
            fmt=_num,
            width=400,
            label_width=170,
            color=PALETTE[i % len(PALETTE)],
        )
        cells = "".join(
            f'<tr data-outlet="{_attr(outlet)}" data-speaker="{_attr(r["speaker_name"])}" data-quotes="{r["quotes"]}">'
            f"<td>{escape(r['speaker_name'])}</td><td class=n>{r['quotes']}</td></tr>"
            for r in rows
        )
        cards.append(f'<div class="card">{chart}<table class="speakers">{cells}</table></div>')
    out.append('<div class="grid">' + "".join(cards) + "</div>")
    return out


def _checks_section(checks: list[dict[str, Any]]) -> list[str]:
    out = ["<h2>Check pass rates <span class=meta>(every recorded run)</span></h2>"]
    if not checks:
        return [*out, "<p>No checks recorded yet.</p>"]
    suites: dict[str, list[int]] = {}
    for c in checks:
        totals = suites.setdefault(c["suite"], [0, 0])
        totals[0] += c["passed"]
        totals[1] += c["checks"]
    chart = bar_chart(
        [(suite, passed / total) for suite, (passed, total) in sorted(suites.items())],
        title="Pass rate per suite",
        fmt=_pct,
        max_value=1.0,
        color=PALETTE[1],
    )
    out.append(chart)
    out.append('<table id="checks"><tr><th>suite</th><th>expectation</th><th>column / outlet</th><th>severity</th>')
    out[-1] += "<th class=n>runs checked</th><th class=n>passed</th><th class=n>pass rate</th></tr>"
    for c in checks:
        rate = c["pass_rate"]
        out.append(
            f'<tr data-suite="{_attr(c["suite"])}" data-expectation="{_attr(c["expectation"])}" '
            f'data-column="{_attr(c["column_name"])}" data-checks="{c["checks"]}" data-passed="{c["passed"]}">'
            f"<td>{escape(c['suite'])}</td><td>{escape(c['expectation'])}</td>"
            f"<td>{escape(c['column_name'] or '')}</td><td>{escape(c['severity'])}</td>"
            f"<td class=n>{c['checks']}</td><td class=n>{c['passed']}</td>"
            f'<td class="n{" fail" if rate < 1 else ""}">{_pct(rate)}</td></tr>'
        )
    out.append("</table>")
    return out


def render_report(data: ReportData, warehouse: Path, generated_at: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    when = (generated_at or datetime.now(UTC)).astimezone(UTC)
    runs = data.runs
    latest = runs[-1] if runs else None
    head = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>newsquotes report: {escape(warehouse.name)}</title><style>{CSS}</style></head><body>",
        "<h1>newsquotes report</h1>",
        f'<p class="meta">Warehouse <code>{escape(str(warehouse))}</code> · generated {when:%Y-%m-%d %H:%M} UTC · '
        f"{len(runs)} runs shown"
        + (f" · latest run <code>{escape(latest['run_id'])}</code> ({escape(latest['status'])})" if latest else "")
        + "</p>",
    ]
    body = (
        _runs_section(runs)
        + _outlets_section(data.outlets)
        + _speakers_section(data.speakers)
        + _checks_section(data.checks)
    )
    return "\n".join([*head, *body, "</body></html>"]) + "\n"


def write_report(warehouse: Path, out: Path) -> Path:
    """Read the warehouse and write the report to ``out`` (a temporary name, then a rename)."""
    html = render_report(read_report_data(warehouse), warehouse)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"cannot write the report {out}: {exc.strerror or exc}") from None
    return out
