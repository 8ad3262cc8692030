"""The DuckDB warehouse file: schema, loading a run from the lake, run bookkeeping."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from newsquotes.errors import WarehouseSchemaError
from newsquotes.faults import checkpoint
from newsquotes.lake import run_glob
from newsquotes.output_errors import OutputWriteError, write_failure_reason
from newsquotes.schema import MIGRATIONS, RUN_TABLES, SCHEMA_VERSION, arrow_schema, migrate, rows_to_table
from newsquotes.staging import published_path
from warehouse import sql_statements, sql_text


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (creating it and its schema when writing) and close it afterwards.

    A writing connection checkpoints every commit into the file at once (``checkpoint_threshold`` 0): a commit
    that cannot be written (disk full, read-only file system) fails whole and leaves the warehouse as it was,
    instead of succeeding into the write-ahead log and failing later at a silent checkpoint.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist yet: run `newsquotes run` first")
    con = duckdb.connect(str(path), read_only=True) if read_only else _open_for_writing(path)
    try:
        yield con
    finally:
        con.close()


def _open_for_writing(path: Path) -> duckdb.DuckDBPyConnection:
    existed = path.exists()
    con: duckdb.DuckDBPyConnection | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
        con.execute("SET checkpoint_threshold = '0b'")
        con.execute("BEGIN TRANSACTION")  # the schema statements rewrite views: one commit, never half of them
        try:
            ensure_schema(con, path)
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            raise
        return con
    except BaseException as exc:
        if con is not None:
            with contextlib.suppress(Exception):
                con.close()
        reason = write_failure_reason(exc) if isinstance(exc, OSError | duckdb.Error) else None
        if reason is None:
            raise
        shown = published_path(path)
        if existed:
            _drop_empty_wal(path)
            message = f"cannot open the warehouse {shown} for writing: {reason}; the warehouse is unchanged"
        else:  # a half-created file would look like a warehouse to the next run
            for leftover in (path, _wal(path)):
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
            message = f"cannot create the warehouse {shown}: {reason}"
        raise OutputWriteError(message, path=shown, reason=reason) from exc


def _wal(path: Path) -> Path:
    return Path(f"{path}.wal")


def _drop_empty_wal(path: Path) -> None:
    """After a failed write, remove the write-ahead log DuckDB truncated back to nothing (it holds no commit)."""
    wal = _wal(path)
    with contextlib.suppress(OSError):
        if wal.stat().st_size == 0:
            wal.unlink()


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open: a failed COMMIT has already ended (and undone) it, and a
    fatal I/O error invalidates the connection; either way the original error is the one to report."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def ensure_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    for statement in sql_statements("schema"):
        con.execute(statement)
    row = con.execute("SELECT max(schema_version) FROM schema_info").fetchone()
    version = row[0] if row else None
    if version is None:
        con.execute("INSERT INTO schema_info VALUES (?, ?)", [SCHEMA_VERSION, datetime.now(UTC)])
    elif version in MIGRATIONS:
        migrate(con, version)
    elif version != SCHEMA_VERSION:
        raise WarehouseSchemaError(
            f"warehouse {published_path(path)} has schema version {version}, this newsquotes writes {SCHEMA_VERSION}; "
            "rebuild it into a new file"
        )


def known_hashes(path: Path) -> dict[str, str]:
    """article_id -> content_sha256 of everything loaded so far (empty for a new warehouse)."""
    if not Path(path).exists():
        return {}
    with connect(path, read_only=True) as con:
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
    """Load the run's lake partitions and its bookkeeping rows into ``path`` in ONE transaction (a run loads
    its staging copy, published afterwards as a whole: see ``newsquotes.staging``).

    ``post_load`` (entity resolution, quote clusters) runs inside the same transaction after the rows are in.
    The cross-table rules of ``warehouse/integrity_checks.sql`` are checked before the commit: any violation
    rolls the whole load back (``committed`` is False) and nothing changes.
    """
    try:
        return _load_run(path, lake_dir, run_id, bookkeeping, post_load)
    except (OSError, duckdb.Error) as exc:
        reason = write_failure_reason(exc)
        if reason is None:
            raise
        _drop_empty_wal(path)
        detail = _failure_detail(exc, path)
        shown = published_path(path)
        where = f"{shown} ({detail})" if detail else str(shown)
        raise OutputWriteError(
            f"{reason} while loading {where}; the warehouse is unchanged", path=shown, reason=reason
        ) from exc


def _load_run(
    path: Path,
    lake_dir: Path,
    run_id: str,
    bookkeeping: dict[str, pa.Table] | None,
    post_load: Callable[[duckdb.DuckDBPyConnection], dict[str, Any]] | None,
) -> LoadResult:
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
            checkpoint("load")
            con.execute("COMMIT")  # also checkpoints into the file (see connect)
        except BaseException:
            _rollback(con)
            raise
        result.committed = True
        result.counts = table_counts(con)
        return result


def _failure_detail(exc: BaseException, warehouse: Path) -> str | None:
    """Where in the load DuckDB failed, when its message says: the write-ahead log, the checkpoint, a lake file."""
    match = re.search(r'file "([^"]+)"', str(exc))
    name = match.group(1) if match else getattr(exc, "filename", None)
    if name and str(name) == str(_wal(warehouse)):
        return f"writing the write-ahead log {name}"
    if "checkpoint" in str(exc).lower():
        return "writing the checkpoint into the file"
    if name and str(name) != str(warehouse):
        return f"at {name}"
    return None


def append_bookkeeping(path: Path, tables: dict[str, pa.Table]) -> None:
    """Append run bookkeeping (errors, check results, run rows) in one transaction."""
    try:
        with connect(path) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for table, data in tables.items():
                    append_rows(con, table, data)
                con.execute("COMMIT")
            except BaseException:
                _rollback(con)
                raise
    except (OSError, duckdb.Error) as exc:
        reason = write_failure_reason(exc)
        if reason is None:
            raise
        _drop_empty_wal(path)
        shown = published_path(path)
        raise OutputWriteError(
            f"{reason} while recording the run's bookkeeping ({', '.join(tables)}) in {shown}; none of it was written",
            path=shown,
            reason=reason,
        ) from exc


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
    with connect(path, read_only=True) as con:
        return [tuple(r) for r in con.execute(sql_text("signatures")).fetchall()]  # type: ignore[misc]
