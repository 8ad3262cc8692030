"""Table schemas: derived once from ``warehouse/schema.sql`` so Arrow (Parquet) and DuckDB agree."""

from __future__ import annotations

from functools import cache

import duckdb
import pyarrow as pa

from warehouse import sql_statements

SCHEMA_VERSION = 5
# Warehouses of an older version are brought up to SCHEMA_VERSION in place, one step at a time:
# version -> the ``warehouse/<name>.sql`` script that makes it the next version.
MIGRATIONS = {3: "migrate_v3", 4: "migrate_v4"}

# Tables written to the Parquet lake by every run and loaded into DuckDB from it.
LAKE_TABLES = ("articles", "entities", "entity_mentions", "quotes", "boilerplate", "article_signatures")
# Every table with a per-run partition in the lake: the batch tables plus the validation's quarantine log.
RUN_TABLES = (*LAKE_TABLES, "quarantine_log")


@cache
def _schemas() -> dict[str, pa.Schema]:
    con = duckdb.connect(":memory:")
    try:
        for statement in sql_statements("schema"):
            con.execute(statement)
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
        schemas: dict[str, pa.Schema] = {}
        for table in tables:
            arrow = con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table().schema
            not_null = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT is_nullable", [table]
                ).fetchall()
            }
            schemas[table] = pa.schema([f.with_nullable(f.name not in not_null) for f in arrow])
        return schemas
    finally:
        con.close()


def migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Apply the migrations from ``version`` to SCHEMA_VERSION and record the new version (the caller holds
    the transaction)."""
    while version < SCHEMA_VERSION:
        for statement in sql_statements(MIGRATIONS[version]):
            con.execute(statement)
        version += 1
    con.execute("INSERT INTO schema_info VALUES (?, now())", [version])
    for statement in sql_statements("schema"):  # views over the migrated tables
        con.execute(statement)


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a warehouse table (columns, types and nullability as in the DDL)."""
    try:
        return _schemas()[table]
    except KeyError:
        raise KeyError(f"unknown warehouse table {table!r}") from None


def table_names() -> list[str]:
    return sorted(_schemas())


def empty_table(table: str) -> pa.Table:
    return arrow_schema(table).empty_table()


def rows_to_table(table: str, rows: list[dict]) -> pa.Table:
    """Build an Arrow table of a warehouse table from row dicts (missing keys become NULL)."""
    schema = arrow_schema(table)
    data = pa.Table.from_pylist(rows, schema=schema)
    for f in schema:
        if not f.nullable and data.column(f.name).null_count:
            raise ValueError(f"{table}.{f.name} must not be NULL ({data.column(f.name).null_count} rows are)")
    return data
