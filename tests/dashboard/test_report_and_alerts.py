"""Monitoring for real: the static report in headless Chromium (offline, no console errors, numbers equal to SQL),
the trends artifact in the Prefect UI, and the alert automation calling a local webhook when a run fails.
Screenshots land in test-artifacts/ (report.png, trends-artifact.png); the README shows copies in docs/monitoring/.

The warehouse is a history of twelve nightly runs over three outlets, written through the warehouse's own code
(rows, then ``record_run_metrics`` with its drift checks), so no NLP runs here; one outlet loses its quotes in
the last two runs.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort
from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW, temporary_settings

from newsquotes.alerts import AlertConfigError, check_webhook_url, default_alert_config, load_alert_config
from newsquotes.html_report import write_report
from newsquotes.monitoring import record_run_metrics
from newsquotes.schema import rows_to_table
from newsquotes.trends import FIGURES, trend_rows, trends_markdown
from newsquotes.warehouse_db import append_rows, connect
from tests.dashboard.support import ARTIFACTS_DIR
from tests.dashboard.test_dashboard import render, ui_base, visible_text
from tests.processes import PrefectServer, stop_process, wait_for
from tests.webhook_receiver import webhook_receiver

pytestmark = [pytest.mark.dashboard, pytest.mark.integration]

RUNS, FIRST_NIGHT = 12, datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
OUTLETS = {  # outlet -> (quotes per article, share named, speakers)
    "Harbour Gazette": (2.5, 0.8, ["Maria Okafor", "Tom Reyes", "Helen Marsh", "Daniel Cho", "Ruth Adler"]),
    "Valley Courier": (1.5, 0.9, ["Anna Berg", "Jonas Lind", "Priya Nair"]),
    "Northern Wire": (3.0, 0.7, ["Graham Whitlock", "Sofia Ruiz", "Omar Haddad", "Lena Vogel", "Ian Reid", "Mei Lin"]),
}
BROKEN_OUTLET, BROKEN_FROM = "Harbour Gazette", RUNS - 2  # its pages changed layout: no quotes from run 10 on
CHROMIUM_TIMEOUT_S = 90.0


def _night(n: int, rng: random.Random) -> tuple[str, datetime, list[dict], list[dict]]:
    run_id = f"run-{n:02d}"
    started = FIRST_NIGHT + timedelta(days=n)
    articles: list[dict] = []
    quotes: list[dict] = []
    for outlet, (per_article, named, speakers) in OUTLETS.items():
        for i in range(rng.randint(3, 7)):
            aid = f"{run_id}-{outlet[:3]}-{i}"
            article = {"article_id": aid, "source_path": f"{outlet}/{aid}.html", "record_index": 0, "title": aid}
            article |= {"body": "text", "content_sha256": aid, "word_count": rng.randint(300, 900)}
            articles.append({**article, "outlet": outlet, "run_id": run_id, "ingested_at": started})
            count = 0 if outlet == BROKEN_OUTLET and n >= BROKEN_FROM else rng.randint(0, round(2 * per_article))
            for k in range(count):
                speaker = rng.choice(speakers) if rng.random() < named else None
                quote = {"quote_id": f"{aid}-q{k}", "article_id": aid, "quote_text": "q", "kind": "direct"}
                quotes.append({**quote, "speaker_name": speaker, "start_char": 0, "end_char": 1})
    return run_id, started, articles, quotes


def _run_row(run_id: str, started: datetime, articles: list[dict], quotes: list[dict], passed: int, failed: int):
    figures = {"files_seen": len(articles), "articles_read": len(articles), "articles_loaded": len(articles)}
    figures |= {"articles_skipped": 0, "articles_rejected": 0, "entities": 0, "mentions": 0, "quotes": len(quotes)}
    figures |= {"quotes_attributed": sum(q["speaker_name"] is not None for q in quotes), "rows_quarantined": 0}
    figures |= {"checks_passed": passed, "checks_failed": failed, "words": 0, "duration_s": 40.0}
    status = "warned" if failed else "completed"
    finished = started + timedelta(seconds=40)
    return {"run_id": run_id, "input_dir": "inbox", "started_at": started, "finished_at": finished, "status": status,
            **figures}  # fmt: skip


GX_CHECKS = (  # (suite, expectation, column, severity, fails on night n)
    ("articles", "expect_column_values_to_be_unique", "article_id", "error", lambda n: False),
    ("quotes", "expect_column_values_to_not_be_null", "speaker_name", "warning", lambda n: n % 5 == 3),
)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse after twelve nightly runs (see the module docstring)."""
    wh = tmp_path_factory.mktemp("history") / "newsquotes.duckdb"
    rng = random.Random(17)
    with connect(wh) as con:  # held open: record_run_metrics's connections share this database instance
        for n in range(RUNS):
            run_id, started, articles, quotes = _night(n, rng)
            gx = [
                {"run_id": run_id, "suite": suite, "expectation": expectation, "column_name": column,
                 "severity": severity, "success": not fails(n), "checked_at": started}
                for suite, expectation, column, severity, fails in GX_CHECKS
            ]  # fmt: skip
            append_rows(con, "articles", rows_to_table("articles", articles))
            append_rows(con, "quotes", rows_to_table("quotes", quotes))
            append_rows(con, "dq_results", rows_to_table("dq_results", gx))
            drift = record_run_metrics(wh, run_id, started, 4.0 + n % 3, window=7, threshold=0.5, min_articles=3)
            failed = sum(not c["success"] for c in gx) + sum(not c.success for c in drift)
            run = _run_row(run_id, started, articles, quotes, len(gx) + len(drift) - failed, failed)
            append_rows(con, "pipeline_runs", rows_to_table("pipeline_runs", [run]))
    return wh


