"""Re-checking a whole warehouse: every suite over its current tables, plus the cross-table SQL rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsquotes.quality import CheckResult, ValidationOutcome, validate_tables
from newsquotes.report import integrity_checks
from newsquotes.schema import LAKE_TABLES
from newsquotes.warehouse_db import connect
from warehouse import sql_text


@dataclass(slots=True)
class WarehouseValidation:
    outcome: ValidationOutcome
    checks: list[CheckResult]

    @property
    def ok(self) -> bool:
        """No error-severity check failed (in a published warehouse, a failing row is a defect too)."""
        return not any(not c.success and c.severity == "error" for c in self.checks)


def validate_warehouse(
    warehouse: Path, settings_values: dict[str, Any], project_dir: Path | None
) -> WarehouseValidation:
    with connect(warehouse, read_only=True) as con:
        frames = {t: con.sql(f"SELECT * FROM {t}").df() for t in LAKE_TABLES}
        integrity = con.execute(sql_text("integrity_checks")).fetchall()
    run_name = f"validate-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    outcome = validate_tables(frames, settings_values, project_dir=project_dir, run_name=run_name)
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
