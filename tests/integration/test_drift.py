"""Drift across real runs: an outlet's pages change layout (their quotes move into script-rendered cards, which the
HTML extraction drops), so its new articles lose their quotes; the next run warns, in dq_results and the summary,
and ends Warned, which the alert automation reports to its webhook."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsquotes.monitoring import QUOTES_PER_ARTICLE
from tests.integration.conftest import run_artifacts
from tests.processes import wait_for
from tests.webhook_receiver import webhook_receiver

GAZETTE, COURIER = "Harbour Gazette", "Valley Courier"
STORIES = [  # (slug, subject, speaker, quote)
    ("ferry", "a new ferry terminal", "Maria Okafor", "This terminal will carry a million passengers a year"),
    ("bridge", "repairs to the old swing bridge", "Tom Reyes", "The bridge has been closed for far too long"),
    ("market", "a covered fish market", "Helen Marsh", "Our traders have asked for this for twenty years"),
    ("school", "a sailing school for children", "Daniel Cho", "Every child in this town should learn to sail"),
]


def _quoted(speaker: str, quote: str) -> str:
    return f'<p>"{quote}," said {speaker}, who spoke after the vote.</p><p>"We are ready to start," {speaker} said.</p>'


def _script_card(speaker: str, quote: str) -> str:
    """The new layout: quotes are JSON for a script to render; the extracted text has none of them."""
    card = json.dumps({"by": speaker, "q": quote})
    return f'<div class="quote-card"><script type="application/json">{card}</script></div>'


def _gazette_page(slug: str, subject: str, speaker: str, quote: str, *, new_layout: bool) -> str:
    quotes = _script_card(speaker, quote) if new_layout else _quoted(speaker, quote)
    return (
        f"<html><head><title>Council approves {subject}</title>"
        f'<meta property="og:site_name" content="{GAZETTE}"></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>Council approves {subject}</h1>"
        f"<p>The harbour council voted on Tuesday evening to approve {subject} on the east quay of the town.</p>"
        f"{quotes}<p>Work on {subject} is due to start in the spring and to finish within two years.</p>"
        f"</article><footer>Copyright {GAZETTE}</footer></body></html>"
    )


def _courier_records(run: int) -> str:
    records = [
        {
            "outlet": COURIER,
            "title": f"Valley farmers report a good harvest ({run}-{i})",
            "body": f'Farmers in the valley gathered a record harvest this autumn. "The rain came at the right time '
            f'for once," said farmer Anna Berg. "We will plant more wheat next year," Berg said. Prices at the '
            f"market held steady through the season (report {run}-{i}).",
        }
        for i in range(2)
    ]
    return "\n".join(json.dumps(r) for r in records) + "\n"


def _write_run_inputs(input_dir: Path, run: int, *, new_layout: bool) -> None:
    input_dir.mkdir(exist_ok=True)
    for story in STORIES[2 * (run - 1) : 2 * run]:
        (input_dir / f"gazette-{story[0]}.html").write_text(_gazette_page(*story, new_layout=new_layout))
    (input_dir / f"courier-{run}.jsonl").write_text(_courier_records(run))


@contextmanager
def alert_automation(url: str) -> Iterator[None]:
    """The alert automation on the session's Prefect server for the block, then deleted (later tests' runs
    must not call a receiver that is gone)."""
    from prefect.client.orchestration import get_client

    from newsquotes.alerts import install_alerts

    automation_id = install_alerts(url)
    try:
        yield
    finally:
        with get_client(sync_client=True) as client:
            client.delete_automation(automation_id)


def _rows(warehouse: Path, sql: str, params: list[Any]) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_outlet_losing_its_quotes_warns_in_dq_results_and_the_summary(
    tmp_path: Path, run_flow: Callable[..., Any], warehouse_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSQUOTES_DRIFT_MIN_ARTICLES", "2")  # two new articles per outlet per run
    input_dir = tmp_path / "input"
    _write_run_inputs(input_dir, 1, new_layout=False)
    first = run_flow(input_dir, runner="local")
    assert first.is_completed() and first.result()["status"] == "completed", first.message

    _write_run_inputs(input_dir, 2, new_layout=True)  # the Gazette's new pages; the Courier as before
    with webhook_receiver() as (url, calls), alert_automation(url):  # a Warned run calls the alert webhook too
        second = run_flow(input_dir, runner="local")
        result = second.result()
        wait_for(lambda: calls or None, timeout_s=60, what="the alert webhook call for the Warned run", interval_s=0.5)
    payload = json.loads(calls[0]["body"])
    assert payload["state"] == "Warned" and payload["flow_run_id"] == result["flow_run_id"], payload
    assert second.is_completed() and second.name == "Warned", (second.name, second.message)
    assert result["status"] == "warned" and result["articles_loaded"] == 4 and result["articles_skipped"] == 4
    run_id = result["run_id"]

    metrics = {
        outlet: (articles, quotes)
        for outlet, articles, quotes in _rows(
            warehouse_path, "SELECT outlet, articles, quotes FROM run_metrics WHERE run_id = ? AND scope = 'outlet'",
            [run_id],
        )
    }  # fmt: skip
    assert metrics[GAZETTE] == (2, 0) and metrics[COURIER][0] == 2 and metrics[COURIER][1] >= 2, metrics
    drift = _rows(
        warehouse_path,
        "SELECT column_name, expectation, severity, success, observed_value FROM dq_results "
        "WHERE run_id = ? AND suite = 'drift' ORDER BY ALL",
        [run_id],
    )
    by_key = {
        (outlet, expectation): (severity, success, observed)
        for outlet, expectation, severity, success, observed in drift
    }
    severity, success, observed = by_key[GAZETTE, QUOTES_PER_ARTICLE]
    assert severity == "warning" and success is False and observed.startswith("0.00 vs "), observed
    assert by_key[COURIER, QUOTES_PER_ARTICLE][1] is True  # the other outlet did not drift
    assert _rows(warehouse_path, "SELECT status, checks_failed FROM pipeline_runs WHERE run_id = ?", [run_id]) == [
        ("warned", 1)
    ]

    artifacts = run_artifacts(result["flow_run_id"])
    summary = str(artifacts["newsquotes-summary"].data)
    assert "## Drift per outlet: 1 warning" in summary
    assert f"| {GAZETTE} | quotes per article | **WARNING: dropped** | {observed} |" in summary
    assert "| status | warned |" in summary
    trends = str(artifacts["newsquotes-trends"].data)
    assert "# newsquotes: the last 2 runs" in trends
    assert f"| {GAZETTE} | 2 | 4 | `█▁` |" in trends, trends