def _sql(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _rows_with(dom: str, attribute: str) -> list[dict[str, str]]:
    """The data-* attributes of every table row that has ``data-<attribute>``."""
    found = []
    for attrs in re.findall(r"<tr ([^>]*)>", dom):
        values = dict(re.findall(r'data-([\w-]+)="([^"]*)"', attrs))
        if attribute in values:
            found.append({k: v.replace("&amp;", "&") for k, v in values.items()})
    return found


def test_report_renders_offline_without_console_errors_and_matches_sql(
    history: Path, chromium: str, tmp_path: Path
) -> None:
    out = write_report(history, tmp_path / "report.html")
    html = out.read_text(encoding="utf-8")
    # one self-contained file: no script, stylesheet, image, font or frame fetched from anywhere
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|https?://", html, re.IGNORECASE)

    shot = ARTIFACTS_DIR / "report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]
    args += ["--enable-logging=stderr", "--v=0", "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1360,2400"]
    args += [f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--dump-dom", out.as_uri()]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        dom_bytes, err_bytes = proc.communicate(timeout=CHROMIUM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop_process(proc, grace_s=5)
        pytest.fail(f"Chromium did not render {out} within {CHROMIUM_TIMEOUT_S:.0f} s")
    dom, log = dom_bytes.decode(errors="replace"), err_bytes.decode(errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert [line for line in log.splitlines() if ":CONSOLE" in line] == []  # no console message at all
    assert shot.stat().st_size > 20_000
    assert dom.count("<svg") == 4 + 2 + len(OUTLETS) + 1  # runs, outlets, one per outlet's speakers, checks

    # runs over time: every run, with the figures of run_metrics and pipeline_runs
    runs = {r["run"]: (int(r["articles"]), int(r["quotes"]), int(r["checks-failed"])) for r in _rows_with(dom, "run")}
    expected = _sql(
        history,
        "SELECT p.run_id, m.articles, m.quotes, p.checks_failed FROM pipeline_runs p "
        "JOIN run_metrics m ON m.run_id = p.run_id AND m.scope = 'run'",
    )
    assert runs == {run_id: (a, q, f) for run_id, a, q, f in expected} and len(runs) == RUNS
    assert runs[f"run-{BROKEN_FROM:02d}"][2] >= 1  # the drift warning of the broken outlet's first bad night

    # quotes and attributed share per outlet, as the warehouse holds them
    outlets = {
        r["outlet"]: (int(r["articles"]), int(r["quotes"]), int(r["attributed"])) for r in _rows_with(dom, "outlet")
        if "articles" in r
    }  # fmt: skip
    expected = _sql(
        history,
        "SELECT a.outlet, count(DISTINCT a.article_id), count(q.quote_id), count(q.speaker_name) "
        "FROM articles a LEFT JOIN quotes q USING (article_id) GROUP BY a.outlet",
    )
    assert outlets == {o: (a, q, n) for o, a, q, n in expected}

    # top speakers per outlet: the five most quoted named speakers of each
    speakers = {(r["outlet"], r["speaker"]): int(r["quotes"]) for r in _rows_with(dom, "speaker")}
    counted = _sql(
        history,
        "SELECT a.outlet, q.speaker_name, count(*) AS n FROM quotes q JOIN articles a USING (article_id) "
        "WHERE q.speaker_name IS NOT NULL GROUP BY ALL ORDER BY a.outlet, n DESC, q.speaker_name",
    )
    top: dict[tuple[str, str], int] = {}
    for outlet, speaker, n in counted:
        if sum(o == outlet for o, _ in top) < 5:
            top[outlet, speaker] = n
    assert speakers == top

    # check pass rates: per suite, expectation and column, over every run
    checks = {(r["suite"], r["expectation"], r["column"]): (int(r["passed"]), int(r["checks"])) for r in
              _rows_with(dom, "suite")}  # fmt: skip
    expected = _sql(
        history,
        "SELECT suite, expectation, coalesce(column_name, ''), count(*) FILTER (WHERE success), count(*) "
        "FROM dq_results GROUP BY ALL",
    )
    assert checks == {(s, e, c): (p, n) for s, e, c, p, n in expected}
    assert (
        checks["drift", "quotes_per_article_holds", BROKEN_OUTLET][0]
        < checks["drift", "quotes_per_article_holds", BROKEN_OUTLET][1]
    )
    assert "Harbour Gazette" in visible_text(dom) and "Check pass rates" in visible_text(dom)


def test_trends_artifact_renders_in_the_prefect_ui(
    history: Path, prefect_server: PrefectServer, chromium: str, tmp_path: Path
) -> None:
    from tasks.report import TRENDS_KEY, publish_trends_task

    # the flow's own task, run on its own against the server (no flow run to send its logs to)
    with temporary_settings(
        {PREFECT_API_URL: prefect_server.api_url, PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW: "ignore"}
    ):
        publish_trends_task(history)
    with prefect_server.client() as client:  # the session's server: the newest version of the key is this one
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[TRENDS_KEY])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    assert f"the last {RUNS} runs" in str(artifact.data)
    dom = render(
        chromium,
        f"{prefect_server.url}{ui_base(prefect_server)}/artifacts/artifact/{artifact.id}",
        ARTIFACTS_DIR / "trends-artifact.png",
        tmp_path / "profile",
    )
    text = visible_text(dom)
    assert f"newsquotes: the last {RUNS} runs" in text, text[:2000]
    runs, outlets = trend_rows(history)
    sparklines = re.findall(r"`([▁▂▃▄▅▆▇█·]+)`", trends_markdown(runs, outlets))
    assert len(sparklines) == len(FIGURES) + 2 * len(OUTLETS)
    for line in sparklines:  # every sparkline of the artifact, one character per run, on the page
        assert len(line) == RUNS and line in text
    assert re.search(rf"<td[^>]*>\s*{BROKEN_OUTLET}\s*</td>\s*<td[^>]*>\s*{RUNS}\s*</td>", dom)


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    with webhook_receiver() as url_and_calls:
        yield url_and_calls


def test_alert_automation_calls_the_webhook_when_a_run_fails(
    prefect_server: PrefectServer,
    receiver: tuple[str, list[dict[str, Any]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.ingest import ingest_flow
    from newsquotes.alerts import ALERT_BLOCK, install_alerts

    url, calls = receiver
    bad_aliases = tmp_path / "aliases.csv"
    bad_aliases.write_text("alias,canonical,label\nBoE,Bank of England,NOT_A_LABEL\n", encoding="utf-8")
    monkeypatch.setenv("NEWSQUOTES_ALIASES_FILE", str(bad_aliases))  # the run fails before it writes anything
    with temporary_settings({PREFECT_API_URL: prefect_server.api_url}):
        automation_id = install_alerts(url)
        assert install_alerts(url) != automation_id  # run again: replaced, not doubled
        with prefect_server.client() as client:
            [automation] = client.read_automations_by_name("newsquotes run needs attention")
            assert client.read_block_document_by_name(ALERT_BLOCK, "webhook").id
        trigger = automation.trigger
        assert trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed", "prefect.flow-run.Warned"}  # type: ignore[union-attr]
        state = ingest_flow(
            input_dir=str(tmp_path), warehouse=str(tmp_path / "wh.duckdb"), parquet_dir=str(tmp_path / "lake"),
            return_state=True,
        )  # fmt: skip
    assert state.is_failed(), state
    flow_run_id = str(state.state_details.flow_run_id)
    wait_for(lambda: calls or None, timeout_s=60, what="the automation's webhook call", interval_s=0.5)
    [call] = calls
    assert call["path"] == "/newsquotes-alert" and call["type"] == "application/json"
    payload = json.loads(call["body"])
    assert payload["flow"] == "newsquotes-ingest" and payload["flow_run_id"] == flow_run_id
    assert payload["state"] == "Failed" and "NOT_A_LABEL" in payload["message"], payload


def test_alert_config_is_a_valid_automation_with_a_webhook_action(tmp_path: Path) -> None:
    """The shipped file, and the refusals of broken ones (Prefect's automation schema checks them)."""
    data = load_alert_config(default_alert_config())
    assert set(data["trigger"]["expect"]) == {
        "prefect.flow-run.Failed",
        "prefect.flow-run.Crashed",
        "prefect.flow-run.Warned",
    }
    assert data["trigger"]["match_related"]["prefect.resource.name"] == "newsquotes-ingest"

    bad = tmp_path / "alerts.yaml"
    bad.write_text("name: x\ntrigger: {type: event}\nactions: [{type: do-nothing}]\n")
    with pytest.raises(AlertConfigError, match=r"alerts\.yaml: no action of type call-webhook"):
        load_alert_config(bad)
    bad.write_text("name: x\ntrigger: {type: event, posture: Sideways}\nactions: [{type: call-webhook}]\n")
    with pytest.raises(AlertConfigError, match=r"alerts\.yaml: not a valid Prefect automation"):
        load_alert_config(bad)
    with pytest.raises(AlertConfigError, match="cannot read the alert configuration"):
        load_alert_config(tmp_path / "missing.yaml")
    with pytest.raises(AlertConfigError, match="expected http"):
        check_webhook_url("hooks.example.org/x")
