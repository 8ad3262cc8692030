"""Data-quality checks: the Great Expectations suites in ``expectations/`` over a run's tables.

Great Expectations cannot validate DuckDB through SQLAlchemy, so suites run on pandas frames of the run's
Parquet partitions before anything is published. Cross-table facts (does the quote's text match the
body at its offsets? does the mention's entity exist?) are computed into extra columns of those frames
(``validation_frames``) so that built-in expectation types can check them.

A run is validated in *chunks* (``validate_run``): whole part files of the lake (a part is one processing
batch, so the articles a quote or mention points at are normally in the same chunk), at most ``chunk_rows``
rows of any table per chunk. The suites and the Great Expectations context are built once; each chunk runs
every suite, and the per-chunk results are combined into exactly the outcome of one run over the whole
run's tables:

- row counts add up (``element_count``, ``unexpected_count``, missing values); a ``mostly`` threshold is
  applied to the summed counts, so a rate can fail overall although every chunk passes it, and vice versa;
- failing rows (scope ``row``) are the union of the chunks' failing row keys, in run order;
- what one chunk cannot see is computed once over the whole run with DuckDB aggregates in bounded memory
  (``RunFacts``): values repeated anywhere in the run (``expect_column_values_to_be_unique``), exact copies
  of earlier articles, entity ids and article ids that the run does not contain, the body of an article id
  that occurs twice;
- the quotes and mentions of a quarantined article are quarantined with it, wherever they are in the run.

With a Great Expectations project, one validation result per suite and run (the combined one) is stored, so
the Data Docs show one page per suite per run.

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
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from expectations import suite_definition, suite_names
from newsquotes.lake import run_dir
from newsquotes.nlp.types import DESCRIPTION
from newsquotes.schema import arrow_schema
from warehouse import registered

SEVERITIES = ("error", "warning")
SCOPES = ("row", "table")
ROW_KEYS = {"articles": "article_id", "quotes": "quote_id", "entity_mentions": "mention_id"}
ARTICLE_CHILDREN = ("quotes", "entity_mentions")
VALIDATED_TABLES = ("articles", "entities", "entity_mentions", "quotes")
DATASOURCE = "newsquotes"
CHUNK_ROWS = 50_000  # rows of any table read, or validated by Great Expectations, at a time
CHUNK_BYTES = 16 << 20  # bytes of a table's frames validated at a time (article bodies are long)
DUCKDB_MEMORY = "128MB"  # memory of the run-wide aggregates (they spill to disk beyond it)
UNEXPECTED_VALUES_KEPT = 200  # unexpected values kept in a stored (Data Docs) result
_RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": 0, "include_unexpected_rows": False}
_DEDUPLICATED = {"entities": "entity_id"}  # tables validated once per id (an entity recurs in many batches)


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
    chunks: int = 0  # how many chunks the run was validated in

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


def _suite_table(suite: Mapping[str, Any]) -> str:
    return suite.get("meta", {}).get("table", suite["name"])


def _unique_columns(suites: list[dict]) -> set[tuple[str, str]]:
    return {
        (_suite_table(s), e["kwargs"]["column"])
        for s in suites
        for e in s["expectations"]
        if e["type"] == "expect_column_values_to_be_unique"
    }


# ---- the run's rows: a Parquet lake partition, or pandas frames -----------------------------------------


class _Source:
    """Where a run's rows come from: DuckDB views ``run_<table>`` (with order columns ``__o1, __o2``) for the
    run-wide facts, and the rows themselves as pandas frames, chunk by chunk, in run order.

    The DuckDB connection is opened when needed and ``release``d after the run-wide facts, so its memory is not
    held while the chunks are validated."""

    _con: duckdb.DuckDBPyConnection | None = None
    _spill: tempfile.TemporaryDirectory | None = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB of bounded memory: its aggregates over a big run spill to a temporary folder."""
        if self._con is None:
            if self._spill is None:
                self._spill = tempfile.TemporaryDirectory(prefix="newsquotes-validate-")
            self._con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "temp_directory": self._spill.name})
            self._con.execute("SET preserve_insertion_order = false")
            self._views(self._con)
        return self._con

    def _views(self, con: duckdb.DuckDBPyConnection) -> None:
        raise NotImplementedError

    def chunks(self) -> Iterator[dict[str, pd.DataFrame]]:
        raise NotImplementedError

    def columns(self, table: str) -> set[str]:
        return {r[0] for r in self.con.execute(f"DESCRIBE run_{table}").fetchall()}

    def key_columns(self, table: str, columns: list[str]) -> Iterator[pd.DataFrame]:
        """Some columns of every row of a table, in run order, a bounded piece at a time."""
        raise NotImplementedError

    def release(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def close(self) -> None:
        self.release()
        if self._spill is not None:
            self._spill.cleanup()
            self._spill = None


class _FrameSource(_Source):
    """In-memory tables (one chunk)."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = {t: tables[t].reset_index(drop=True) for t in VALIDATED_TABLES}

    def _views(self, con: duckdb.DuckDBPyConnection) -> None:
        for table, frame in self.tables.items():
            con.register(f"mem_{table}", frame.assign(__o2=range(len(frame))))
            con.execute(f"CREATE VIEW run_{table} AS SELECT *, 0 AS __o1 FROM mem_{table}")

    def chunks(self) -> Iterator[dict[str, pd.DataFrame]]:
        yield self.tables

    def key_columns(self, table: str, columns: list[str]) -> Iterator[pd.DataFrame]:
        yield self.tables[table][columns]


class _LakeSource(_Source):
    """A run's partition of the Parquet lake, read a group of whole part files at a time."""

    def __init__(self, lake_dir: Path, run_id: str, chunk_rows: int) -> None:
        self.chunk_rows = max(1, int(chunk_rows))
        folders = {t: run_dir(lake_dir, t, run_id) for t in VALIDATED_TABLES}
        self.files = {t: sorted(str(p) for p in folder.glob("*.parquet")) for t, folder in folders.items()}

    def _views(self, con: duckdb.DuckDBPyConnection) -> None:
        for table, files in self.files.items():
            if files:
                listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
                source = (
                    f"read_parquet([{listed}], filename = true, file_row_number = true, hive_partitioning = false, "
                    "union_by_name = true)"
                )
                con.execute(
                    f"CREATE VIEW run_{table} AS SELECT * EXCLUDE (filename, file_row_number), "
                    f"filename AS __o1, file_row_number AS __o2 FROM {source}"
                )
            else:
                con.register(f"empty_{table}", arrow_schema(table).empty_table())
                con.execute(f"CREATE VIEW run_{table} AS SELECT *, '' AS __o1, 0::BIGINT AS __o2 FROM empty_{table}")

    def _groups(self) -> list[dict[str, list[str]]]:
        """Consecutive part names (sorted, across tables) with at most ``chunk_rows`` rows of any table, but at
        least one part: each table's rows stay in run order and a batch's tables stay together."""
        by_name: dict[str, dict[str, tuple[str, int]]] = {}
        for table, files in self.files.items():
            for f in files:
                by_name.setdefault(Path(f).name, {})[table] = (f, pq.ParquetFile(f).metadata.num_rows)
        groups: list[dict[str, list[str]]] = []
        current: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        for name in sorted(by_name):
            parts = by_name[name]
            if current and any(counts.get(t, 0) + n > self.chunk_rows for t, (_f, n) in parts.items()):
                groups.append(current)
                current, counts = {}, {}
            for table, (f, n) in parts.items():
                current.setdefault(table, []).append(f)
                counts[table] = counts.get(table, 0) + n
        if current or not groups:
            groups.append(current)
        return groups

    def chunks(self) -> Iterator[dict[str, pd.DataFrame]]:
        for group in self._groups():
            yield {t: _read_parts(t, group.get(t, [])) for t in VALIDATED_TABLES}

    def key_columns(self, table: str, columns: list[str]) -> Iterator[pd.DataFrame]:
        for f in self.files[table]:
            yield pq.read_table(f, columns=columns).to_pandas()


def _read_parts(table: str, files: list[str]) -> pd.DataFrame:
    schema = arrow_schema(table)
    if not files:
        return schema.empty_table().to_pandas()
    return pa.concat_tables([pq.read_table(f, schema=schema) for f in files]).to_pandas()


# ---- run-wide facts -------------------------------------------------------------------------------------


@dataclass(slots=True)
class RunFacts:
    """What no single chunk can see, computed once over the whole run (DuckDB aggregates; small results)."""

    repeated: dict[tuple[str, str], frozenset] = field(default_factory=dict)  # (table, column) -> values seen twice+
    repeated_shas: frozenset = frozenset()  # content hashes of two or more unmarked articles of the run
    loaded_shas: frozenset = frozenset()  # content hashes loaded earlier under article ids not in the run
    missing_entities: frozenset = frozenset()  # entity ids mentions or quotes name that the run has no entity for
    missing_articles: frozenset = frozenset()  # article ids quotes or mentions name that the run does not hold
    first_bodies: dict[str, Any] = field(default_factory=dict)  # article id occurring twice+ -> its first body
    has_marks: bool = True  # articles carry duplicate_of


def _values(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> frozenset:
    return frozenset(r[0] for r in con.execute(sql, params or []).fetchall())


def _run_facts(source: _Source, suites: list[dict], loaded_hashes: Mapping[str, str] | None) -> RunFacts:
    con = source.con
    facts = RunFacts(has_marks="duplicate_of" in source.columns("articles"))
    for table, column in sorted(_unique_columns(suites)):
        if _DEDUPLICATED.get(table) == column:
            facts.repeated[(table, column)] = frozenset()  # validated once per id: unique by construction
            continue
        rows = f"run_{table}"
        if table in _DEDUPLICATED:
            key = _DEDUPLICATED[table]
            rows = f"(SELECT * FROM run_{table} QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY __o1, __o2) = 1)"
        facts.repeated[(table, column)] = _values(
            con, f"SELECT {column} FROM {rows} WHERE {column} IS NOT NULL GROUP BY 1 HAVING count(*) > 1"
        )
    unmarked = "duplicate_of IS NULL" if facts.has_marks else "true"
    facts.repeated_shas = _values(
        con,
        f"SELECT content_sha256 FROM run_articles WHERE {unmarked} AND content_sha256 IS NOT NULL "
        "GROUP BY 1 HAVING count(*) > 1",
    )
    if loaded_hashes:
        loaded = pa.table(
            {"article_id": list(loaded_hashes.keys()), "sha": list(loaded_hashes.values())},
            schema=pa.schema([("article_id", pa.string()), ("sha", pa.string())]),
        )
        with registered(con, {"loaded_hashes": loaded}):
            facts.loaded_shas = _values(
                con,
                "SELECT DISTINCT l.sha FROM loaded_hashes l ANTI JOIN run_articles a ON a.article_id = l.article_id "
                "WHERE l.sha IN (SELECT content_sha256 FROM run_articles)",
            )
    facts.missing_entities = _values(
        con,
        "SELECT DISTINCT m.entity_id FROM run_entity_mentions m ANTI JOIN run_entities e ON e.entity_id = m.entity_id "
        "WHERE m.entity_id IS NOT NULL UNION "
        "SELECT DISTINCT q.speaker_entity_id FROM run_quotes q ANTI JOIN run_entities e "
        "ON e.entity_id = q.speaker_entity_id WHERE q.speaker_entity_id IS NOT NULL",
    )
    facts.missing_articles = _values(
        con,
        " UNION ".join(
            f"SELECT DISTINCT c.article_id FROM run_{t} c ANTI JOIN run_articles a ON a.article_id = c.article_id "
            "WHERE c.article_id IS NOT NULL"
            for t in ARTICLE_CHILDREN
        ),
    )
    twice = facts.repeated.get(("articles", "article_id"))
    if twice is None:
        twice = _values(
            con, "SELECT article_id FROM run_articles WHERE article_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1"
        )
    if twice:
        facts.first_bodies = dict(
            con.execute(
                "SELECT article_id, body FROM run_articles WHERE article_id IN (SELECT unnest($ids)) "
                "QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY __o1, __o2) = 1",
                {"ids": sorted(twice)},
            ).fetchall()
        )
    return facts


# ---- derived columns, chunk by chunk --------------------------------------------------------------------


@dataclass(slots=True)
class _StreamState:
    """What earlier chunks saw that later ones need: the run's distinct entity ids (an entity is validated once,
    where it first occurs) and the content hashes that repeat; nothing per article or per row."""

    entity_ids: set = field(default_factory=set)
    shas: set = field(default_factory=set)
    sha_gap: bool = False  # an earlier row had no unmarked hash (marked, or NULL)


def _against_bodies(frame: pd.DataFrame, text_col: str, bodies: Mapping[str, Any]) -> None:
    """``article_exists``, ``body_length`` and ``text_matches_body`` of a quotes or mentions frame, looking each
    row's article body up (no per-row copy of the bodies)."""
    exists, lengths, matches = [], [], []
    for aid, text, s, e in zip(
        frame["article_id"], frame[text_col], frame["start_char"], frame["end_char"], strict=True
    ):
        body = bodies.get(aid)
        is_text = isinstance(body, str)
        exists.append(body is not None and not (isinstance(body, float) and body != body))
        lengths.append(len(body) if is_text else -1)
        matches.append(is_text and 0 <= s <= e <= len(body) and body[int(s) : int(e)] == text)
    frame["article_exists"] = pd.Series(exists, index=frame.index, dtype=bool)
    frame["body_length"] = pd.Series(lengths, index=frame.index, dtype="int64")
    frame["text_matches_body"] = pd.Series(matches, index=frame.index, dtype=bool)


def _bodies(ids: pd.Series, articles: pd.DataFrame, facts: RunFacts, source: _Source) -> dict[str, Any]:
    """article_id -> body (its first occurrence in the run) for the ids of a chunk's quotes or mentions."""
    wanted = set(ids.dropna().unique())
    found = {a: facts.first_bodies[a] for a in wanted & facts.first_bodies.keys()}
    local = articles[articles["article_id"].isin(wanted - found.keys())]
    found.update(zip(local["article_id"], local["body"], strict=True))
    elsewhere = wanted - found.keys() - facts.missing_articles
    if elsewhere:  # an article in another chunk than its rows (not how the flow writes a batch)
        found.update(
            source.con.execute(
                "SELECT article_id, body FROM run_articles WHERE article_id IN (SELECT unnest($ids))",
                {"ids": sorted(elsewhere)},
            ).fetchall()
        )
    return found


def _chunk_frames(
    tables: Mapping[str, pd.DataFrame], facts: RunFacts, state: _StreamState, source: _Source
) -> dict[str, pd.DataFrame]:
    """One chunk's tables with the derived columns the suites check, as over the whole run."""
    articles = tables["articles"].reset_index(drop=True).copy()
    unmarked = articles["duplicate_of"].isna() if facts.has_marks else pd.Series(True, index=articles.index)
    sha = articles["content_sha256"].where(unmarked)
    earlier = sha.duplicated(keep="first") | sha.isin(state.shas)
    if state.sha_gap:
        earlier |= sha.isna()
    articles["unmarked_repeat"] = unmarked & (earlier | sha.isin(facts.loaded_shas))
    state.sha_gap = state.sha_gap or bool(sha.isna().any())
    state.shas.update(sha[sha.isin(facts.repeated_shas)])
    entities = tables["entities"].drop_duplicates("entity_id")
    entities = entities[~entities["entity_id"].isin(state.entity_ids)].reset_index(drop=True)
    state.entity_ids.update(entities["entity_id"])
    frames = {"articles": articles, "entities": entities}
    for table in ARTICLE_CHILDREN:
        frame = tables[table].reset_index(drop=True).copy()
        text_col = "quote_text" if table == "quotes" else "text"
        _against_bodies(frame, text_col, _bodies(frame["article_id"], articles, facts, source))
        if table == "quotes":
            named = frame["speaker_name"].fillna("").str.strip().str.len() > 0
            text = frame["speaker_text"] if "speaker_text" in frame else pd.Series(None, index=frame.index)
            described = text.fillna("").astype(str).str.strip().str.len() > 0
            linked = frame["speaker_entity_id"].notna()
            description = frame["speaker_type"] == DESCRIPTION
            # a name has its entity and a named type; no name: no entity, and a type only for a description
            frame["speaker_is_consistent"] = (named & linked & ~description) | (
                ~named & ~linked & (frame["speaker_type"].isna() | (description & described))
            )
            frame["speaker_entity_resolves"] = frame["speaker_entity_id"].isna() | ~frame["speaker_entity_id"].isin(
                facts.missing_entities
            )
        else:
            frame["entity_exists"] = frame["entity_id"].notna() & ~frame["entity_id"].isin(facts.missing_entities)
        frames[table] = frame
    return frames


def validation_frames(
    tables: Mapping[str, pd.DataFrame], loaded_hashes: Mapping[str, str] | None = None
) -> dict[str, pd.DataFrame]:
    """The run's tables with the derived columns the suites check (cross-table facts as columns).

    An exact copy (the same bytes as an earlier article of the run or, through ``loaded_hashes``
    (article_id -> content_sha256 already in the warehouse), as a loaded one) must name its first copy in
    ``duplicate_of``: ``unmarked_repeat`` is True for one that does not.
    """
    source = _FrameSource(tables)
    try:
        facts = _run_facts(source, [], loaded_hashes)
        return _chunk_frames(source.tables, facts, _StreamState(), source)
    finally:
        source.close()


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


def _check_combinable(suite_def: dict) -> None:
    """Chunked validation combines row counts: every expectation must be a map (row by row) expectation."""
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )
    from great_expectations.expectations.registry import get_expectation_impl

    for exp in suite_def["expectations"]:
        impl = get_expectation_impl(exp["type"])
        if not issubclass(impl, ColumnMapExpectation | ColumnPairMapExpectation | MulticolumnMapExpectation):
            raise ValueError(
                f"suite {suite_def['name']}: {exp['type']} is not a row-by-row (map) expectation; chunked "
                "validation cannot combine it (compute it over the whole run in RunFacts first)"
            )


def _raised(info: Any) -> bool:
    """Whether an exception_info (one, or one per metric) says an exception was raised."""
    if not isinstance(info, Mapping):
        return False
    return bool(info.get("raised_exception")) or any(_raised(v) for v in info.values() if isinstance(v, Mapping))


@dataclass(slots=True)
class _Totals:
    """One expectation's results summed over the chunks."""

    config: Any
    meta: dict
    element_count: int = 0
    missing_count: int | None = None
    unexpected_count: int | None = None
    unexpected_values: list = field(default_factory=list)
    exception: Any = None  # the exception_info of a chunk that raised
    keys: list[str] = field(default_factory=list)  # failing row keys, in run order (scope 'row')

    def add(self, result: Mapping[str, Any], unexpected: int | None, values: list) -> None:
        self.element_count += int(result.get("element_count") or 0)
        if "missing_count" in result:
            self.missing_count = (self.missing_count or 0) + int(result["missing_count"] or 0)
        if unexpected is not None:
            self.unexpected_count = (self.unexpected_count or 0) + int(unexpected)
        room = UNEXPECTED_VALUES_KEPT - len(self.unexpected_values)
        if room > 0:
            self.unexpected_values.extend(values[:room])

    def outcome(self) -> tuple[bool, dict[str, Any]]:
        """(success, result) as Great Expectations computes them for a map expectation over all the rows."""
        total, unexpected = self.element_count, self.unexpected_count
        considered = total - (self.missing_count or 0)
        if unexpected is None or total == 0 or considered == 0:
            success = True
        else:
            mostly = float(self.config.kwargs.get("mostly", 1.0))
            success = (considered - unexpected) / considered >= mostly
        result: dict[str, Any] = {"element_count": total, "unexpected_count": unexpected, "unexpected_percent": None}
        if unexpected is not None and total > 0:
            share_total = unexpected / total * 100
            if self.missing_count is None:
                result["unexpected_percent"] = share_total
            else:
                result["unexpected_percent"] = unexpected / considered * 100 if considered > 0 else None
                result.update(
                    missing_count=self.missing_count,
                    missing_percent=self.missing_count / total * 100,
                    unexpected_percent_total=share_total,
                    unexpected_percent_nonmissing=result["unexpected_percent"],
                )
        elif self.missing_count is not None:
            result.update(missing_count=self.missing_count, missing_percent=None)
        result["partial_unexpected_list"] = []
        result["unexpected_list"] = list(self.unexpected_values)
        return success, result


def _checked_columns(suite_def: dict) -> set[str]:
    """The columns a suite's expectations read: their columns and the names in their row conditions."""
    names: set[str] = set()
    for exp in suite_def["expectations"]:
        kwargs = exp["kwargs"]
        names.update(str(kwargs[k]) for k in ("column", "column_A", "column_B") if kwargs.get(k) is not None)
        names.update(str(c) for c in kwargs.get("column_list") or [])
        names.update(re.findall(r"[A-Za-z_]\w*", str(kwargs.get("row_condition") or "")))
    return names


class _SuiteRun:
    """One suite over a run: the suite built once, each chunk validated, the results combined."""

    def __init__(self, context: Any, suite_def: dict, facts: RunFacts, run_name: str | None) -> None:
        import great_expectations as gx
        from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

        _check_combinable(suite_def)
        self.name = suite_def["name"]
        self.table = _suite_table(suite_def)
        self.context, self.facts, self.run_name = context, facts, run_name
        self.suite = gx.ExpectationSuite(
            name=self.name, expectations=[ExpectationConfiguration(**e) for e in suite_def["expectations"]]
        )
        self.definition = _batch_definition(context, self.table)
        self.validation_id: str | None = None
        if run_name is not None:
            self.suite = context.suites.add_or_update(self.suite)
            validation = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=self.name, data=self.definition, suite=self.suite)
            )
            self.validation_id = validation.id
        self.checked_columns = _checked_columns(suite_def)
        self.totals: list[_Totals] = []
        self.template: Any = None  # the first chunk's suite result (meta and batch id for the stored result)
        self.chunks = 0
        self.rows = 0

    def add(self, frame: pd.DataFrame) -> None:
        # Great Expectations sees only the columns the suite names (less to copy); row keys come from ``frame``
        checked = [c for c in frame.columns if c in self.checked_columns]
        outcome = self.definition.get_batch(batch_parameters={"dataframe": frame[checked]}).validate(
            self.suite, result_format=_RESULT_FORMAT
        )
        if self.template is None:
            self.template = outcome
            self.totals = [_Totals(config=r.expectation_config, meta=dict(r.meta or {})) for r in outcome.results]
        key_column = ROW_KEYS.get(self.table)
        for totals, r in zip(self.totals, outcome.results, strict=True):
            config, res = r.expectation_config, r.result or {}
            if config.type != totals.config.type or config.kwargs != totals.config.kwargs:
                raise RuntimeError(f"suite {self.name}: results came back in another order")
            if totals.exception is None and _raised(r.exception_info):
                totals.exception = r.exception_info
            failing = list(res.get("unexpected_index_list") or [])
            unexpected, values = res.get("unexpected_count"), list(res.get("unexpected_list") or [])
            if config.type == "expect_column_values_to_be_unique":  # repeats anywhere in the run, not the chunk's
                column = config.kwargs["column"]
                mask = frame[column].notna() & frame[column].isin(self.facts.repeated[(self.table, column)])
                failing = list(frame.index[mask])
                unexpected, values = len(failing), list(frame.loc[mask, column].head(UNEXPECTED_VALUES_KEPT))
            totals.add(res, unexpected, values)
            if (config.meta or {}).get("scope") == "row" and failing and key_column:
                totals.keys.extend(str(k) for k in frame.loc[failing, key_column])
        del outcome
        self.chunks += 1
        self.rows += len(frame)

    def checks(self) -> list[tuple[CheckResult, list[str]]]:
        out = []
        for totals in self.totals:
            config = totals.config
            kwargs, meta = config.kwargs, config.meta or {}
            success, result = totals.outcome()
            if totals.exception is not None:
                success, result = False, {}
            column = kwargs.get("column") or ",".join(
                str(kwargs[k]) for k in ("column_A", "column_B") if kwargs.get(k) is not None
            )
            check = CheckResult(
                suite=self.name,
                expectation=config.type,
                column_name=column or None,
                severity=meta.get("severity", "error"),
                success=bool(success),
                observed_value=_observed(result),
                unexpected_count=result.get("unexpected_count"),
                element_count=result.get("element_count"),
                scope=meta.get("scope", "table"),
            )
            out.append((check, totals.keys))
        return out

    def store(self) -> list[Any]:
        """Keep the combined result in the project's validation store (what the Data Docs show); returns the
        identifiers of the Data Docs pages it changes (the result's and its suite's)."""
        import great_expectations as gx
        from great_expectations.constants import DATAFRAME_REPLACEMENT_STR
        from great_expectations.core.expectation_validation_result import (
            ExpectationSuiteValidationResult,
            ExpectationValidationResult,
        )
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )
        from great_expectations.validator.validation_statistics import calc_validation_statistics

        results = []
        for totals in self.totals:
            success, result = totals.outcome()
            exception = totals.exception or {
                "raised_exception": False,
                "exception_message": None,
                "exception_traceback": None,
            }
            if totals.exception is not None:
                success, result = False, {}
            results.append(
                ExpectationValidationResult(
                    success=success,
                    expectation_config=totals.config,
                    result=result,
                    meta=totals.meta,
                    exception_info=exception,
                )
            )
        statistics = calc_validation_statistics(results)
        meta = dict(self.template.meta)
        meta["batch_markers"] = {
            k: v for k, v in (meta.get("batch_markers") or {}).items() if k != "pandas_data_fingerprint"
        }
        meta.update(
            validation_id=self.validation_id,
            checkpoint_id=None,
            batch_parameters={"dataframe": DATAFRAME_REPLACEMENT_STR},
            chunks=self.chunks,
            rows=self.rows,
        )
        combined = ExpectationSuiteValidationResult(
            success=statistics.success,
            results=results,
            suite_name=self.name,
            statistics={
                "evaluated_expectations": statistics.evaluated_expectations,
                "successful_expectations": statistics.successful_expectations,
                "unsuccessful_expectations": statistics.unsuccessful_expectations,
                "success_percent": statistics.success_percent,
            },
            meta=meta,
            batch_id=self.template.batch_id,
        )
        run_id = gx.RunIdentifier(run_name=self.run_name, run_time=datetime.now(UTC))
        combined.meta["run_id"] = run_id
        combined.meta["validation_time"] = run_id.run_time
        suite_id = ExpectationSuiteIdentifier(name=self.name)
        result_id = ValidationResultIdentifier(
            batch_identifier=self.template.batch_id, expectation_suite_identifier=suite_id, run_id=run_id
        )
        self.context.validation_results_store.store_validation_results(
            suite_validation_result=combined,
            suite_validation_result_identifier=result_id,
            expectation_suite_identifier=suite_id,
        )
        return [result_id, suite_id]


