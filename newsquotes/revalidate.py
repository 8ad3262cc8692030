"""Re-checking a whole warehouse: every suite over its current tables, plus the cross-table SQL rules.

The tables are not read into memory: DuckDB copies them into a temporary Parquet partition (articles in table
order, a part per ``ARTICLES_PER_PART`` of them with their quotes and mentions beside them, as a run's batches
are), which ``quality.validate_run`` checks a chunk at a time.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from newsquotes.lake import run_dir
from newsquotes.quality import CheckResult, ValidationOutcome, validate_run
from newsquotes.report import integrity_checks
from newsquotes.warehouse_db import connect
from warehouse import sql_text

ARTICLES_PER_PART = 1000
_EXPORT_RUN = "warehouse"


@dataclass(slots=True)
class WarehouseValidation:
    outcome: ValidationOutcome
    checks: list[CheckResult]

    @property
    def ok(self) -> bool:
        """No error-severity check failed (in a published warehouse, a failing row is a defect too)."""
        return not any(not c.success and c.severity == "error" for c in self.checks)


def export_partition(con: duckdb.DuckDBPyConnection, lake: Path, run: str, per_part: int = ARTICLES_PER_PART) -> None:
    """The warehouse's articles, entities, mentions and quotes as one lake partition of aligned part files."""
    part = f"(row_number() OVER (ORDER BY rowid) - 1) // {int(per_part)} AS __part"
    parts = f"(SELECT article_id, {part} FROM articles)"
    selects = {
        "articles": f"SELECT *, {part} FROM articles ORDER BY rowid",
        "entities": f"SELECT *, {part} FROM entities",
        **{
            table: f"SELECT c.*, coalesce(p.__part, -1) AS __part FROM {table} c LEFT JOIN {parts} p USING (article_id)"
            for table in ("entity_mentions", "quotes")
        },
    }
    for table, select in selects.items():
        staging = Path(lake) / f".{table}"
        con.execute(f"COPY ({select}) TO '{staging}' (FORMAT parquet, PARTITION_BY (__part), OVERWRITE_OR_IGNORE true)")
        target = run_dir(lake, table, run)
        target.mkdir(parents=True, exist_ok=True)
        for folder in staging.glob("__part=*"):
            part = int(folder.name.split("=", 1)[1])
            name = f"part-{part:06d}" if part >= 0 else "part-orphans"
            for i, f in enumerate(sorted(folder.glob("*.parquet"))):
                f.replace(target / f"{name}-{i:03d}.parquet")
        shutil.rmtree(staging)


def validate_warehouse(
    warehouse: Path, settings_values: dict[str, Any], project_dir: Path | None
) -> WarehouseValidation:
    with tempfile.TemporaryDirectory(prefix="newsquotes-revalidate-") as tmp:
        with connect(warehouse, read_only=True) as con:
            export_partition(con, Path(tmp), _EXPORT_RUN)
            integrity = con.execute(sql_text("integrity_checks")).fetchall()
        run_name = f"validate-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
        outcome = validate_run(Path(tmp), _EXPORT_RUN, settings_values, project_dir=project_dir, run_name=run_name)
    return WarehouseValidation(outcome=outcome, checks=[*outcome.results, *integrity_checks(integrity)])


def checks_table(checks: list[CheckResult]) -> str:
    """A fixed-width table of check results for the terminal."""
    header = ("result", "severity", "scope", "suite", "expectation", "column", "unexpected")
    rows = [
        (
            "pass" if c.success else "FAIL",
            c.severity,
            c.scope,
            c.suite,
            c.expectation,
            c.column_name or "",
            "" if c.unexpected_count is None else str(c.unexpected_count),
        )
        for c in checks
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    return "\n".join(lines)
