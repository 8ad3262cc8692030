"""Throughput of the full pipeline against spaCy's own limit, with a stage breakdown and peak memory.

Usage: python benchmarks/throughput.py [--corpus ../shared/corpora/bbc] [--scale N] [--csv FILE]

In one process it measures
  (a) raw ``nlp.pipe`` over the same article bodies, same model, batch size and process count;
  (b) the full ingest flow end to end into a fresh warehouse (read/clean, NLP, extraction, Parquet write,
      validation, DuckDB load, orchestration);
  (c) a second run over the unchanged files.
``--scale N`` replicates the corpus N times under distinct folder names (distinct article ids).
Figures are printed as a table and appended to a CSV (default benchmarks/results/throughput.csv).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from newsquotes.ingest import discover_files, read_articles  # noqa: E402
from newsquotes.nlp.model import load_model  # noqa: E402
from newsquotes.settings import Settings  # noqa: E402

TASK_STAGES = {
    "discover-files": "read/clean",
    "known-content-hashes": "read/clean",
    "read-and-parse": "read/clean",
    "write-parquet": "write",
    "finalize-lake": "write",
    "validate-run": "validate",
    "load-warehouse": "load",
    "record-bookkeeping": "load",
    "publish-summary": "orchestration",
}


def stage_corpus(corpus: Path, scale: int, target: Path) -> Path:
    """The corpus itself for scale 1; N symlinked copies under copy-K/ otherwise."""
    if scale == 1:
        return corpus
    for k in range(scale):
        shutil.copytree(corpus, target / f"copy-{k}", symlinks=False, copy_function=os.symlink)
    return target


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def raw_nlp_pipe(settings: Settings, input_dir: Path) -> tuple[float, int]:
    """Seconds for nlp.pipe alone over every article body (bodies prepared outside the timing)."""
    from newsquotes.annotate import word_count

    files = discover_files(input_dir, settings.extensions).files
    articles = read_articles(input_dir, files, {}, settings.max_file_bytes).articles
    bodies = [a.parsed.body for a in articles]
    words = sum(word_count(b) for b in bodies)
    nlp = load_model(settings.spacy_model)
    start = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=settings.nlp_batch_size, n_process=settings.n_process):
        pass
    return time.perf_counter() - start, words


async def task_seconds(flow_run_id: str) -> dict[str, float]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    totals: dict[str, float] = {}
    async with get_client() as client:
        runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    for run in runs:
        base = run.task_key.rsplit("-", 1)[0] if run.task_key else run.name.rsplit("-", 1)[0]
        name = next((k for k in (*TASK_STAGES, "annotate-batch") if base.endswith(k) or run.name.startswith(k)), base)
        totals[name] = totals.get(name, 0.0) + run.total_run_time.total_seconds()
    return totals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora" / "bbc")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--csv", type=Path, default=REPO / "benchmarks" / "results" / "throughput.csv")
    ap.add_argument("--skip-raw", action="store_true", help="do not measure raw nlp.pipe")
    args = ap.parse_args()
    from flows.ingest import ingest_flow

    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="newsquotes-bench-") as tmp:
        input_dir = stage_corpus(args.corpus, args.scale, Path(tmp) / "input")
        raw_s, words = (0.0, 0) if args.skip_raw else raw_nlp_pipe(settings, input_dir)
        params = {
            "input_dir": str(input_dir),
            "warehouse": str(Path(tmp) / "w.duckdb"),
            "parquet_dir": str(Path(tmp) / "lake"),
        }
        start = time.perf_counter()
        summary = ingest_flow(**params)
        full_s = time.perf_counter() - start
        start = time.perf_counter()
        again = ingest_flow(**params)
        rerun_s = time.perf_counter() - start
        tasks = asyncio.run(task_seconds(summary["flow_run_id"]))
    words = words or summary["words"]
    stages: dict[str, float] = {"read/clean": 0.0, "write": 0.0, "validate": 0.0, "load": 0.0}
    for task, seconds in tasks.items():
        if task in TASK_STAGES and TASK_STAGES[task] in stages:
            stages[TASK_STAGES[task]] += seconds
    stages["nlp"] = summary["stage_seconds"].get("nlp", 0.0)
    stages["extraction"] = tasks.get("annotate-batch", 0.0) - stages["nlp"]
    stages["orchestration"] = full_s - sum(stages.values())
    row = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "articles": summary["articles_loaded"],
        "words": words,
        "n_process": settings.n_process,
        "raw_nlp_s": round(raw_s, 2),
        "raw_words_per_s": round(words / raw_s) if raw_s else "",
        "full_s": round(full_s, 2),
        "full_words_per_s": round(words / full_s),
        "ratio": round(raw_s / full_s, 3) if raw_s else "",
        "rerun_s": round(rerun_s, 2),
        "rerun_share": round(rerun_s / full_s, 3),
        "rerun_loaded": again["articles_loaded"],
        "peak_rss_mb": round(peak_rss_mb()),
        **{f"stage_{k}_s": round(v, 2) for k, v in stages.items()},
    }
    width = max(len(k) for k in row)
    for key, value in row.items():
        print(f"{key:<{width}}  {value}")
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    new = not args.csv.exists()
    with args.csv.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        if new:
            writer.writeheader()
        writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
