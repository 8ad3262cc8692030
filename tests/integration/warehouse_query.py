"""Read-only queries against a test warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` from a short read-only connection (closed before returning)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# The published tables, and the columns that legitimately differ between two runs over the same input.
DATA_TABLES = ("articles", "entities", "entity_mentions", "quotes", "boilerplate", "article_signatures")
RUN_COLUMNS = {"run_id", "ingested_at"}


def data_snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of the published tables (run-specific columns left out), sorted: equal snapshots mean two
    warehouses hold the same data."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out: dict[str, list[tuple]] = {}
        for table in DATA_TABLES:
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in RUN_COLUMNS]
            listed = ", ".join(columns)
            rows = con.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()
            out[table] = rows
        return out
    finally:
        con.close()
