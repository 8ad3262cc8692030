"""Data-quality checks: the Great Expectations suites in ``expectations/`` over a run's tables.

Great Expectations cannot validate DuckDB through SQLAlchemy, so suites run on pandas frames of the run's
Parquet partitions before anything is published. Cross-table facts (does the quote's text match the
body at its offsets? does the mention's entity exist?) are computed into extra columns of those frames
(``validation_frames``) so that built-in expectation types can check them.

Each expectation's ``meta`` says:
- ``scope``: ``row`` — failing rows are quarantined and the rest load; ``table`` — an aggregate check.
- ``severity``: ``error`` — a failed table check blocks the load and fails the run; ``warning`` — the run
  loads and is marked warned. Quarantined rows also mark the run warned.
- ``mostly_setting`` (optional): the Settings field that gives ``kwargs.mostly``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from expectations import suite_definition, suite_names

SEVERITIES = ("error", "warning")
SCOPES = ("row", "table")
ROW_KEYS = {"articles": "article_id", "quotes": "quote_id", "entity_mentions": "mention_id"}
ARTICLE_CHILDREN = ("quotes", "entity_mentions")
DATASOURCE = "newsquotes"


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
    scope: str = "table"

    @property
    def rule(self) -> str:
        return f"{self.suite}.{self.expectation}({self.column_name or ''})"

    def as_row(self, run_id: str, checked_at: datetime) -> dict[str, Any]:
        row = asdict(self)
        row.pop("scope")
        return {"run_id": run_id, "checked_at": checked_at, **row}


@dataclass(slots=True)
class ValidationOutcome:
    results: list[CheckResult] = field(default_factory=list)
    # table -> row key -> failed rules (children of a quarantined article included)
    quarantine: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    data_docs: str | None = None

    def quarantine_rows(self, run_id: str, at: datetime) -> list[dict[str, Any]]:
        return [
            {
                "run_id": run_id,
                "table_name": table,
                "row_key": key,
                "failed_rules": "; ".join(rules),
                "quarantined_at": at,
            }
            for table, keys in sorted(self.quarantine.items())
            for key, rules in sorted(keys.items())
        ]

    @property
    def quarantined_count(self) -> int:
        return sum(len(v) for v in self.quarantine.values())


def suite_with_settings(name: str, settings_values: Mapping[str, Any]) -> dict:
    """The suite definition with defaults filled in and thresholds taken from settings where named."""
    suite = suite_definition(name)
    for exp in suite["expectations"]:
        meta = exp.setdefault("meta", {})
        meta.setdefault("severity", "error")
        meta.setdefault("scope", "table")
        if meta["severity"] not in SEVERITIES or meta["scope"] not in SCOPES:
            raise ValueError(f"suite {name}: bad severity/scope in {exp['type']}: {meta}")
        setting = meta.get("mostly_setting")
        if setting:
            exp["kwargs"]["mostly"] = float(settings_values[setting])
    return suite


def _slice_matches(bodies: pd.Series, texts: pd.Series, starts: pd.Series, ends: pd.Series) -> list[bool]:
    out = []
    for body, text, s, e in zip(bodies, texts, starts, ends, strict=True):
        out.append(isinstance(body, str) and 0 <= s <= e <= len(body) and body[int(s) : int(e)] == text)
    return out


def validation_frames(
    tables: Mapping[str, pd.DataFrame], loaded_hashes: Mapping[str, str] | None = None
) -> dict[str, pd.DataFrame]:
    """The run's tables with the derived columns the suites check (cross-table facts as columns).

    An exact copy (the same bytes as an earlier article of the run or, through ``loaded_hashes``
    (article_id -> content_sha256 already in the warehouse), as a loaded one) must name its first copy in
    ``duplicate_of``: ``unmarked_repeat`` is True for one that does not.
    """
    articles = tables["articles"].reset_index(drop=True).copy()
    entities = tables["entities"].drop_duplicates("entity_id").reset_index(drop=True)
    elsewhere = {sha for aid, sha in (loaded_hashes or {}).items() if aid not in set(articles["article_id"])}
    has_marks = "duplicate_of" in articles
    unmarked = articles["duplicate_of"].isna() if has_marks else pd.Series(True, index=articles.index)
    sha = articles["content_sha256"].where(unmarked)
    articles["unmarked_repeat"] = unmarked & (sha.duplicated(keep="first") | sha.isin(elsewhere))
    bodies = articles.drop_duplicates("article_id").set_index("article_id")["body"]
    entity_ids = set(entities["entity_id"])
    frames = {"articles": articles, "entities": entities}
    for table in ("quotes", "entity_mentions"):
        frame = tables[table].reset_index(drop=True).copy()
        body = frame["article_id"].map(bodies)
        frame["article_exists"] = body.notna()
        frame["body_length"] = body.str.len().fillna(-1).astype("int64")
        text_col = "quote_text" if table == "quotes" else "text"
        frame["text_matches_body"] = _slice_matches(body, frame[text_col], frame["start_char"], frame["end_char"])
        if table == "quotes":
            named = frame["speaker_name"].fillna("").str.strip().str.len() > 0
            linked = frame["speaker_entity_id"].notna() | frame["speaker_type"].notna()
            frame["speaker_is_consistent"] = (named & frame["speaker_entity_id"].notna()) | (~named & ~linked)
            frame["speaker_entity_resolves"] = frame["speaker_entity_id"].isna() | frame["speaker_entity_id"].isin(
                entity_ids
            )
        else:
            frame["entity_exists"] = frame["entity_id"].isin(entity_ids)
        frames[table] = frame
    return frames


# ---- Great Expectations plumbing -------------------------------------------------------------------------


def _context(project_dir: Path | None) -> Any:
    """A file context under ``project_dir`` (keeps results for Data Docs), or an in-memory one."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    if project_dir is None:
        context = gx.get_context(mode="ephemeral")
    else:
        Path(project_dir).mkdir(parents=True, exist_ok=True)
        context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context


