"""The DuckDB warehouse file: schema, loading a run from the lake, run bookkeeping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from newsquotes.errors import WarehouseSchemaError
from newsquotes.lake import run_glob
from newsquotes.schema import RUN_TABLES, SCHEMA_VERSION, arrow_schema, rows_to_table
from warehouse import sql_statements, sql_text


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (creating it and its schema when writing) and close it afterwards."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist yet: run `newsquotes run` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        if not read_only:
            ensure_schema(con, path)
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    for statement in sql_statements("schema"):
        con.execute(statement)
    row = con.execute("SELECT max(schema_version) FROM schema_info").fetchone()
    version = row[0] if row else None
    if version is None:
        con.execute("INSERT INTO schema_info VALUES (?, ?)", [SCHEMA_VERSION, datetime.now(UTC)])
    elif version != SCHEMA_VERSION:
        raise WarehouseSchemaError(
            f"warehouse {path} has schema version {version}, this newsquotes writes {SCHEMA_VERSION}; "
            "rebuild it into a new file"
        )


def known_hashes(path: Path) -> dict[str, str]:
    """article_id -> content_sha256 of everything loaded so far (empty for a new warehouse)."""
    if not Path(path).exists():
        return {}
    with connect(path) as con:
        return dict(con.execute(sql_text("known_hashes")).fetchall())


def append_rows(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    if data.num_rows:
        con.from_arrow(data.select(arrow_schema(table).names)).insert_into(table)


@dataclass(slots=True)
class LoadResult:
    """What a load did: the table counts after it, and the cross-table rules it checked."""

    committed: bool
    counts: dict[str, int] = field(default_factory=dict)
    integrity: list[tuple[str, int]] = field(default_factory=list)  # (rule, violations)
    post_load: dict[str, Any] = field(default_factory=dict)  # figures of the post-load step (entity resolution)

    @property
    def violations(self) -> list[tuple[str, int]]:
        return [(rule, n) for rule, n in self.integrity if n]

    def dq_rows(self, run_id: str, at: datetime) -> list[dict[str, Any]]:
        return [
            {
                "run_id": run_id,
                "suite": "warehouse",
                "expectation": rule,
                "column_name": None,
                "severity": "error",
                "success": n == 0,
                "observed_value": f"{n} violations",
                "unexpected_count": n,
                "element_count": None,
                "checked_at": at,
            }
            for rule, n in self.integrity
        ]


def load_run(
    path: Path,
    lake_dir: Path,
    run_id: str,
    bookkeeping: dict[str, pa.Table] | None = None,
    post_load: Callable[[duckdb.DuckDBPyConnection], dict[str, Any]] | None = None,
) -> LoadResult:
    """Publish the run's lake partitions and its bookkeeping rows in ONE transaction.

    ``post_load`` (entity resolution, quote clusters) runs inside the same transaction after the rows are in.
    The cross-table rules of ``warehouse/integrity_checks.sql`` are checked before the commit: any violation
    rolls the whole load back (``committed`` is False) and nothing changes.
    """
    params = {table: run_glob(lake_dir, table, run_id) for table in RUN_TABLES}
    with connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in sql_statements("load_run"):
                used = {k: v for k, v in params.items() if f"${k}" in statement}
                con.execute(statement, used)
            figures = post_load(con) if post_load is not None else {}
            result = LoadResult(committed=False, integrity=con.execute(sql_text("integrity_checks")).fetchall())
            result.post_load = figures
            if result.violations:
                con.execute("ROLLBACK")
                return result
            for table, data in (bookkeeping or {}).items():
                append_rows(con, table, data)
            append_rows(con, "dq_results", rows_to_table("dq_results", result.dq_rows(run_id, datetime.now(UTC))))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        result.committed = True
        result.counts = table_counts(con)
        return result


def append_bookkeeping(path: Path, tables: dict[str, pa.Table]) -> None:
    """Append run bookkeeping (errors, check results, run rows) in one transaction."""
    with connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for table, data in tables.items():
                append_rows(con, table, data)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    cursor = con.execute(sql_text("table_counts"))
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone() or ()
    return dict(zip(names, row, strict=True))


def query_rows(path: Path, sql_name: str, params: dict | list | None = None) -> list[dict]:
    """Rows of ``warehouse/<sql_name>.sql`` as dicts (read-only connection)."""
    with connect(path, read_only=True) as con:
        cursor = con.execute(sql_text(sql_name), params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def loaded_signatures(path: Path) -> list[tuple[str, str, str, list[int], str | None]]:
    """(article_id, content_sha256, body_sha256, minhash, duplicate_of) of every loaded article, first copies first."""
    if not Path(path).exists():
        return []
    with connect(path) as con:
        return [tuple(r) for r in con.execute(sql_text("signatures")).fetchall()]  # type: ignore[misc]
