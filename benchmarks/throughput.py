"""Throughput of the full pipeline against spaCy's own limit, with a stage breakdown and peak memory.

Usage: python benchmarks/throughput.py [--corpus ../shared/corpora/bbc] [--scale N] [--csv FILE]

In one process it measures
  (a) raw ``nlp.pipe`` over the same article bodies, same model, batch size and process count (the run's NLP
      workers: ``NEWSQUOTES_WORKERS``, default one per CPU, or ``NEWSQUOTES_N_PROCESS`` with runner ``local``);
  (b) the full ingest flow end to end into a fresh warehouse (read/clean, NLP, extraction, Parquet write,
      validation, DuckDB load, orchestration);
  (c) a second run over the unchanged files.
``--scale N`` replicates the corpus N times under distinct folder names (distinct article ids).
Figures are printed as a table and appended to a CSV (default benchmarks/results/throughput.csv).
Peak memory is sampled (every 0.2 s): the pipeline (this process plus its NLP workers) and, apart, the Prefect server.
Stage seconds of the NLP workers (nlp, extraction, write) are worker-seconds, summed over the workers.
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
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from newsquotes.ingest import discover_files, read_articles  # noqa: E402
from newsquotes.nlp.model import load_model  # noqa: E402
from newsquotes.settings import Settings  # noqa: E402

TASK_STAGES = {
    "settle-interrupted-runs": "read/clean",
    "discover-files": "read/clean",
    "known-content-hashes": "read/clean",
    "duplicate-index": "read/clean",
    "read-and-parse": "read/clean",
    "mark-duplicates": "read/clean",
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


class MemorySampler:
    """Peak RSS, sampled in a background thread: of the pipeline (this process plus its NLP workers) and of the
    temporary Prefect server the benchmark started (a separate service in production, so reported apart)."""

    def __init__(self, interval: float = 0.2) -> None:
        import psutil

        self._me = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.peak = {"pipeline": 0, "workers": 0, "prefect_server": 0}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> dict[str, int]:
        import psutil

        sizes = {"pipeline": self._me.memory_info().rss, "workers": 0, "prefect_server": 0}
        for proc in self._me.children(recursive=True):
            try:
                rss = proc.memory_info().rss
                server = any("uvicorn" in part or "prefect.server" in part for part in proc.cmdline())
            except psutil.Error:
                continue
            if server:
                sizes["prefect_server"] += rss
            else:
                sizes["workers"] += rss
                sizes["pipeline"] += rss
        return sizes

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for key, value in self._sample().items():
                self.peak[key] = max(self.peak[key], value)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self, key: str) -> int:
        return round(self.peak[key] / 2**20)


@contextmanager
def prefect_server() -> Iterator[float]:
    """A temporary Prefect server for the benchmark, started before any timing (a deployment has one running);
    yields how long it took to start. With PREFECT_API_URL set, that server is used instead."""
    if os.environ.get("PREFECT_API_URL"):
        yield 0.0
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    start = time.perf_counter()
    server = SubprocessASGIServer()
    server.start(timeout=120)
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield time.perf_counter() - start
    finally:
        server.stop()


def own_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def nlp_processes(settings: Settings) -> int:
    return settings.workers if settings.runner in ("process", "dask") else settings.n_process


def raw_nlp_pipe(settings: Settings, input_dir: Path) -> tuple[float, int]:
    """Seconds for nlp.pipe alone over every article body (bodies prepared outside the timing)."""
    from newsquotes.annotate import word_count

    files = discover_files(input_dir, settings.extensions).files
    articles = read_articles(input_dir, files, {}, settings.max_file_bytes).articles
    bodies = [a.parsed.body for a in articles]
    words = sum(word_count(b) for b in bodies)
    nlp = load_model(settings.spacy_model)
    start = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=settings.nlp_batch_size, n_process=nlp_processes(settings)):
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
    with prefect_server() as server_start_s, tempfile.TemporaryDirectory(prefix="newsquotes-bench-") as tmp:
        input_dir = stage_corpus(args.corpus, args.scale, Path(tmp) / "input")
        params = {
            "input_dir": str(input_dir),
            "warehouse": str(Path(tmp) / "w.duckdb"),
            "parquet_dir": str(Path(tmp) / "lake"),
        }
        # the flow first, so its memory is not inflated by the raw baseline's model in this process
        with MemorySampler() as memory:
            start = time.perf_counter()
            summary = ingest_flow(**params)
            full_s = time.perf_counter() - start
        flow_peak_mb = own_peak_rss_mb()
        start = time.perf_counter()
        again = ingest_flow(**params)
        rerun_s = time.perf_counter() - start
        tasks = asyncio.run(task_seconds(summary["flow_run_id"]))
        raw_s, words = (0.0, 0) if args.skip_raw else raw_nlp_pipe(settings, input_dir)
    words = words or summary["words"]
    stages: dict[str, float] = {"read/clean": 0.0, "validate": 0.0, "load": 0.0}
    for task, seconds in tasks.items():
        if task in TASK_STAGES and TASK_STAGES[task] in stages:
            stages[TASK_STAGES[task]] += seconds
    worker = summary["stage_seconds"]
    row = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "articles": summary["articles_loaded"],
        "words": words,
        "runner": settings.runner,
        "nlp_processes": nlp_processes(settings),
        "raw_nlp_s": round(raw_s, 2),
        "raw_words_per_s": round(words / raw_s) if raw_s else "",
        "full_s": round(full_s, 2),
        "full_words_per_s": round(words / full_s),
        "ratio": round(raw_s / full_s, 3) if raw_s else "",
        "rerun_s": round(rerun_s, 2),
        "rerun_share": round(rerun_s / full_s, 3),
        "rerun_loaded": again["articles_loaded"],
        "prefect_server_start_s": round(server_start_s, 1),  # once per machine in production: not timed above
        "peak_rss_pipeline_mb": memory.peak_mb("pipeline"),  # flow process + NLP workers, summed at each sample
        "peak_rss_workers_mb": memory.peak_mb("workers"),
        "peak_rss_flow_mb": round(flow_peak_mb),
        "peak_rss_prefect_server_mb": memory.peak_mb("prefect_server"),
        # in the flow's process (wall seconds)
        **{f"flow_{k}_s": round(v, 2) for k, v in stages.items()},
        "flow_orchestration_s": round(full_s - sum(stages.values()) - tasks.get("annotate-batch", 0.0), 2)
        if settings.runner == "local"
        else "",
        # in the NLP workers (worker-seconds, summed over workers)
        "worker_nlp_s": round(worker.get("nlp", 0.0), 2),
        "worker_extraction_s": round(worker.get("extract", 0.0), 2),
        "worker_write_s": round(worker.get("write", 0.0), 2),
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
