"""The ingest flow: article files -> spaCy -> entities and quotes -> Parquet -> checks -> DuckDB."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger
from prefect.context import get_run_context
from prefect.states import Completed, Failed, State

from newsquotes.ids import new_run_id
from newsquotes.lock import warehouse_lock
from newsquotes.quality import gate_status
from newsquotes.report import RunSummary, RunTally, integrity_checks, run_bookkeeping, summary_text
from newsquotes.schema import rows_to_table
from newsquotes.settings import Settings
from tasks.annotate import annotate_batch_task
from tasks.dedup import duplicate_index_task, mark_duplicates_task
from tasks.ingest import discover_files_task, known_hashes_task, read_articles_task
from tasks.lake import finalize_lake_task, write_parquet_task
from tasks.load import load_warehouse_task, record_bookkeeping_task
from tasks.report import advance_progress, publish_summary_task, start_progress
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
) -> State:
    """Ingest a folder of article files into the warehouse. Unset parameters come from Settings."""
    overrides = {
        k: v for k, v in {"input_dir": input_dir, "warehouse": warehouse, "parquet_dir": parquet_dir}.items() if v
    }
    settings = Settings(**overrides)
    # one writer at a time: a second run waits (bounded) for the first, then gives up touching nothing
    with warehouse_lock(settings.warehouse_path, settings.lock_wait_seconds):
        return _ingest(settings, run_id or new_run_id())


def _ingest(settings: Settings, run_id: str) -> State:
    """The run itself, composed of tasks; called by ``ingest_flow`` while it holds the writer lock."""
    log = get_run_logger()
    started = datetime.now(UTC)
    wh, lake = settings.warehouse_path, settings.lake_dir

    discovery = discover_files_task(settings.input_dir, settings.extensions)
    known = known_hashes_task(wh)
    duplicates = duplicate_index_task(wh)
    tally = RunTally()
    tally.add_errors(discovery.skipped)
    total = len(discovery.files)
    log.info("run %s: %d files in %s", run_id, total, settings.input_dir)
    progress = start_progress(run_id, total)
    for start in range(0, total, settings.batch_size):
        part = f"{start // settings.batch_size:05d}"
        read = read_articles_task(
            settings.input_dir,
            discovery.files[start : start + settings.batch_size],
            known,
            settings.max_file_bytes,
            settings.json_fields,
        )
        tally.add_read(read)
        if read.articles:
            read = mark_duplicates_task(duplicates, read)
            batch = annotate_batch_task(
                settings.spacy_model, read.articles, run_id, started, settings.nlp_batch_size, settings.n_process
            )
            write_parquet_task(lake, run_id, part, batch.tables)
            tally.add_batch(batch)
        log.info("processed %d/%d files", min(start + settings.batch_size, total), total)
        advance_progress(progress, run_id, start + settings.batch_size, total)
    finalize_lake_task(lake, run_id)

    outcome = validate_run_task(lake, run_id, settings.model_dump(), settings.gx_project_dir, known, started)
    status = gate_status(outcome)
    checks = list(outcome.results)
    bookkeeping = run_bookkeeping(run_id, started, tally.errors, checks)
    totals: dict[str, int] = {}
    post_load: dict[str, Any] = {}
    if status != "failed":
        load = load_warehouse_task(wh, lake, run_id, bookkeeping, settings.aliases_file)
        post_load = load.post_load
        checks += integrity_checks(load.integrity)
        totals = load.counts
        if not load.committed:
            status = "failed"
    if status == "failed":
        record_bookkeeping_task(wh, run_bookkeeping(run_id, started, tally.errors, checks))
    summary = RunSummary(
        run_id=run_id,
        input_dir=str(settings.input_dir),
        warehouse=str(wh),
        lake=str(lake),
        started_at=started,
        finished_at=datetime.now(UTC),
        status=status,
        files_seen=total + len(discovery.skipped),
        articles_read=tally.articles_read,
        articles_loaded=0
        if status == "failed"
        else tally.articles_loaded - len(outcome.quarantine.get("articles", {})),
        articles_skipped=tally.articles_skipped,
        articles_rejected=tally.rejected_files,
        entities=len(tally.entity_ids),
        mentions=tally.mentions,
        quotes=tally.quotes,
        quotes_attributed=tally.quotes_attributed,
        words=tally.words,
        checks=checks,
        errors=tally.errors,
        warehouse_totals=totals,
        flow_run_id=_flow_run_id(),
        rows_quarantined=outcome.quarantined_count,
        stage_seconds=tally.stage_seconds,
        data_docs=outcome.data_docs,
        duplicates=tally.duplicates,
        non_english=tally.non_english,
        post_load=post_load,
    )
    record_bookkeeping_task(wh, {"pipeline_runs": rows_to_table("pipeline_runs", [summary.run_row()])})
    publish_summary_task(summary)
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
    return Completed(message=f"run {run_id}: {status}", data=result)
