from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from newsquotes.errors import WarehouseSchemaError
from newsquotes.lake import ensure_run_parts, read_run, write_part
from newsquotes.schema import rows_to_table
from newsquotes.warehouse_db import connect, known_hashes, load_run

NOW = datetime(2024, 1, 2, tzinfo=UTC)


def _article(aid: str, sha: str, run_id: str) -> dict:
    return {
        "article_id": aid,
        "source_path": f"{aid}.txt",
        "record_index": 0,
        "title": "T",
        "body": "B b",
        "content_sha256": sha,
        "word_count": 2,
        "run_id": run_id,
        "ingested_at": NOW,
    }


def _quote(aid: str, qid: str) -> dict:
    return {
        "quote_id": qid,
        "article_id": aid,
        "quote_text": "b",
        "kind": "direct",
        "speaker_name": "Ann Lee",
        "speaker_entity_id": "e1",
        "speaker_type": "PERSON",
        "start_char": 2,
        "end_char": 3,
    }


def _write_run(lake: Path, run_id: str, articles: list[dict], quotes: list[dict]) -> None:
    write_part(lake, "articles", run_id, "00000", rows_to_table("articles", articles))
    write_part(lake, "quotes", run_id, "00000", rows_to_table("quotes", quotes))
    write_part(
        lake,
        "entities",
        run_id,
        "00000",
        rows_to_table("entities", [{"entity_id": "e1", "name": "Ann Lee", "label": "PERSON"}]),
    )
    ensure_run_parts(lake, run_id)


def test_parts_are_written_atomically_and_read_back(tmp_path: Path) -> None:
    _write_run(tmp_path, "r1", [_article("a1", "s1", "r1")], [_quote("a1", "q1")])
    assert not list(tmp_path.rglob("*.tmp"))
    assert read_run(tmp_path, "articles", "r1").num_rows == 1
    assert read_run(tmp_path, "boilerplate", "r1").num_rows == 0  # the empty part keeps the glob valid


def test_load_replaces_changed_articles_without_duplicates(tmp_path: Path) -> None:
    wh, lake = tmp_path / "w.duckdb", tmp_path / "lake"
    _write_run(
        lake, "r1", [_article("a1", "s1", "r1"), _article("a2", "s2", "r1")], [_quote("a1", "q1"), _quote("a2", "q2")]
    )
    counts = load_run(wh, lake, "r1").counts
    assert counts["articles"] == 2 and counts["quotes"] == 2 and counts["entities"] == 1
    # a2 changed: its rows are replaced, a1 is untouched
    _write_run(lake, "r2", [_article("a2", "s2b", "r2")], [_quote("a2", "q2b")])
    counts = load_run(wh, lake, "r2").counts
    assert counts["articles"] == 2 and counts["quotes"] == 2
    assert known_hashes(wh) == {"a1": "s1", "a2": "s2b"}
    with connect(wh, read_only=True) as con:
        assert con.execute("SELECT quote_id FROM quotes ORDER BY 1").fetchall() == [("q1",), ("q2b",)]


def test_failed_load_changes_nothing(tmp_path: Path) -> None:
    wh, lake = tmp_path / "w.duckdb", tmp_path / "lake"
    _write_run(lake, "r1", [_article("a1", "s1", "r1")], [_quote("a1", "q1")])
    load_run(wh, lake, "r1")
    # a run whose quotes clash on the primary key fails half-way through its statements
    _write_run(lake, "r2", [_article("a9", "s9", "r2")], [_quote("a9", "q1")])
    with pytest.raises(duckdb.Error):
        load_run(wh, lake, "r2")
    with connect(wh, read_only=True) as con:
        assert con.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]


def test_integrity_violation_rolls_back_the_whole_load(tmp_path: Path) -> None:
    wh, lake = tmp_path / "w.duckdb", tmp_path / "lake"
    _write_run(lake, "r1", [_article("a1", "s1", "r1")], [_quote("a1", "q1")])
    assert load_run(wh, lake, "r1").committed
    # a quote whose article is in neither the run nor the warehouse
    _write_run(lake, "r2", [_article("a2", "s2", "r2")], [_quote("a2", "q2"), _quote("zz", "q3")])
    result = load_run(wh, lake, "r2")
    assert not result.committed
    assert result.violations == [("quotes.article_exists", 1)]
    with connect(wh, read_only=True) as con:
        assert con.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
        assert con.execute("SELECT count(*) FROM quotes").fetchone() == (1,)


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    with connect(wh) as con:
        con.execute("UPDATE schema_info SET schema_version = 999")
    with pytest.raises(WarehouseSchemaError, match="999"), connect(wh):
        pass


def test_read_only_missing_warehouse_is_clear(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="newsquotes run"), connect(tmp_path / "x.duckdb", read_only=True):
        pass
