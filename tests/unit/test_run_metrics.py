"""run_metrics, drift rules, trends and the v4 -> v5 migration, on DuckDB files built here (no flow, no NLP)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from newsquotes.monitoring import (
    ATTRIBUTED_SHARE,
    QUOTES_PER_ARTICLE,
    OutletBaseline,
    drift_checks,
    nlp_seconds,
    record_run_metrics,
    run_metrics_rows,
    status_after_drift,
)
from newsquotes.schema import SCHEMA_VERSION, rows_to_table
from newsquotes.trends import sparkline, trend_rows, trends_markdown
from newsquotes.warehouse_db import append_rows, connect
from warehouse import sql_statements

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
DRIFT = {"window": 3, "threshold": 0.5, "min_articles": 2}


@pytest.fixture
def wh(tmp_path: Path) -> Iterator[Path]:
    """A new warehouse file, held open for the test: every (writing) connection of the test shares its database
    instance, three times faster than opening the file each time; read-only connections cannot open it meanwhile."""
    path = tmp_path / "w.duckdb"
    with connect(path):
        yield path


def _article(aid: str, run_id: str, outlet: str | None, words: int = 100) -> dict:
    return {
        "article_id": aid,
        "source_path": f"{aid}.txt",
        "record_index": 0,
        "title": aid,
        "body": "x " * words,
        "content_sha256": "0" * 64,
        "word_count": words,
        "outlet": outlet,
        "run_id": run_id,
        "ingested_at": T0,
    }


def _quote(qid: str, aid: str, speaker: str | None) -> dict:
    return {"quote_id": qid, "article_id": aid, "quote_text": "x", "kind": "direct", "speaker_name": speaker,
            "start_char": 0, "end_char": 1}  # fmt: skip


def _run_row(run_id: str, started: datetime, **figures: int) -> dict:
    row = {
        "run_id": run_id, "input_dir": "in", "started_at": started, "finished_at": started + timedelta(seconds=9),
        "status": "completed", "files_seen": 0, "articles_read": 0, "articles_loaded": 0, "articles_skipped": 0,
        "articles_rejected": 0, "entities": 0, "mentions": 0, "quotes": 0, "quotes_attributed": 0,
        "rows_quarantined": 0, "checks_passed": 0, "checks_failed": 0, "words": 0, "duration_s": 9.0,
    }  # fmt: skip
    return {**row, **figures}


def _load(wh: Path, run_id: str, started: datetime, outlets: dict[str, tuple[int, int, int]]) -> list:
    """One run: per outlet (articles, quotes per article, of which named); then its run_metrics and drift."""
    articles, quotes = [], []
    for outlet, (n, per_article, named) in outlets.items():
        for i in range(n):
            aid = f"{run_id}-{outlet}-{i}"
            articles.append(_article(aid, run_id, outlet if outlet != "-" else None))
            quotes += [_quote(f"{aid}-q{k}", aid, "Ann Lee" if k < named else None) for k in range(per_article)]
    with connect(wh) as con:
        append_rows(con, "articles", rows_to_table("articles", articles))
        append_rows(con, "quotes", rows_to_table("quotes", quotes))
        append_rows(con, "pipeline_runs", rows_to_table("pipeline_runs", [_run_row(run_id, started)]))
    return record_run_metrics(wh, run_id, started, 1.5, **DRIFT)


def test_run_metrics_rows_per_outlet_and_for_the_run(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    with connect(wh) as con:
        rejected = (("a.pdf", "discover"), ("b.txt", "decode"), ("b.txt", "parse"), ("c.txt", "read"))
        errors = [{"run_id": "r1", "source_path": p, "stage": s, "reason": "x", "occurred_at": T0} for p, s in rejected]
        append_rows(con, "ingest_errors", rows_to_table("ingest_errors", errors))
        quarantined = {**_article("r1-q", "r1", "Daily"), "failed_rules": "x", "quarantine_run_id": "r1"}
        con.execute("INSERT INTO quarantine_articles BY NAME SELECT * FROM (SELECT unnest([$r], max_depth => 2))",
                    {"r": quarantined})  # fmt: skip
        con.execute("INSERT INTO quarantine_log VALUES ('r1', 'articles', 'r1-q', 'x', $t)", {"t": T0})
    assert _load(wh, "r1", T0, {"Daily": (2, 3, 2), "Herald": (1, 0, 0), "-": (1, 1, 1)}) == []  # no baseline yet

    rows = run_metrics_rows(wh, "r1")
    assert [(r["scope"], r["outlet"]) for r in rows] == [
        ("run", None), ("outlet", "(unknown)"), ("outlet", "Daily"), ("outlet", "Herald")
    ]  # fmt: skip
    run, unknown, daily, herald = rows
    assert (run["articles"], run["words"], run["quotes"], run["quotes_attributed"]) == (4, 400, 7, 5)
    assert run["quotes_per_article"] == pytest.approx(7 / 4) and run["attributed_share"] == pytest.approx(5 / 7)
    assert run["articles_rejected"] == 2  # distinct files, discovery skips (other file types) left out
    assert run["rows_quarantined"] == 1 and run["nlp_seconds"] == 1.5
    assert (daily["articles"], daily["quotes"], daily["quotes_attributed"], daily["rows_quarantined"]) == (2, 6, 4, 1)
    assert daily["attributed_share"] == pytest.approx(2 / 3) and daily["articles_rejected"] is None
    assert herald["quotes_per_article"] == 0 and herald["attributed_share"] is None  # no quotes: no share
    assert unknown["articles"] == 1 and daily["nlp_seconds"] is None

    # a retried task writes the run's rows once
    record_run_metrics(wh, "r1", T0, 1.5, **DRIFT)
    assert len(run_metrics_rows(wh, "r1")) == 4


def test_drift_warns_when_an_outlet_loses_its_quotes(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    _load(wh, "r1", T0, {"Daily": (2, 2, 2), "Herald": (2, 2, 1)})
    first = _load(wh, "r2", T0 + timedelta(days=1), {"Daily": (2, 2, 2), "Herald": (2, 2, 1)})
    assert first and all(c.success for c in first)
    # Daily's layout changed: no quotes; Herald's attribution fell from 1/2 to 1/4
    checks = _load(wh, "r3", T0 + timedelta(days=2), {"Daily": (3, 0, 0), "Herald": (2, 4, 1)})
    found = {(c.column_name, c.expectation): c for c in checks}
    assert set(found) == {("Daily", QUOTES_PER_ARTICLE), ("Herald", QUOTES_PER_ARTICLE), ("Herald", ATTRIBUTED_SHARE)}
    daily = found["Daily", QUOTES_PER_ARTICLE]
    assert not daily.success and daily.severity == "warning" and daily.suite == "drift"
    assert daily.observed_value == "0.00 vs 2.00 over the last 2 runs (-100%; a drop beyond 50% warns)"
    assert found["Herald", QUOTES_PER_ARTICLE].success  # more quotes is no drop
    assert found["Herald", ATTRIBUTED_SHARE].success  # 0.25 vs 0.5: exactly the threshold, not beyond it
    with connect(wh, read_only=True) as con:
        recorded = con.execute(
            "SELECT column_name, expectation, success FROM dq_results WHERE run_id = 'r3' AND suite = 'drift' "
            "ORDER BY ALL"
        ).fetchall()
    assert recorded == [("Daily", QUOTES_PER_ARTICLE, False), ("Herald", ATTRIBUTED_SHARE, True),
                        ("Herald", QUOTES_PER_ARTICLE, True)]  # fmt: skip
    assert status_after_drift("completed", checks) == "warned"
    assert status_after_drift("failed", checks) == "failed"
    assert status_after_drift("completed", first) == "completed"


def test_drift_rules() -> None:
    def row(articles: int, quotes: int, named: int, runs: int, b_articles: int, b_quotes: int, b_named: int):
        return OutletBaseline("X", articles, quotes, named, runs, b_articles, b_quotes, b_named)

    def results(*rows: OutletBaseline, min_articles: int = 2) -> list[tuple[str, bool]]:
        return [(c.expectation, c.success) for c in drift_checks(rows, threshold=0.5, min_articles=min_articles)]

    assert results(row(4, 0, 0, 0, 0, 0, 0)) == []  # the outlet's first run: no baseline
    assert results(row(1, 0, 0, 3, 9, 18, 18)) == []  # too few articles to judge
    assert results(row(1, 0, 0, 3, 9, 18, 18), min_articles=1) == [(QUOTES_PER_ARTICLE, False)]
    assert results(row(4, 4, 4, 3, 9, 18, 18)) == [(QUOTES_PER_ARTICLE, True), (ATTRIBUTED_SHARE, True)]  # 1 vs 2
    assert results(row(4, 3, 3, 3, 9, 18, 18)) == [(QUOTES_PER_ARTICLE, False), (ATTRIBUTED_SHARE, True)]
    assert results(row(4, 8, 3, 3, 9, 18, 18)) == [(QUOTES_PER_ARTICLE, True), (ATTRIBUTED_SHARE, False)]
    assert results(row(4, 8, 0, 3, 9, 0, 0)) == []  # never had quotes: nothing to lose
    assert nlp_seconds({"nlp": 2.0, "extract": 0.5, "write": 9.0}) == 2.5 and nlp_seconds({}) is None


def test_the_window_is_the_latest_runs(wh: Path) -> None:
    for day in range(4):  # an old, quote-rich run falls out of the window of 3
        _load(wh, f"r{day}", T0 + timedelta(days=day), {"Daily": (2, 8 if day == 0 else 1, 1)})
    checks = {c.expectation: c for c in _load(wh, "r4", T0 + timedelta(days=4), {"Daily": (2, 1, 1)})}
    check = checks[QUOTES_PER_ARTICLE]  # 1.00 vs 1.00 over r1-r3 (with r0 it would be 1.00 vs 2.75: a drop)
    assert check.success and check.observed_value and check.observed_value.startswith("1.00 vs 1.00 over the last 3")


def test_trends_markdown(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    for day, per_article in enumerate((2, 2, 0)):
        _load(wh, f"r{day}", T0 + timedelta(days=day), {"Daily": (2, per_article, per_article)})
    runs, outlets = trend_rows(wh)
    assert [r["run_id"] for r in runs] == ["r0", "r1", "r2"]
    text = trends_markdown(runs, outlets)
    assert "| quotes per article | `██▁` | 0.00 | 0.00 | 2.00 |" in text
    assert "| Daily | 3 | 6 | `██▁` | 0.00 | `▄▄·` | – |" in text
    assert text.index("`r2`") < text.index("`r0`")  # runs table: newest first
    assert sparkline([1, None, 3, 2]) == "▁·█▅" and sparkline([]) == "" and sparkline([None]) == "·"
    assert trends_markdown([], []).endswith("No runs recorded yet.")


def _v4_statements() -> list[str]:
    """schema.sql as it was at version 4: no run_metrics."""
    return [s for s in sql_statements("schema") if "run_metrics" not in s]


def test_version_4_warehouse_is_migrated_with_its_runs_back_filled(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    con = duckdb.connect(str(wh))
    for statement in _v4_statements():
        con.execute(statement)
    con.execute("INSERT INTO schema_info VALUES (4, ?)", [T0])
    rows = [_article("a1", "r1", "Daily"), _article("a2", "r1", None)]
    con.from_arrow(rows_to_table("articles", rows)).insert_into("articles")
    con.from_arrow(rows_to_table("quotes", [_quote("q1", "a1", "Ann Lee"), _quote("q2", "a1", None)])).insert_into(
        "quotes"
    )
    run = _run_row("r1", T0, articles_loaded=2, quotes=2, quotes_attributed=1, words=200, articles_rejected=1)
    con.from_arrow(rows_to_table("pipeline_runs", [run])).insert_into("pipeline_runs")
    con.close()
    with connect(wh) as con:
        assert con.execute("SELECT max(schema_version) FROM schema_info").fetchone() == (SCHEMA_VERSION,) == (5,)
    rows = run_metrics_rows(wh, "r1")
    assert [(r["scope"], r["outlet"], r["articles"], r["quotes"], r["quotes_attributed"]) for r in rows] == [
        ("run", None, 2, 2, 1), ("outlet", "(unknown)", 1, 0, 0), ("outlet", "Daily", 1, 2, 1)
    ]  # fmt: skip
    assert rows[0]["articles_rejected"] == 1 and rows[0]["nlp_seconds"] is None
    with connect(wh) as con:  # a second open finds version 5 and changes nothing
        assert con.execute("SELECT count(*) FROM run_metrics").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM schema_info").fetchone() == (2,)
