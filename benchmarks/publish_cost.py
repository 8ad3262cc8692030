"""What publishing through a private copy costs a run (newsquotes.staging), at 1x and Nx the warehouse.

Usage: python benchmarks/publish_cost.py --warehouse W.duckdb [--scale 1 --scale 10] [--repeat 3] [--run-seconds S]

For each scale it times what staging adds to a run that writes: copying the published warehouse into the
private copy, then syncing and renaming it over the warehouse (a ``pipeline_runs`` row is written in between,
as every run does). Scale N is a warehouse whose tables hold every row of W N times (the same columns and
compression, N times the rows). ``--run-seconds`` (the full run that produced W) prints the cost as a share of
it. Nothing of W is changed: it works on copies in a temporary folder beside W.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsquotes.staging import staged_warehouse  # noqa: E402


def _replicate(source: Path, target: Path, scale: int) -> None:
    """``target``: every table of ``source`` with each row ``scale`` times (no constraints)."""
    if scale == 1:
        shutil.copyfile(source, target)
        return
    with duckdb.connect(str(target)) as con:
        con.execute("ATTACH $p AS src (READ_ONLY)", {"p": str(source)})
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' ORDER BY 1"
            ).fetchall()
        ]
        for table in tables:
            con.execute(f'CREATE TABLE "{table}" AS SELECT t.* FROM src."{table}" AS t, range({int(scale)})')
        con.execute("DETACH src")


def _one_publish(warehouse: Path) -> float:
    start = time.perf_counter()
    with staged_warehouse(warehouse) as target, duckdb.connect(str(target)) as con:
        con.execute("CREATE TABLE IF NOT EXISTS publish_probe (written_at TIMESTAMP)")
        con.execute("INSERT INTO publish_probe VALUES (now())")
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--scale", type=int, action="append")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--run-seconds", type=float, default=None, help="wall time of the full run that made W")
    args = ap.parse_args()
    scales = args.scale or [1, 10]
    print(f"{'scale':>5} {'file MB':>9} {'publish s (median)':>19} {'share of the run':>17}")
    with tempfile.TemporaryDirectory(dir=args.warehouse.parent, prefix=".publish-cost-") as tmp:
        for scale in scales:
            warehouse = Path(tmp) / f"w{scale}.duckdb"
            _replicate(args.warehouse, warehouse, scale)
            times = [_one_publish(warehouse) for _ in range(args.repeat)]
            median = statistics.median(times)
            share = f"{100 * median / args.run_seconds:.1f}%" if args.run_seconds else "-"
            size = warehouse.stat().st_size / 1e6
            print(f"{scale:>5} {size:>9.1f} {median:>19.2f} {share:>17}", flush=True)
            warehouse.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
