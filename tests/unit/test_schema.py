from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from newsquotes.schema import LAKE_TABLES, SCHEMA_VERSION, arrow_schema, rows_to_table, table_names
from newsquotes.warehouse_db import connect


def test_contract_columns_exist() -> None:
    contract = {
        "articles": [
            "article_id",
            "source_path",
            "title",
            "body",
            "content_sha256",
            "word_count",
            "run_id",
            "ingested_at",
            "outlet",
            "author",
            "published_at",
            "url",
            "language",
        ],
        "entities": ["entity_id", "name", "label"],
        "entity_mentions": ["article_id", "entity_id", "text", "label", "start_char", "end_char"],
        "quotes": [
            "quote_id",
            "article_id",
            "quote_text",
            "kind",
            "speaker_name",
            "speaker_entity_id",
            "speaker_type",
            "speaker_text",
            "cue",
            "start_char",
            "end_char",
        ],
        "pipeline_runs": ["run_id", "started_at", "finished_at", "status"],
        "ingest_errors": ["source_path", "stage", "reason"],
    }
    for table, columns in contract.items():
        assert set(columns) <= set(arrow_schema(table).names), table


# The contract of the warehouse, written out by hand (not derived from warehouse/schema.sql): one dict per table,
# column -> (DuckDB type, nullable), in column order. A change to the DDL must change this on purpose (and bump
# SCHEMA_VERSION); a new column is one more line here.
V, INT, BIG, D, TS, TSZ, BOOL = (
    "VARCHAR",
    "INTEGER",
    "BIGINT",
    "DOUBLE",
    "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE",
    "BOOLEAN",
)
NULL, NOT_NULL = True, False
CONTRACT: dict[str, dict[str, tuple[str, bool]]] = {
    "schema_info": {"schema_version": (INT, NOT_NULL), "created_at": (TSZ, NOT_NULL)},
    "articles": {
        "article_id": (V, NOT_NULL),
        "source_path": (V, NOT_NULL),
        "record_index": (INT, NOT_NULL),
        "title": (V, NOT_NULL),
        "body": (V, NOT_NULL),
        "content_sha256": (V, NOT_NULL),
        "word_count": (INT, NOT_NULL),
        "outlet": (V, NULL),
        "author": (V, NULL),
        "published_at": (TS, NULL),
        "url": (V, NULL),
        "language": (V, NULL),
        "run_id": (V, NOT_NULL),
        "ingested_at": (TSZ, NOT_NULL),
        "duplicate_of": (V, NULL),
        "duplicate_kind": (V, NULL),
        "duplicate_similarity": (D, NULL),
    },
    "entities": {"entity_id": (V, NOT_NULL), "name": (V, NOT_NULL), "label": (V, NOT_NULL)},
    "entity_mentions": {
        "mention_id": (V, NOT_NULL),
        "article_id": (V, NOT_NULL),
        "entity_id": (V, NOT_NULL),
        "text": (V, NOT_NULL),
        "label": (V, NOT_NULL),
        "start_char": (INT, NOT_NULL),
        "end_char": (INT, NOT_NULL),
        "local_name": (V, NULL),
        "method": (V, NULL),
    },
    "quotes": {
        "quote_id": (V, NOT_NULL),
        "article_id": (V, NOT_NULL),
        "quote_text": (V, NOT_NULL),
        "kind": (V, NOT_NULL),
        "speaker_name": (V, NULL),
        "speaker_entity_id": (V, NULL),
        "speaker_type": (V, NULL),
        "speaker_role": (V, NULL),
        "cue": (V, NULL),
        "start_char": (INT, NOT_NULL),
        "end_char": (INT, NOT_NULL),
        "quote_cluster_id": (V, NULL),
        "speaker_text": (V, NULL),
    },
    "article_signatures": {
        "article_id": (V, NOT_NULL),
        "body_sha256": (V, NOT_NULL),
        "minhash": ("UINTEGER[]", NOT_NULL),
    },
    "entity_aliases": {"alias": (V, NOT_NULL), "entity_id": (V, NOT_NULL), "rule": (V, NOT_NULL)},
    "boilerplate": {
        "article_id": (V, NOT_NULL),
        "line_no": (INT, NOT_NULL),
        "line": (V, NOT_NULL),
        "reason": (V, NOT_NULL),
    },
    "ingest_errors": {
        "run_id": (V, NOT_NULL),
        "source_path": (V, NOT_NULL),
        "stage": (V, NOT_NULL),
        "reason": (V, NOT_NULL),
        "occurred_at": (TSZ, NOT_NULL),
    },
    "dq_results": {
        "run_id": (V, NOT_NULL),
        "suite": (V, NOT_NULL),
        "expectation": (V, NOT_NULL),
        "column_name": (V, NULL),
        "severity": (V, NOT_NULL),
        "success": (BOOL, NOT_NULL),
        "observed_value": (V, NULL),
        "unexpected_count": (BIG, NULL),
        "element_count": (BIG, NULL),
        "checked_at": (TSZ, NOT_NULL),
    },
    "pipeline_runs": {
        "run_id": (V, NOT_NULL),
        "flow_run_id": (V, NULL),
        "input_dir": (V, NOT_NULL),
        "started_at": (TSZ, NOT_NULL),
        "finished_at": (TSZ, NOT_NULL),
        "status": (V, NOT_NULL),
        "files_seen": (INT, NOT_NULL),
        "articles_read": (INT, NOT_NULL),
        "articles_loaded": (INT, NOT_NULL),
        "articles_skipped": (INT, NOT_NULL),
        "articles_rejected": (INT, NOT_NULL),
        "entities": (INT, NOT_NULL),
        "mentions": (INT, NOT_NULL),
        "quotes": (INT, NOT_NULL),
        "quotes_attributed": (INT, NOT_NULL),
        "rows_quarantined": (INT, NOT_NULL),
        "checks_passed": (INT, NOT_NULL),
        "checks_failed": (INT, NOT_NULL),
        "words": (BIG, NOT_NULL),
        "duration_s": (D, NOT_NULL),
    },
    "run_metrics": {
        "run_id": (V, NOT_NULL),
        "scope": (V, NOT_NULL),
        "outlet": (V, NULL),
        "started_at": (TSZ, NOT_NULL),
        "articles": (INT, NOT_NULL),
        "words": (BIG, NOT_NULL),
        "quotes": (INT, NOT_NULL),
        "quotes_attributed": (INT, NOT_NULL),
        "quotes_per_article": (D, NULL),
        "attributed_share": (D, NULL),
        "articles_rejected": (INT, NULL),
        "rows_quarantined": (INT, NOT_NULL),
        "nlp_seconds": (D, NULL),
    },
    "quarantine_log": {
        "run_id": (V, NOT_NULL),
        "table_name": (V, NOT_NULL),
        "row_key": (V, NOT_NULL),
        "failed_rules": (V, NOT_NULL),
        "quarantined_at": (TSZ, NOT_NULL),
    },
}
# the quarantine tables: every column of their table (nullable: a quarantined row may break any rule), plus two
QUARANTINED = {
    "quarantine_articles": "articles",
    "quarantine_quotes": "quotes",
    "quarantine_entity_mentions": "entity_mentions",
}
for _name, _of in QUARANTINED.items():
    CONTRACT[_name] = {
        **{column: (kind, NULL) for column, (kind, _nullable) in CONTRACT[_of].items()},
        "failed_rules": (V, NULL),
        "quarantine_run_id": (V, NULL),
    }
