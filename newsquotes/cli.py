"""The ``newsquotes`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2
EXIT_WAREHOUSE_BUSY = 3
EXIT_OUTPUT_UNWRITABLE = 4


def _quiet_prefect_defaults() -> None:
    """Local runs need no configuration and send nothing anywhere."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # the temporary server a run starts when no PREFECT_API_URL is set: give a busy machine time to start it
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _cmd_run(args: argparse.Namespace) -> int:
    _quiet_prefect_defaults()
    if args.dask_address and args.runner not in (None, "dask"):
        print("newsquotes: --dask-address needs --runner dask", file=sys.stderr)
        return EXIT_USAGE
    if args.dask_address:
        args.runner = "dask"
    if args.workers is not None and args.workers < 1:
        print("newsquotes: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from flows.ingest import ingest_flow

    state = ingest_flow(
        input_dir=str(args.input) if args.input else None,
        warehouse=str(args.warehouse) if args.warehouse else None,
        parquet_dir=str(args.parquet_dir) if args.parquet_dir else None,
        runner=args.runner,
        dask_address=args.dask_address,
        workers=args.workers,
        return_state=True,
    )
    try:
        result = state.result(raise_on_failure=False)
    except Exception as exc:  # the flow crashed before it could summarise
        print(f"newsquotes: run failed: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    from newsquotes.lock import WarehouseBusyError

    if isinstance(result, WarehouseBusyError):
        print(f"newsquotes: {result}", file=sys.stderr)
        return EXIT_WAREHOUSE_BUSY
    from newsquotes.output_errors import OutputWriteError

    if isinstance(result, OutputWriteError):
        print(f"newsquotes: {result}", file=sys.stderr)
        return EXIT_OUTPUT_UNWRITABLE
    if isinstance(result, dict) and "summary_text" in result:
        print(result["summary_text"])
    if state.is_failed() or state.is_crashed():
        print(f"newsquotes: {state.message or 'run failed'}", file=sys.stderr)
        return EXIT_RUN_FAILED
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    """Serve the ingest flow on a cron schedule: a deployment plus a local runner, until Ctrl+C."""
    _quiet_prefect_defaults()
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        print(
            "newsquotes: serve needs a Prefect server to schedule runs. Start one (`make dashboard`), then\n"
            "  export PREFECT_API_URL=http://127.0.0.1:4200/api",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from flows.serve import build_deployment, serve_deployment
    from newsquotes.settings import Settings

    overrides = {"input_dir": args.input, "warehouse": args.warehouse, "parquet_dir": args.parquet_dir}
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
        deployment = build_deployment(settings, cron=args.cron, name=args.name)
    except ValueError as exc:
        print(f"newsquotes: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"newsquotes: serving deployment '{deployment.full_name}' on cron "
        f"{args.cron or settings.schedule_cron!r} ({settings.schedule_timezone}) against {PREFECT_API_URL.value()}",
        flush=True,
    )
    serve_deployment(deployment)
    return EXIT_OK


def _settings(args: argparse.Namespace) -> Any:
    from newsquotes.settings import Settings

    overrides = {"warehouse": getattr(args, "warehouse", None), "data_docs_dir": getattr(args, "data_docs", None)}
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _cmd_validate(args: argparse.Namespace) -> int:
    _quiet_prefect_defaults()
    from newsquotes.revalidate import checks_table, validate_warehouse

    settings = _settings(args)
    try:
        result = validate_warehouse(settings.warehouse_path, settings.model_dump(), settings.gx_project_dir)
    except FileNotFoundError as exc:
        print(f"newsquotes: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    print(checks_table(result.checks))
    failed = sum(not c.success for c in result.checks)
    print(f"\n{len(result.checks) - failed} passed, {failed} failed")
    if result.outcome.data_docs:
        print(f"Data Docs: {result.outcome.data_docs}")
    return EXIT_OK if result.ok else EXIT_RUN_FAILED


def _cmd_docs(args: argparse.Namespace) -> int:
    settings = _settings(args)
    index = settings.gx_project_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    if not index.is_file():
        print(
            f"newsquotes: no Data Docs at {index} yet: run `newsquotes run` or `newsquotes validate`", file=sys.stderr
        )
        return EXIT_RUN_FAILED
    print(index.resolve().as_uri())
    if args.open:
        import webbrowser

        webbrowser.open(index.resolve().as_uri())
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from newsquotes.html_report import ReportError, write_report

    settings = _settings(args)
    try:
        out = write_report(settings.warehouse_path, args.out)
    except ReportError as exc:
        print(f"newsquotes: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    print(out.resolve().as_uri())
    return EXIT_OK


def _cmd_alerts(args: argparse.Namespace) -> int:
    """Create (or replace) the alert automation on the Prefect server."""
    _quiet_prefect_defaults()
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        print(
            "newsquotes: alerts are an automation on a Prefect server. Start one (`make dashboard`), then\n"
            "  export PREFECT_API_URL=http://127.0.0.1:4200/api",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from newsquotes.alerts import ALERT_BLOCK, AlertConfigError, install_alerts

    try:
        automation_id = install_alerts(args.webhook, args.config)
    except AlertConfigError as exc:
        print(f"newsquotes: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"newsquotes: automation {automation_id} calls the webhook block '{ALERT_BLOCK}' on {PREFECT_API_URL.value()}"
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsquotes",
        description="Turn a folder of news articles into a DuckDB warehouse of entities and attributed quotes.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the ingest flow once")
    run.add_argument("--input", type=Path, help="folder of article files (default: the bundled samples)")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (default: data/newsquotes.duckdb)")
    run.add_argument("--parquet-dir", type=Path, help="Parquet lake folder (default: data/lake)")
    run.add_argument(
        "--runner",
        choices=("local", "process", "dask"),
        help="where the NLP stage runs: in this process, a local process pool (default), or a Dask cluster",
    )
    run.add_argument("--dask-address", help="scheduler of an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    run.add_argument("--workers", type=int, help="worker processes of the pool or local Dask cluster (default: CPUs)")
    run.set_defaults(func=_cmd_run)
    serve = sub.add_parser("serve", help="run the ingest flow on a schedule (needs a Prefect server)")
    serve.add_argument("--cron", help="cron schedule (default: setting schedule_cron, nightly at 02:00)")
    serve.add_argument("--name", help="deployment name (default: setting deployment_name)")
    serve.add_argument("--input", type=Path, help="folder of article files (default: the bundled samples)")
    serve.add_argument("--warehouse", type=Path, help="DuckDB file (default: data/newsquotes.duckdb)")
    serve.add_argument("--parquet-dir", type=Path, help="Parquet lake folder (default: data/lake)")
    serve.set_defaults(func=_cmd_serve)
    validate = sub.add_parser("validate", help="re-run every data-quality suite against the warehouse")
    validate.add_argument("--warehouse", type=Path, help="DuckDB file (default: data/newsquotes.duckdb)")
    validate.add_argument("--data-docs", type=Path, help="Great Expectations project folder for the Data Docs")
    validate.set_defaults(func=_cmd_validate)
    docs = sub.add_parser("docs", help="print (or --open) the Data Docs site of the warehouse")
    docs.add_argument("--warehouse", type=Path, help="DuckDB file (default: data/newsquotes.duckdb)")
    docs.add_argument("--data-docs", type=Path, help="Great Expectations project folder for the Data Docs")
    docs.add_argument("--open", action="store_true", help="open the site in a browser")
    docs.set_defaults(func=_cmd_docs)
    report = sub.add_parser("report", help="write one static HTML report of the warehouse (trends, outlets, checks)")
    report.add_argument("--warehouse", type=Path, help="DuckDB file (default: data/newsquotes.duckdb)")
    report.add_argument("--out", type=Path, default=Path("report.html"), help="HTML file to write (report.html)")
    report.set_defaults(func=_cmd_report)
    alerts = sub.add_parser(
        "alerts", help="create the automation that calls a webhook when a run ends Failed, Crashed or Warned"
    )
    alerts.add_argument("--webhook", required=True, help="URL the automation POSTs to (JSON)")
    alerts.add_argument("--config", type=Path, help="automation file (default: newsquotes/resources/alerts.yaml)")
    alerts.set_defaults(func=_cmd_alerts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
