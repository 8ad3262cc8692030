"""Scheduled runs on one machine: the ingest flow as a deployment, served by a local runner.

``newsquotes serve`` builds the deployment (cron, name and paths from Settings) and starts a Prefect runner
that polls the Prefect server for scheduled or manually triggered runs and executes each one in a
subprocess. DuckDB has one writer, so the deployment runs at most one flow run at a time: a run that comes
due while another is writing waits for the slot (collision strategy ``ENQUEUE``).

Schedules are created by the Prefect server's scheduler service, so a real server is needed
(``make dashboard``, or any server ``PREFECT_API_URL`` points at); Prefect's temporary in-process server
runs no scheduler.
"""

from __future__ import annotations

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from flows.ingest import ingest_flow
from newsquotes.settings import Settings

TAGS = ["newsquotes"]
MAX_CONCURRENT_RUNS = 1  # DuckDB has one writer


def deployment_parameters(settings: Settings) -> dict[str, str]:
    """The flow parameters every run of the deployment gets by default: absolute input, warehouse, lake."""
    return {
        "input_dir": str(settings.input_dir.resolve()),
        "warehouse": str(settings.warehouse_path.resolve()),
        "parquet_dir": str(settings.lake_dir.resolve()),
    }


def build_deployment(settings: Settings, cron: str | None = None, name: str | None = None) -> RunnerDeployment:
    """The ingest flow's deployment: cron schedule, default paths, concurrency limit of one.

    Raises ``ValueError`` for an invalid cron string or time zone.
    """
    cron = cron or settings.schedule_cron
    CronSchedule(cron=cron, timezone=settings.schedule_timezone)  # validate now, not in the server's reply
    return ingest_flow.to_deployment(
        name=name or settings.deployment_name,
        schedule=Cron(cron, timezone=settings.schedule_timezone),
        parameters=deployment_parameters(settings),
        concurrency_limit=ConcurrencyLimitConfig(
            limit=MAX_CONCURRENT_RUNS, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE
        ),
        description=f"newsquotes ingest on cron {cron!r} ({settings.schedule_timezone})",
        tags=TAGS,
        # `flows.ingest.ingest_flow`: importable wherever newsquotes is installed, whatever the working folder
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_deployment(deployment: RunnerDeployment) -> None:
    """Register the deployment and run its flow runs here until interrupted (schedule paused on exit)."""
    serve(deployment, limit=MAX_CONCURRENT_RUNS, pause_on_shutdown=True)
