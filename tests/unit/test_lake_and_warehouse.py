from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from newsquotes.errors import WarehouseSchemaError
from newsquotes.lake import ensure_run_parts, read_run, write_part
from newsquotes.output_errors import OutputWriteError
from newsquotes.schema import rows_to_table
from newsquotes.warehouse_db import append_bookkeeping, connect, known_hashes, load_run
from tests.output_faults import DISK_FULL_REASON, fill, read_only, small_disk

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


# --- output that cannot be written: read-only folders and full disks (see tests/output_faults.py) ---


def _snapshot(wh: Path) -> dict[str, tuple[int, int]]:
    """(row count, order-independent checksum of whole rows) of every table of the warehouse."""
    with connect(wh, read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        return {t: con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {t} AS t").fetchone() for t in tables}


def _big_articles(run_id: str, n: int) -> list[dict]:
    """Articles whose bodies do not compress: n * 64 KB of Parquet."""
    return [
        {**_article(f"{run_id}-a{i}", f"{run_id}-s{i}", run_id), "body": os.urandom(32 * 1024).hex()} for i in range(n)
    ]


def test_read_only_lake_is_a_clear_error_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_part(lake, "articles", "r1", "00000", rows_to_table("articles", [_article("a1", "s1", "r1")]))
    with read_only(lake) as reason:
        with pytest.raises(OutputWriteError, match=re.escape(f"cannot write the Parquet lake at {lake}: {reason}")):
            write_part(lake, "articles", "r1", "00001", rows_to_table("articles", [_article("a2", "s2", "r1")]))
        with pytest.raises(OutputWriteError) as new_run:  # the run's folder cannot even be made
            write_part(lake, "quotes", "r2", "00000", rows_to_table("quotes", [_quote("a1", "q1")]))
    assert new_run.value.reason == reason and new_run.value.path == lake
    assert [p.name for p in lake.rglob("*") if p.is_file()] == ["part-00000.parquet"]
    assert not (lake / "quotes").exists()
    assert read_run(lake, "articles", "r1").num_rows == 1


def test_full_disk_while_writing_a_part_removes_the_temporary_file(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    with small_disk(lake, "2m"):
        write_part(lake, "articles", "r1", "00000", rows_to_table("articles", _big_articles("r1", 4)))
        fill(lake, leave=128 * 1024)
        with pytest.raises(
            OutputWriteError, match=re.escape(f"cannot write the Parquet lake at {lake}: {DISK_FULL_REASON}")
        ):
            write_part(lake, "articles", "r1", "00001", rows_to_table("articles", _big_articles("r1", 4)))
        assert not list(lake.rglob("*.tmp"))
        assert read_run(lake, "articles", "r1").num_rows == 4  # the earlier part is intact


def test_disk_filling_during_the_load_rolls_back_and_says_the_warehouse_is_unchanged(tmp_path: Path) -> None:
    wh_dir, lake = tmp_path / "wh", tmp_path / "lake"
    wh = wh_dir / "w.duckdb"
    _write_run(lake, "r1", [_article("a1", "s1", "r1")], [_quote("a1", "q1")])
    _write_run(lake, "r2", _big_articles("r2", 8), [_quote("r2-a0", "q2")])
    with small_disk(wh_dir, "16m"):
        assert load_run(wh, lake, "r1").committed
        before = _snapshot(wh)

        def disk_fills(con: duckdb.DuckDBPyConnection) -> dict:  # another writer takes the space mid-load
            fill(wh_dir)
            return {}

        with pytest.raises(OutputWriteError) as failed:
            load_run(wh, lake, "r2", post_load=disk_fills)
        assert str(failed.value) == (
            f"{DISK_FULL_REASON} while loading {wh} (writing the checkpoint into the file); the warehouse is unchanged"
        )
        assert failed.value.path == wh and isinstance(failed.value.__cause__, duckdb.Error)
        assert _snapshot(wh) == before
        assert sorted(p.name for p in wh_dir.iterdir()) == ["filler.bin", "w.duckdb"]  # no write-ahead log left
        (wh_dir / "filler.bin").unlink()  # space again: the same load now goes through
        assert load_run(wh, lake, "r2").counts["articles"] == 9


def test_full_disk_before_the_load_fails_at_open_and_changes_nothing(tmp_path: Path) -> None:
    wh_dir, lake = tmp_path / "wh", tmp_path / "lake"
    wh = wh_dir / "w.duckdb"
    _write_run(lake, "r1", [_article("a1", "s1", "r1")], [_quote("a1", "q1")])
    _write_run(lake, "r2", [_article("a2", "s2", "r2")], [_quote("a2", "q2")])
    with small_disk(wh_dir, "16m"):
        load_run(wh, lake, "r1")
        before = _snapshot(wh)
        fill(wh_dir)
        message = f"cannot open the warehouse {wh} for writing: {DISK_FULL_REASON}; the warehouse is unchanged"
        with pytest.raises(OutputWriteError) as failed:
            load_run(wh, lake, "r2")
        assert str(failed.value) == message
        assert known_hashes(wh) == {"a1": "s1"}  # lookups only read: a full disk does not stop them
        assert _snapshot(wh) == before


def test_full_disk_while_recording_bookkeeping_is_clear(tmp_path: Path) -> None:
    wh_dir = tmp_path / "wh"
    wh = wh_dir / "w.duckdb"
    with small_disk(wh_dir, "32m"):
        with connect(wh):
            pass
        before = _snapshot(wh)
        fill(wh_dir, leave=2 << 20)  # room to open the warehouse, not for 8 MB of rows
        rows = rows_to_table("articles", _big_articles("r1", 128))
        with pytest.raises(
            OutputWriteError, match=f"{DISK_FULL_REASON} while recording .* in {re.escape(str(wh))}; none of it"
        ):
            append_bookkeeping(wh, {"articles": rows})
        assert _snapshot(wh) == before


def test_creating_a_warehouse_on_a_full_disk_leaves_no_half_file(tmp_path: Path) -> None:
    wh_dir = tmp_path / "wh"
    wh = wh_dir / "w.duckdb"
    with small_disk(wh_dir, "1m"):
        fill(wh_dir)
        with pytest.raises(OutputWriteError, match=re.escape(f"cannot create the warehouse {wh}: {DISK_FULL_REASON}")):
            load_run(wh, tmp_path / "lake", "r1")
        assert [p.name for p in wh_dir.iterdir()] == ["filler.bin"]


def test_warehouse_in_a_read_only_folder_cannot_be_opened_for_writing_but_can_be_read(tmp_path: Path) -> None:
    wh, lake = tmp_path / "wh" / "w.duckdb", tmp_path / "lake"
    _write_run(lake, "r1", [_article("a1", "s1", "r1")], [_quote("a1", "q1")])
    load_run(wh, lake, "r1")
    before = _snapshot(wh)
    _write_run(lake, "r2", [_article("a2", "s2", "r2")], [_quote("a2", "q2")])
    with read_only(wh.parent) as reason:
        with pytest.raises(OutputWriteError) as failed:
            load_run(wh, lake, "r2")
        assert str(failed.value) == f"cannot open the warehouse {wh} for writing: {reason}; the warehouse is unchanged"
        assert _snapshot(wh) == before