@dataclass(slots=True)
class _Buffer:
    """A table's derived frames waiting for Great Expectations: each suite run has a fixed cost (~0.3 s), so
    small chunks are validated together, up to ``chunk_rows`` rows or ``chunk_bytes`` bytes."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    rows: int = 0
    nbytes: int = 0

    def add(self, frame: pd.DataFrame, max_rows: int, max_bytes: int) -> pd.DataFrame | None:
        """Keep the frame; the frames kept before it, together, when it would not fit with them."""
        nbytes = int(frame.memory_usage(deep=True).sum())
        full = None
        if self.frames and (self.rows + len(frame) > max_rows or self.nbytes + nbytes > max_bytes):
            full = self.take()
        self.frames.append(frame)
        self.rows += len(frame)
        self.nbytes += nbytes
        return full

    def take(self) -> pd.DataFrame:
        frames, self.frames, self.rows, self.nbytes = self.frames, [], 0, 0
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _validate(
    source: _Source,
    settings_values: Mapping[str, Any],
    project_dir: Path | None,
    run_name: str | None,
    loaded_hashes: Mapping[str, str] | None,
    chunk_rows: int = CHUNK_ROWS,
    chunk_bytes: int | None = None,
) -> ValidationOutcome:
    suites = [suite_with_settings(name, settings_values) for name in suite_names()]
    suites = [s for s in suites if _suite_table(s) in VALIDATED_TABLES]
    facts = _run_facts(source, suites, loaded_hashes)
    source.release()  # DuckDB's memory is not needed while the chunks are validated
    chunk_bytes = CHUNK_BYTES if chunk_bytes is None else chunk_bytes
    keep = project_dir is not None and run_name is not None
    context = _context(project_dir if keep else None)
    runs = [_SuiteRun(context, s, facts, run_name) for s in suites]
    buffers = {table: _Buffer() for table in VALIDATED_TABLES}
    state = _StreamState()
    empty: dict[str, pd.DataFrame] = {}
    chunks = 0

    def validate(table: str, frame: pd.DataFrame) -> None:
        for run in runs:
            if run.table == table:
                run.add(frame)

    for tables in source.chunks():
        frames = _chunk_frames(tables, facts, state, source)
        chunks += 1
        del tables
        for table, frame in frames.items():
            if frame.empty:
                empty.setdefault(table, frame)  # validated only if the run has no rows at all
            elif (full := buffers[table].add(frame, chunk_rows, chunk_bytes)) is not None:
                validate(table, full)
                del full
        del frames
    for table, buffer in buffers.items():
        if buffer.frames:
            validate(table, buffer.take())
    for run in runs:
        if run.chunks == 0:
            run.add(empty[run.table])
    outcome = ValidationOutcome(chunks=chunks)
    for run in runs:
        for check, keys in run.checks():
            outcome.results.append(check)
            if check.scope == "row" and keys:
                quarantined = outcome.quarantine.setdefault(run.table, {})
                for key in keys:
                    quarantined.setdefault(key, []).append(check.rule)
    _cascade_article_quarantine(source, outcome)
    if keep:
        # only this run's pages (and its suites') are rendered; the index lists every run kept in the project
        changed = [identifier for run in runs for identifier in run.store()]
        sites = context.build_data_docs(resource_identifiers=changed)
        outcome.data_docs = next(iter(sites.values()), None) if sites else None
    return outcome


def _cascade_article_quarantine(source: _Source, outcome: ValidationOutcome) -> None:
    """The quotes and mentions of a quarantined article are quarantined with it."""
    bad_articles = set(outcome.quarantine.get("articles", {}))
    if not bad_articles:
        return
    for table in ARTICLE_CHILDREN:
        keys = outcome.quarantine.setdefault(table, {})
        for frame in source.key_columns(table, [ROW_KEYS[table], "article_id"]):
            for key in frame.loc[frame["article_id"].isin(bad_articles), ROW_KEYS[table]]:
                keys.setdefault(str(key), []).append("article quarantined")


def validate_tables(
    tables: Mapping[str, pd.DataFrame],
    settings_values: Mapping[str, Any],
    *,
    project_dir: Path | None = None,
    run_name: str | None = None,
    loaded_hashes: Mapping[str, str] | None = None,
) -> ValidationOutcome:
    """Run every suite over tables held in memory; collect results and the rows to quarantine.

    With ``project_dir`` and ``run_name``, results are kept in a Great Expectations file project there and
    its Data Docs site is rebuilt (``outcome.data_docs`` is the path of its index page).
    """
    source = _FrameSource(tables)
    try:
        return _validate(source, settings_values, project_dir, run_name, loaded_hashes)
    finally:
        source.close()


def validate_run(
    lake_dir: Path,
    run_id: str,
    settings_values: Mapping[str, Any],
    *,
    project_dir: Path | None = None,
    run_name: str | None = None,
    loaded_hashes: Mapping[str, str] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    chunk_bytes: int = CHUNK_BYTES,
) -> ValidationOutcome:
    """Run every suite over a run's lake partition, a chunk of whole part files at a time (at most
    ``chunk_rows`` rows of any table per chunk, or one part); the outcome is that of the whole run at once."""
    source = _LakeSource(lake_dir, run_id, chunk_rows)
    try:
        return _validate(source, settings_values, project_dir, run_name, loaded_hashes, chunk_rows, chunk_bytes)
    finally:
        source.close()


def gate_status(outcome: ValidationOutcome) -> str:
    """'failed' if a table-level error check failed; 'warned' if a warning failed or rows were quarantined."""
    failed = [r for r in outcome.results if not r.success]
    if any(r.severity == "error" and r.scope == "table" for r in failed):
        return "failed"
    return "warned" if failed or outcome.quarantined_count else "completed"
