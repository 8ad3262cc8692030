"""The ``newsquotes`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2


def _quiet_prefect_defaults() -> None:
    """Local runs need no configuration and send nothing anywhere."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def _cmd_run(args: argparse.Namespace) -> int:
    _quiet_prefect_defaults()
    from flows.ingest import ingest_flow

    state = ingest_flow(
        input_dir=str(args.input) if args.input else None,
        warehouse=str(args.warehouse) if args.warehouse else None,
        parquet_dir=str(args.parquet_dir) if args.parquet_dir else None,
        return_state=True,
    )
    try:
        result = state.result(raise_on_failure=False)
    except Exception as exc:  # the flow crashed before it could summarise
        print(f"newsquotes: run failed: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    if isinstance(result, dict) and "summary_text" in result:
        print(result["summary_text"])
    if state.is_failed() or state.is_crashed():
        print(f"newsquotes: {state.message or 'run failed'}", file=sys.stderr)
        return EXIT_RUN_FAILED
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
    run.set_defaults(func=_cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
