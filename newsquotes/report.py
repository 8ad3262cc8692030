"""The run summary: figures of one run, as a terminal table and as Markdown for the Prefect UI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

import pyarrow as pa

from newsquotes.batch import BatchStats
from newsquotes.quality import CheckResult
from newsquotes.schema import arrow_schema, rows_to_table


@dataclass(slots=True)
class RunSummary:
    run_id: str
    input_dir: str
    warehouse: str
    lake: str
    started_at: datetime
    finished_at: datetime
    status: str  # completed | warned | failed
    files_seen: int = 0
    articles_read: int = 0
    articles_loaded: int = 0
    articles_skipped: int = 0
    articles_rejected: int = 0
    entities: int = 0
    mentions: int = 0
    quotes: int = 0
    quotes_attributed: int = 0
    words: int = 0
    checks: list[CheckResult] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)  # source_path, stage, reason
    warehouse_totals: dict[str, int] = field(default_factory=dict)
    flow_run_id: str | None = None
    rows_quarantined: int = 0
    data_docs: str | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0  # articles loaded as exact or near copies of another (duplicate_of set)
    non_english: int = 0  # articles kept but not run through the English model
    post_load: dict[str, Any] = field(default_factory=dict)  # figures of entity resolution and quote clustering

    @property
    def duration_s(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def checks_passed(self) -> int:
        return sum(r.success for r in self.checks)

    @property
    def checks_failed(self) -> int:
        return sum(not r.success for r in self.checks)

    @property
    def attribution_rate(self) -> float:
        return self.quotes_attributed / self.quotes if self.quotes else 0.0

    @property
    def articles_per_s(self) -> float:
        """Throughput: articles read (loaded or recognised unchanged) per second of the run."""
        return self.articles_read / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def words_per_s(self) -> float:
        """Throughput: words of newly annotated articles per second of the run."""
        return self.words / self.duration_s if self.duration_s > 0 else 0.0

    def run_row(self) -> dict[str, Any]:
        """The ``pipeline_runs`` row of this run."""
        return {name: getattr(self, name) for name in arrow_schema("pipeline_runs").names}

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(
            duration_s=self.duration_s,
            checks_passed=self.checks_passed,
            checks_failed=self.checks_failed,
            attribution_rate=self.attribution_rate,
            articles_per_s=self.articles_per_s,
            words_per_s=self.words_per_s,
        )
        return d


NOTHING_NEW = "nothing new: every file was already loaded and is unchanged"


def nothing_new(s: RunSummary) -> bool:
    """The run found only unchanged files: no article loaded, none rejected."""
    return s.articles_loaded == 0 and s.articles_rejected == 0 and s.articles_skipped > 0


def _figures(s: RunSummary) -> list[tuple[str, str]]:
    """The figures of this run (never of the warehouse: ``warehouse_totals`` are those). Entities and mentions
    are as extracted from this run's articles, before entity resolution merges them with the warehouse's."""
    figures = [
        ("status", s.status),
        ("files seen", str(s.files_seen)),
        ("articles read", str(s.articles_read)),
        ("articles loaded", str(s.articles_loaded)),
        ("articles unchanged (skipped)", str(s.articles_skipped)),
        ("articles rejected", str(s.articles_rejected)),
        ("entities / mentions extracted", f"{s.entities} / {s.mentions}"),
        ("quotes (attributed)", f"{s.quotes} ({s.quotes_attributed}, {s.attribution_rate:.0%})"),
        ("checks passed / failed", f"{s.checks_passed} / {s.checks_failed}"),
        ("rows quarantined", str(s.rows_quarantined)),
        ("duplicates (exact or near)", str(s.duplicates)),
        ("not English (no NLP)", str(s.non_english)),
        ("duration", f"{s.duration_s:.1f} s"),
    ]
    if not nothing_new(s):  # a rerun that annotates nothing has no throughput to speak of
        figures.append(("throughput", f"{s.articles_per_s:,.2f} articles/s · {s.words_per_s:,.0f} words/s"))
    return figures


def summary_text(s: RunSummary) -> str:
    lines = [f"newsquotes run {s.run_id}"]
    if nothing_new(s):
        lines.append(f"  {NOTHING_NEW}")
    lines.append("  this run")
    lines += [f"  {k:<32} {v}" for k, v in _figures(s)]
    lines.append(f"  {'warehouse':<32} {s.warehouse}")
    if s.data_docs:
        lines.append(f"  {'data docs':<32} {s.data_docs}")
    if s.warehouse_totals:
        totals = ", ".join(f"{k} {v}" for k, v in s.warehouse_totals.items())
        lines.append(f"  {'warehouse now holds (all runs)':<32} {totals}")
    for r in s.checks:
        if not r.success:
            lines.append(
                f"  FAILED CHECK [{r.severity}] {r.suite}.{r.expectation}({r.column_name}): "
                f"{r.unexpected_count} unexpected; {r.observed_value or ''}".rstrip()
            )
    for e in s.errors[:20]:
        lines.append(f"  REJECTED {e['source_path']} ({e['stage']}): {e['reason']}")
    if len(s.errors) > 20:
        lines.append(f"  … and {len(s.errors) - 20} more rejected files (table ingest_errors)")
    return "\n".join(lines)


def summary_markdown(s: RunSummary, top_speakers: list[dict[str, Any]] | None = None) -> str:
    out = [f"# newsquotes run `{s.run_id}`", ""]
    if nothing_new(s):
        out += [f"**{NOTHING_NEW}.**", ""]
    out += ["## This run", "", "| figure | value |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in _figures(s)]
    if s.warehouse_totals:
        out += ["", "## The warehouse now holds (all runs)", "", "| table | rows |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in s.warehouse_totals.items()]
    out += ["", f"Warehouse: `{s.warehouse}` · Parquet lake: `{s.lake}` · input: `{s.input_dir}`", ""]
    if s.data_docs:
        out += [f"Data Docs: [{s.data_docs}]({s.data_docs})", ""]
    if s.checks:
        out += ["## Data-quality checks", "", "| suite | expectation | column | severity | result | unexpected |"]
        out.append("|---|---|---|---|---|---|")
        for r in s.checks:
            mark = "pass" if r.success else "**FAIL**"
            out.append(
                f"| {r.suite} | {r.expectation} | {r.column_name or ''} | {r.severity} | {mark} "
                f"| {r.unexpected_count if r.unexpected_count is not None else ''} |"
            )
        out.append("")
    drift = [r for r in s.checks if r.suite == "drift"]
    if drift:
        warned = sum(not r.success for r in drift)
        out += [f"## Drift per outlet: {warned} warning{'s' if warned != 1 else ''}", ""]
        out += ["This run's figures of each outlet against its trailing runs (`run_metrics`).", ""]
        out += ["| outlet | figure | result | this run vs trailing runs |", "|---|---|---|---|"]
        for r in sorted(drift, key=lambda r: (r.success, r.column_name or "", r.expectation)):
            figure = r.expectation.removesuffix("_holds").replace("_", " ")
            mark = "ok" if r.success else "**WARNING: dropped**"
            out.append(f"| {r.column_name} | {figure} | {mark} | {r.observed_value} |")
        out.append("")
    if top_speakers:
        out += ["## Top speakers (whole warehouse)", "", "| speaker | type | quotes | articles |", "|---|---|---|---|"]
        out += [
            f"| {r['speaker_name']} | {r['speaker_type']} | {r['quotes']} | {r['articles']} |" for r in top_speakers
        ]
        out.append("")
    if s.errors:
        out += ["## Rejected files", "", "| file | stage | reason |", "|---|---|---|"]
        out += [f"| {e['source_path']} | {e['stage']} | {e['reason']} |" for e in s.errors[:50]]
    return "\n".join(out)


@dataclass(slots=True)
class RunTally:
    """Running totals of a run, fed batch by batch."""

    articles_read: int = 0
    articles_loaded: int = 0
    articles_skipped: int = 0
    mentions: int = 0
    quotes: int = 0
    quotes_attributed: int = 0
    words: int = 0
    entity_ids: set[str] = field(default_factory=set)
    errors: list[dict[str, str]] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0
    non_english: int = 0

    def add_errors(self, errors: list[Any]) -> None:
        self.errors.extend({"source_path": e.source_path, "stage": e.stage, "reason": e.reason} for e in errors)

    def add_read(self, read: Any) -> None:
        self.articles_read += len(read.articles) + len(read.unchanged)
        self.articles_skipped += len(read.unchanged)
        self.add_errors(read.errors)

    def add_batch(self, stats: BatchStats) -> None:
        self.articles_loaded += len(stats.articles)
        self.duplicates += stats.duplicates
        self.non_english += stats.non_english
        self.mentions += stats.mentions
        self.quotes += stats.quotes
        self.quotes_attributed += stats.quotes_attributed
        self.words += stats.words
        self.entity_ids.update(stats.entity_ids)
        self.add_errors(stats.errors)
        for stage, seconds in stats.timings.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds

    def add_resumed(self, stats: BatchStats) -> None:
        """A batch an interrupted attempt finished and this run took over: its articles count as loaded.

        Reading finds them already processed, so they are taken back out of the unchanged (skipped) count.
        """
        self.articles_skipped -= len(stats.articles)
        self.add_batch(replace(stats, errors=[], timings={}))

    @property
    def rejected_files(self) -> int:
        return len({e["source_path"] for e in self.errors if e["stage"] != "discover"})


def run_bookkeeping(
    run_id: str, at: datetime, errors: list[dict[str, str]], checks: list[CheckResult]
) -> dict[str, pa.Table]:
    """The run's ``ingest_errors`` and ``dq_results`` rows as Arrow tables."""
    return {
        "ingest_errors": rows_to_table("ingest_errors", [{**e, "run_id": run_id, "occurred_at": at} for e in errors]),
        "dq_results": rows_to_table("dq_results", [c.as_row(run_id, at) for c in checks]),
    }