# how the lake stores each DuckDB type (Parquet via Arrow)
ARROW_TYPES = {
    V: pa.string(),
    INT: pa.int32(),
    BIG: pa.int64(),
    D: pa.float64(),
    BOOL: pa.bool_(),
    TS: pa.timestamp("us"),
    TSZ: pa.timestamp("us", tz="Etc/UTC"),
    "UINTEGER[]": pa.list_(pa.field("l", pa.uint32())),
}


def test_warehouse_tables_are_the_contract(tmp_path: Path) -> None:
    """A warehouse created by newsquotes has exactly the contract's tables, columns, types and nullability."""
    with connect(tmp_path / "w.duckdb") as con:
        rows = con.execute(
            """SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()
               WHERE NOT internal AND table_name IN (SELECT table_name FROM duckdb_tables())
               ORDER BY table_name, column_index"""
        ).fetchall()
    found: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, column, kind, nullable in rows:
        found.setdefault(table, {})[column] = (kind, bool(nullable))
    assert sorted(found) == sorted(CONTRACT)
    for table, columns in CONTRACT.items():
        assert list(found[table].items()) == list(columns.items()), table
    assert set(table_names()) == set(CONTRACT)


def test_lake_schemas_are_the_contract() -> None:
    """Every Arrow schema of the lake has the contract's columns, in order, with the matching type and nullability."""
    for table, columns in CONTRACT.items():
        expected = pa.schema([pa.field(c, ARROW_TYPES[kind], nullable=n) for c, (kind, n) in columns.items()])
        assert arrow_schema(table) == expected, table


def test_lake_tables_are_warehouse_tables() -> None:
    assert set(LAKE_TABLES) <= set(table_names())
    assert isinstance(SCHEMA_VERSION, int)


def test_rows_to_table_enforces_not_null() -> None:
    with pytest.raises((ValueError, pa.ArrowInvalid)):
        rows_to_table("entities", [{"entity_id": "e1", "name": None, "label": "PERSON"}])


def test_unknown_table() -> None:
    with pytest.raises(KeyError):
        arrow_schema("nope")
