from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from newsquotes.schema import LAKE_TABLES, SCHEMA_VERSION, arrow_schema, rows_to_table, table_names
from warehouse import sql_statements


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
            "cue",
            "start_char",
            "end_char",
        ],
        "pipeline_runs": ["run_id", "started_at", "finished_at", "status"],
        "ingest_errors": ["source_path", "stage", "reason"],
    }
    for table, columns in contract.items():
        assert set(columns) <= set(arrow_schema(table).names), table


def test_arrow_schema_matches_duckdb_ddl() -> None:
    con = duckdb.connect()
    for statement in sql_statements("schema"):
        con.execute(statement)
    for table in table_names():
        ddl = con.execute(
            "SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
        schema = arrow_schema(table)
        assert [c for c, _ in ddl] == schema.names
        assert [bool(n) for _, n in ddl] == [f.nullable for f in schema]


def test_lake_tables_are_warehouse_tables() -> None:
    assert set(LAKE_TABLES) <= set(table_names())
    assert isinstance(SCHEMA_VERSION, int)


def test_rows_to_table_enforces_not_null() -> None:
    with pytest.raises((ValueError, pa.ArrowInvalid)):
        rows_to_table("entities", [{"entity_id": "e1", "name": None, "label": "PERSON"}])


def test_unknown_table() -> None:
    with pytest.raises(KeyError):
        arrow_schema("nope")
