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