def integrity_checks(integrity: list[tuple[str, int]]) -> list[CheckResult]:
    """The warehouse's cross-table SQL rules as check results."""
    return [
        CheckResult(
            suite="warehouse",
            expectation=rule,
            column_name=None,
            severity="error",
            success=n == 0,
            observed_value=f"{n} violations",
            unexpected_count=n,
            element_count=None,
        )
        for rule, n in integrity
    ]


def build_summary(
    *,
    run_id: str,
    input_dir: str,
    warehouse: str,
    lake: str,
    started_at: datetime,
    status: str,
    files_seen: int,
    tally: RunTally,
    quarantined_articles: int,
    rows_quarantined: int,
    checks: list[CheckResult],
    data_docs: str | None,
    flow_run_id: str | None,
    warehouse_totals: dict[str, int] | None = None,
    post_load: dict[str, Any] | None = None,
    finished_at: datetime | None = None,
) -> RunSummary:
    """The run's summary from its tally and its checks; a failed run loaded nothing."""
    return RunSummary(
        run_id=run_id,
        input_dir=input_dir,
        warehouse=warehouse,
        lake=lake,
        started_at=started_at,
        finished_at=finished_at or datetime.now(started_at.tzinfo),
        status=status,
        files_seen=files_seen,
        articles_read=tally.articles_read,
        articles_loaded=0 if status == "failed" else tally.articles_loaded - quarantined_articles,
        articles_skipped=tally.articles_skipped,
        articles_rejected=tally.rejected_files,
        entities=len(tally.entity_ids),
        mentions=tally.mentions,
        quotes=tally.quotes,
        quotes_attributed=tally.quotes_attributed,
        words=tally.words,
        checks=checks,
        errors=tally.errors,
        warehouse_totals=warehouse_totals or {},
        flow_run_id=flow_run_id,
        rows_quarantined=rows_quarantined,
        stage_seconds=tally.stage_seconds,
        data_docs=data_docs,
        duplicates=tally.duplicates,
        non_english=tally.non_english,
        post_load=post_load or {},
    )
