"""Data-quality checks: run the Great Expectations suites in ``expectations/`` against a run's tables.

Great Expectations cannot validate DuckDB through SQLAlchemy, so suites run on pandas frames of the
run's Parquet partitions before they are published to the warehouse.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from typing import Any

import pandas as pd

from expectations import suite_definition, suite_names

SEVERITIES = ("error", "warning")


@dataclass(frozen=True, slots=True)
class CheckResult:
    suite: str
    expectation: str
    column_name: str | None
    severity: str
    success: bool
    observed_value: str | None
    unexpected_count: int | None
    element_count: int | None

    def as_row(self, run_id: str, checked_at: datetime) -> dict[str, Any]:
        return {"run_id": run_id, "checked_at": checked_at, **asdict(self)}


def suite_with_settings(name: str, settings_values: Mapping[str, Any]) -> dict:
    """The suite definition with thresholds taken from settings where an expectation names one.

    An expectation whose ``meta.mostly_setting`` names a setting gets ``kwargs.mostly`` from it.
    """
    suite = suite_definition(name)
    for exp in suite["expectations"]:
        meta = exp.setdefault("meta", {})
        meta.setdefault("severity", "error")
        if meta["severity"] not in SEVERITIES:
            raise ValueError(f"suite {name}: unknown severity {meta['severity']!r}")
        setting = meta.get("mostly_setting")
        if setting:
            exp["kwargs"]["mostly"] = float(settings_values[setting])
    return suite


@cache
def _context() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context


def _batch(table: str, frame: pd.DataFrame) -> Any:
    context = _context()
    source_name = "newsquotes"
    try:
        source = context.data_sources.get(source_name)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(source_name)
    try:
        asset = source.get_asset(table)
    except (LookupError, ValueError):
        asset = source.add_dataframe_asset(table)
    try:
        definition = asset.get_batch_definition(table)
    except (KeyError, ValueError):
        definition = asset.add_batch_definition_whole_dataframe(table)
    return definition.get_batch(batch_parameters={"dataframe": frame})


def _observed(result: Mapping[str, Any]) -> str | None:
    if "observed_value" in result:
        return json.dumps(result["observed_value"], default=str)
    if "unexpected_percent" in result and result["unexpected_percent"] is not None:
        return f"{float(result['unexpected_percent']):.2f}% unexpected"
    return None


def validate_frame(suite_def: dict, frame: pd.DataFrame) -> list[CheckResult]:
    """Run one suite against one table's rows."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    name = suite_def["name"]
    suite = gx.ExpectationSuite(
        name=name,
        expectations=[ExpectationConfiguration(**e) for e in suite_def["expectations"]],
    )
    outcome = _batch(suite_def.get("meta", {}).get("table", name), frame).validate(
        suite, result_format={"result_format": "SUMMARY"}
    )
    results = []
    for r in outcome.results:
        config = r.expectation_config
        kwargs = config.kwargs
        column = kwargs.get("column") or ",".join(
            str(kwargs[k]) for k in ("column_A", "column_B") if kwargs.get(k) is not None
        )
        res = r.result or {}
        results.append(
            CheckResult(
                suite=name,
                expectation=config.type,
                column_name=column or None,
                severity=(config.meta or {}).get("severity", "error"),
                success=bool(r.success),
                observed_value=_observed(res),
                unexpected_count=res.get("unexpected_count"),
                element_count=res.get("element_count"),
            )
        )
    return results


def validate_tables(frames: Mapping[str, pd.DataFrame], settings_values: Mapping[str, Any]) -> list[CheckResult]:
    """Run every suite whose table is among ``frames``."""
    results: list[CheckResult] = []
    for name in suite_names():
        suite = suite_with_settings(name, settings_values)
        table = suite.get("meta", {}).get("table", name)
        if table in frames:
            results.extend(validate_frame(suite, frames[table]))
    return results


def gate_status(results: list[CheckResult]) -> str:
    """'failed' if an error-severity check failed, 'warned' if only warnings failed, else 'completed'."""
    failed = [r for r in results if not r.success]
    if any(r.severity == "error" for r in failed):
        return "failed"
    return "warned" if failed else "completed"