def _batch_definition(context: Any, table: str) -> Any:
    try:
        source = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError, LookupError):
        source = context.data_sources.add_pandas(DATASOURCE)
    try:
        asset = source.get_asset(table)
    except (KeyError, ValueError, LookupError):
        asset = source.add_dataframe_asset(table)
    try:
        return asset.get_batch_definition(table)
    except (KeyError, ValueError, LookupError):
        return asset.add_batch_definition_whole_dataframe(table)


def _observed(result: Mapping[str, Any]) -> str | None:
    if "observed_value" in result:
        return json.dumps(result["observed_value"], default=str)
    if result.get("unexpected_percent") is not None:
        return f"{float(result['unexpected_percent']):.2f}% unexpected"
    return None


def _run_suite(
    context: Any, suite_def: dict, frame: pd.DataFrame, run_name: str | None
) -> list[tuple[CheckResult, list]]:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    name = suite_def["name"]
    table = suite_def.get("meta", {}).get("table", name)
    suite = gx.ExpectationSuite(
        name=name, expectations=[ExpectationConfiguration(**e) for e in suite_def["expectations"]]
    )
    definition = _batch_definition(context, table)
    result_format = {"result_format": "COMPLETE", "partial_unexpected_count": 0, "include_unexpected_rows": False}
    if run_name is None:
        outcome = definition.get_batch(batch_parameters={"dataframe": frame}).validate(
            suite, result_format=result_format
        )
    else:
        suite = context.suites.add_or_update(suite)
        validation = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=definition, suite=suite)
        )
        outcome = validation.run(
            batch_parameters={"dataframe": frame},
            result_format=result_format,
            run_id=gx.RunIdentifier(run_name=run_name),
        )
    checks = []
    for r in outcome.results:
        config = r.expectation_config
        kwargs, meta, res = config.kwargs, config.meta or {}, r.result or {}
        column = kwargs.get("column") or ",".join(
            str(kwargs[k]) for k in ("column_A", "column_B") if kwargs.get(k) is not None
        )
        check = CheckResult(
            suite=name,
            expectation=config.type,
            column_name=column or None,
            severity=meta.get("severity", "error"),
            success=bool(r.success),
            observed_value=_observed(res),
            unexpected_count=res.get("unexpected_count"),
            element_count=res.get("element_count"),
            scope=meta.get("scope", "table"),
        )
        checks.append((check, list(res.get("unexpected_index_list") or [])))
    return checks


def validate_tables(
    tables: Mapping[str, pd.DataFrame],
    settings_values: Mapping[str, Any],
    *,
    project_dir: Path | None = None,
    run_name: str | None = None,
    loaded_hashes: Mapping[str, str] | None = None,
) -> ValidationOutcome:
    """Run every suite over the run's tables; collect results and the rows to quarantine.

    With ``project_dir`` and ``run_name``, results are kept in a Great Expectations file project there and
    its Data Docs site is rebuilt (``outcome.data_docs`` is the path of its index page).
    """
    frames = validation_frames(tables, loaded_hashes)
    context = _context(project_dir if run_name else None)
    outcome = ValidationOutcome()
    for name in suite_names():
        suite = suite_with_settings(name, settings_values)
        table = suite.get("meta", {}).get("table", name)
        if table not in frames:
            continue
        frame = frames[table]
        for check, failing_index in _run_suite(context, suite, frame, run_name):
            outcome.results.append(check)
            if check.scope == "row" and failing_index and table in ROW_KEYS:
                keys = outcome.quarantine.setdefault(table, {})
                for key in frame.loc[failing_index, ROW_KEYS[table]]:
                    keys.setdefault(str(key), []).append(check.rule)
    _cascade_article_quarantine(frames, outcome)
    if project_dir is not None and run_name is not None:
        sites = context.build_data_docs()
        outcome.data_docs = next(iter(sites.values()), None) if sites else None
    return outcome


def _cascade_article_quarantine(frames: Mapping[str, pd.DataFrame], outcome: ValidationOutcome) -> None:
    """The quotes and mentions of a quarantined article are quarantined with it."""
    bad_articles = set(outcome.quarantine.get("articles", {}))
    if not bad_articles:
        return
    for table in ARTICLE_CHILDREN:
        frame = frames[table]
        keys = outcome.quarantine.setdefault(table, {})
        for key in frame.loc[frame["article_id"].isin(bad_articles), ROW_KEYS[table]]:
            keys.setdefault(str(key), []).append("article quarantined")


def gate_status(outcome: ValidationOutcome) -> str:
    """'failed' if a table-level error check failed; 'warned' if a warning failed or rows were quarantined."""
    failed = [r for r in outcome.results if not r.success]
    if any(r.severity == "error" and r.scope == "table" for r in failed):
        return "failed"
    return "warned" if failed or outcome.quarantined_count else "completed"
