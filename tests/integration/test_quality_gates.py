"""Data-quality gates in the real flow: known defects are quarantined with their rule, clean rows load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import newsquotes.annotate as annotate
from tests.integration.conftest import run_artifacts
from tests.integration.warehouse_query import query as _q

pytestmark = pytest.mark.integration


def test_defective_rows_are_quarantined_and_clean_rows_load(
    samples: Path, run_flow, warehouse_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copyfile(samples / "library-funding.txt", samples / "zz-duplicate.txt")  # an exact copy
    real_rows = annotate.article_rows
    planted: dict[str, str] = {}

    def rows_with_defects(article, analysis, run_id, ingested_at):  # type: ignore[no-untyped-def]
        rows = real_rows(article, analysis, run_id, ingested_at)
        if article.source_path == "harbour-bridge-repairs.txt":
            named = [q for q in rows["quotes"] if q["speaker_name"]]
            named[0]["speaker_name"] = None  # a quote linked to a speaker entity but without a speaker
            planted["no_speaker"] = named[0]["quote_id"]
            named[1]["end_char"] = len(rows["articles"][0]["body"]) + 50  # a bad offset
            planted["bad_offset"] = named[1]["quote_id"]
            rows["entity_mentions"][0]["entity_id"] = "0" * 16  # a dangling mention
            planted["dangling"] = rows["entity_mentions"][0]["mention_id"]
        if article.source_path == "zz-duplicate.txt":
            rows["articles"][0]["duplicate_of"] = None  # an exact copy that does not name its first copy
            planted["duplicate"] = article.article_id
            planted["duplicate_quotes"] = ",".join(sorted(q["quote_id"] for q in rows["quotes"]))
            planted["duplicate_mentions"] = ",".join(sorted(m["mention_id"] for m in rows["entity_mentions"]))
        return rows

    monkeypatch.setattr(annotate, "article_rows", rows_with_defects)
    state = run_flow(samples)
    assert state.is_completed(), state.message
    summary = state.result()
    assert summary["status"] == "warned" and state.name == "Warned"

    assert _q(warehouse_path, "SELECT article_id FROM quarantine_articles") == [(planted["duplicate"],)]
    quarantined_quotes = {
        r[0]: r[1] for r in _q(warehouse_path, "SELECT quote_id, failed_rules FROM quarantine_quotes")
    }
    dup_quotes = set(planted["duplicate_quotes"].split(","))
    assert set(quarantined_quotes) == {planted["no_speaker"], planted["bad_offset"]} | dup_quotes
    assert "speaker_is_consistent" in quarantined_quotes[planted["no_speaker"]]
    assert "body_length" in quarantined_quotes[planted["bad_offset"]]
    assert "text_matches_body" in quarantined_quotes[planted["bad_offset"]]
    mentions = {
        r[0]: r[1] for r in _q(warehouse_path, "SELECT mention_id, failed_rules FROM quarantine_entity_mentions")
    }
    assert set(mentions) == {planted["dangling"]} | set(planted["duplicate_mentions"].split(","))
    assert "entity_exists" in mentions[planted["dangling"]]

    # the clean rows loaded, the quarantined ones did not
    assert _q(warehouse_path, "SELECT count(*) FROM articles") == [(4,)]
    loaded = {r[0] for r in _q(warehouse_path, "SELECT quote_id FROM quotes")}
    assert not loaded & set(quarantined_quotes)
    assert len(loaded) >= 8
    # the results table says why
    failed = {r[0] for r in _q(warehouse_path, "SELECT suite || '.' || column_name FROM dq_results WHERE NOT success")}
    assert {
        "quotes.speaker_is_consistent",
        "quotes.body_length,end_char",
        "quotes.text_matches_body",
        "entity_mentions.entity_exists",
        "articles.unmarked_repeat",
    } <= failed
    counts = dict(_q(warehouse_path, "SELECT table_name, count(*) FROM quarantine_log GROUP BY 1"))
    assert counts["articles"] == 1 and summary["rows_quarantined"] == sum(counts.values())
    # the Data Docs site was built and names the suites
    docs = Path(summary["data_docs"].removeprefix("file://"))
    assert docs.is_file()
    assert "quotes" in docs.read_text(encoding="utf-8")
    # the run's artifacts: the failed checks as a table (one row per failed expectation) and a link to the Data Docs
    artifacts = run_artifacts(summary["flow_run_id"])
    failed_rows = _table(artifacts["newsquotes-failed-checks"])
    assert {f"{r['suite']}.{r['column']}" for r in failed_rows} == failed
    assert len(failed_rows) == summary["checks_failed"]
    docs_link = artifacts["newsquotes-data-docs"]
    assert docs.resolve().as_uri() in str(docs_link.data), docs_link.data


def test_table_level_error_blocks_the_load_and_fails_the_run(
    samples: Path, run_flow, warehouse_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rows = annotate.article_rows

    def rows_with_bad_entity(article, analysis, run_id, ingested_at):  # type: ignore[no-untyped-def]
        rows = real_rows(article, analysis, run_id, ingested_at)
        rows["entities"][0]["label"] = "NOT_A_LABEL"
        return rows

    monkeypatch.setattr(annotate, "article_rows", rows_with_bad_entity)
    state = run_flow(samples)
    assert state.is_failed()
    assert _q(warehouse_path, "SELECT count(*) FROM articles") == [(0,)]
    assert _q(warehouse_path, "SELECT status, articles_loaded FROM pipeline_runs") == [("failed", 0)]
    assert _q(warehouse_path, "SELECT count(*) FROM dq_results WHERE NOT success AND column_name = 'label'")[0][0] >= 1
    # the failed-checks artifact says which check blocked the load
    summary = state.result(raise_on_failure=False)
    failed_rows = _table(run_artifacts(summary["flow_run_id"])["newsquotes-failed-checks"])
    assert ("entities", "label", "error") in {(r["suite"], r["column"], r["severity"]) for r in failed_rows}


def _table(artifact: Any) -> list[dict[str, Any]]:
    assert artifact.type == "table"
    data = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    assert isinstance(data, list)
    return data
