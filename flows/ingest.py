"""The ingest flow: article files -> spaCy -> entities and quotes -> Parquet -> checks -> DuckDB."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from math import ceil
from typing import Any

from prefect import flow, get_run_logger
from prefect.context import get_run_context
from prefect.states import Completed, Failed, State
from prefect.utilities.annotations import quote

from newsquotes.entity_resolution import load_alias_file
from newsquotes.faults import checkpoint
from newsquotes.ids import new_run_id
from newsquotes.journal import RunJournal
from newsquotes.lock import warehouse_lock
from newsquotes.monitoring import status_after_drift
from newsquotes.quality import ValidationOutcome, gate_status
from newsquotes.report import (
    RunSummary,
    RunTally,
    build_summary,
    integrity_checks,
    run_bookkeeping,
    summary_text,
)
from newsquotes.schema import rows_to_table
from newsquotes.settings import Settings
from newsquotes.staging import discard_staging, staged_warehouse
from tasks.annotate import annotate_batch_task
from tasks.dedup import duplicate_index_task, mark_duplicates_task
from tasks.ingest import discover_files_task, known_hashes_task, read_articles_task
from tasks.lake import finalize_lake_task
from tasks.load import load_warehouse_task, record_bookkeeping_task, record_run_metrics_task
from tasks.recovery import settle_interrupted_task
from tasks.report import advance_progress, publish_summary_task, publish_trends_task, start_progress
from tasks.runners import nlp_runner
from tasks.validate import validate_run_task


def _flow_run_id() -> str | None:
    try:
        return str(get_run_context().flow_run.id)  # type: ignore[union-attr]
    except Exception:
        return None


@flow(name="newsquotes-ingest", log_prints=False)
def ingest_flow(
    input_dir: str | None = None,
    warehouse: str | None = None,
    parquet_dir: str | None = None,
    run_id: str | None = None,
    runner: str | None = None,
    dask_address: str | None = None,
    workers: int | None = None,
) -> State:
    """Ingest a folder of article files into the warehouse. Unset parameters come from Settings.

    ``runner``: where the NLP stage runs — ``local``, ``process`` (a local pool of ``workers``) or ``dask``
    (the cluster at ``dask_address``, or a local one).
    """
    given = {
        "input_dir": input_dir,
        "warehouse": warehouse,
        "parquet_dir": parquet_dir,
        "runner": runner,
        "dask_address": dask_address,
        "workers": workers,
    }
    settings = Settings(**{k: v for k, v in given.items() if v})
    if settings.aliases_file is not None:
        # read the user's alias file now: a malformed entry stops the run before it writes anything (the load
        # reads it again, after the NLP stage; failing only there would leave the run's Parquet and journal behind)
        load_alias_file(settings.aliases_file)
    # one writer at a time: a second run waits (bounded) for the first, then gives up touching nothing
    with warehouse_lock(settings.warehouse_path, settings.lock_wait_seconds):
        discard_staging(settings.warehouse_path)  # a killed run's private copy: never published, now stale
        return _ingest(settings, run_id or new_run_id())


def _ingest(settings: Settings, run_id: str) -> State:
    """The run itself, composed of tasks; called by ``ingest_flow`` while it holds the writer lock."""
    log = get_run_logger()
    started = datetime.now(UTC)
    wh, lake = settings.warehouse_path, settings.lake_dir
    journal = RunJournal(lake, run_id)
    takeover = settle_interrupted_task(
        lake, wh, settings.input_dir, run_id, settings.max_file_bytes, settings.json_fields
    )
    for note in takeover.notes:
        log.warning(note)
    journal.record("started", input_dir=str(settings.input_dir))

    discovery = discover_files_task(settings.input_dir, settings.extensions, settings.allow_outside_links)
    skip = {**known_hashes_task(wh), **takeover.known}
    duplicates = duplicate_index_task(wh, takeover.signatures)
    tally = RunTally()
    tally.add_errors(discovery.skipped)
    for inherited in takeover.parts:
        tally.add_resumed(inherited)
    total = len(discovery.files)
    log.info("run %s: %d files in %s", run_id, total, settings.input_dir)
    progress = start_progress(run_id, total)
    pending: deque[Any] = deque()

    def collect(future: Any) -> None:
        stats = future.result()
        tally.add_batch(stats)
        journal.part(stats)

    with nlp_runner(settings, ceil(total / settings.batch_size)) as runner:
        log.info("NLP runs %s", runner.description)
        for start in range(0, total, settings.batch_size):
            read = read_articles_task(
                settings.input_dir,
                discovery.files[start : start + settings.batch_size],
                quote(skip),  # quote(): large, and holds no futures; Prefect need not walk it per task run
                settings.max_file_bytes,
                settings.json_fields,
                settings.max_body_chars,
            )
            checkpoint("read")
            tally.add_read(read)
            if read.articles:
                read = mark_duplicates_task(quote(duplicates), read)
                parameters = {
                    "model": settings.spacy_model,
                    "articles": read.articles,
                    "run_id": run_id,
                    "ingested_at": started,
                    "lake_dir": lake,
                    "part": f"{start // settings.batch_size:05d}",
                    "nlp_batch_size": settings.nlp_batch_size,
                    "n_process": settings.n_process,
                }
                pending.append(runner.submit(annotate_batch_task, parameters))
            while len(pending) > runner.in_flight:
                collect(pending.popleft())
            log.info("read %d/%d files", min(start + settings.batch_size, total), total)
            advance_progress(progress, run_id, start + settings.batch_size, total)
        while pending:
            collect(pending.popleft())
    if tally.articles_loaded:
        finalize_lake_task(lake, run_id)
        outcome = validate_run_task(lake, run_id, settings.model_dump(), settings.gx_project_dir, quote(skip), started)
    else:  # nothing new or changed: nothing to validate or publish, only the run's own bookkeeping
        outcome = ValidationOutcome()
    status = gate_status(outcome)
    journal.record("validated", status=status, quarantined=outcome.quarantined_count)
    checkpoint("validate")
    checks = list(outcome.results)

    def summarise(**extra: Any) -> RunSummary:
        return build_summary(
            run_id=run_id,
            input_dir=str(settings.input_dir),
            warehouse=str(wh),
            lake=str(lake),
            started_at=started,
            status=status,
            files_seen=total + len(discovery.skipped),
            tally=tally,
            quarantined_articles=len(outcome.quarantine.get("articles", {})),
            rows_quarantined=outcome.quarantined_count,
            checks=checks,
            data_docs=outcome.data_docs,
            flow_run_id=_flow_run_id(),
            **extra,
        )

    totals: dict[str, int] = {}
    post_load: dict[str, Any] = {}
    # every write of the run goes into a private copy, published by one rename: readers never wait
    with staged_warehouse(wh) as target:
        loaded = False
        if status != "failed" and tally.articles_loaded:
            journal.record("loading", run_row=summarise().run_row())
            bookkeeping = run_bookkeeping(run_id, started, tally.errors, checks)
            load = load_warehouse_task(target, lake, run_id, bookkeeping, settings.aliases_file)
            post_load = load.post_load
            checks += integrity_checks(load.integrity)
            totals = load.counts
            loaded = load.committed
            if not loaded:
                status = "failed"
        if not loaded:
            record_bookkeeping_task(target, run_bookkeeping(run_id, started, tally.errors, checks))
        drift = record_run_metrics_task(
            target,
            run_id,
            started,
            tally.stage_seconds,
            settings.drift_window,
            settings.drift_threshold,
            settings.drift_min_articles,
        )
        checks += drift
        status = status_after_drift(status, drift)
        summary = summarise(warehouse_totals=totals, post_load=post_load)
        record_bookkeeping_task(target, {"pipeline_runs": rows_to_table("pipeline_runs", [summary.run_row()])})
    if loaded:
        journal.record("committed")
        checkpoint("committed")
    journal.record("finished", status=status)
    publish_summary_task(summary)
    publish_trends_task(wh)
    text = summary_text(summary)
    log.info(
        "run %s %s: %d articles loaded, %d quotes, %d checks failed",
        run_id,
        status,
        summary.articles_loaded,
        summary.quotes,
        summary.checks_failed,
    )
    result: dict[str, Any] = {**summary.as_dict(), "summary_text": text}
    if status == "failed":
        return Failed(message=f"run {run_id}: data-quality checks failed; nothing was published", data=result)
    if status == "warned":  # published, with failed warnings or quarantined rows: named so the UI shows it
        return Completed(name="Warned", message=f"run {run_id}: warned (see the summary artifact)", data=result)
    return Completed(message=f"run {run_id}: {status}", data=result)
