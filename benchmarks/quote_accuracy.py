"""Quote extraction and attribution accuracy of the real pipeline on the gold sets (``make eval``).

Usage: python benchmarks/quote_accuracy.py [--shared ../shared] [--polnear-mirror DIR] [--details]
Runs the ingest flow on the annotated articles of each gold set into a fresh warehouse and prints the
reference scorers' figures side by side in one table: BBC dev and seeds (``score_quotes.py``) and, when a
mirror of networkdynamics/PolNeAR is present (``--polnear-mirror``, ``POLNEAR_MIRROR``, else
``/work/.mirror/networkdynamics+PolNeAR/repo``), PolNeAR's dev split (``polnear_bench.py``), prepared into a
temporary folder for the run and deleted after (PolNeAR's test split is never prepared).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # as `newsquotes run`: busy machines

from newsquotes.evaluation import score_warehouse, stage_gold_corpus  # noqa: E402

SETS = {"seeds": ("seeds_quotes.jsonl", "corpora/seeds"), "bbc-dev": ("dev_quotes.jsonl", "corpora/bbc")}
DEFAULT_POLNEAR_MIRROR = Path("/work/.mirror/networkdynamics+PolNeAR/repo")
POLNEAR_METRICS = (
    "polnear_quoted_speech_recall",
    "polnear_speaker_proper_sources",
    "polnear_speaker_common_sources",
    "polnear_quote_precision@0.3",
    "polnear_quote_recall@0.3",
    "polnear_quote_f1@0.3",
)
METRICS = (
    "quote_precision",
    "quote_recall",
    "speaker_accuracy",
    "attribution_precision",
    "attribution_recall",
    "attribution_f1",
    "false_attribution_rate",
    "gold_speech_quotes",
    "predicted_direct_quotes",
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--details", action="store_true", help="list every miss and wrong speaker")
    ap.add_argument(
        "--polnear-mirror", type=Path, default=Path(os.environ.get("POLNEAR_MIRROR", DEFAULT_POLNEAR_MIRROR))
    )
    args = ap.parse_args()
    from flows.ingest import ingest_flow

    results = {}
    with tempfile.TemporaryDirectory(prefix="newsquotes-eval-") as tmp:
        for name, (gold_name, corpus) in SETS.items():
            gold = args.shared / "gold" / gold_name
            inputs = stage_gold_corpus(gold, args.shared / corpus, Path(tmp) / name / "input")
            warehouse = Path(tmp) / name / "eval.duckdb"
            ingest_flow(
                input_dir=str(inputs),
                warehouse=str(warehouse),
                parquet_dir=str(Path(tmp) / name / "lake"),
                return_state=True,
            )
            scorer = args.shared / "eval" / "score_quotes.py"
            results[name] = score_warehouse(scorer, warehouse, gold, args.shared / corpus)
            if args.details:
                subprocess.run(
                    [
                        sys.executable,
                        str(scorer),
                        "--warehouse",
                        str(warehouse),
                        "--gold",
                        str(gold),
                        "--articles-root",
                        str(args.shared / corpus),
                        "--details",
                    ],
                    check=False,
                )
        if args.polnear_mirror.exists():
            results["polnear-dev"] = polnear_dev(args, Path(tmp) / "polnear-dev", ingest_flow)
        else:
            print(f"PolNeAR mirror {args.polnear_mirror} not found: PolNeAR dev left out", file=sys.stderr)
    print(f"\n{'metric':<32}" + "".join(f"{n:>13}" for n in results))
    for metric in (*METRICS, *POLNEAR_METRICS):
        cells = [results[n].get(metric) for n in results]
        print(f"{metric:<32}" + "".join(f"{'-' if c is None else round(c, 4):>13}" for c in cells))
    return 0


def polnear_dev(args: argparse.Namespace, work: Path, ingest_flow) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Prepare PolNeAR dev from the mirror, run the pipeline on it and score it (overlap > 0.3)."""
    bench = args.shared / "eval" / "polnear_bench.py"
    gold_dir = work / "prepared"
    run = [sys.executable, str(bench)]
    prepare = [*run, "prepare", "--mirror", str(args.polnear_mirror), "--out", str(gold_dir), "--split", "dev"]
    subprocess.run(prepare, check=True, capture_output=True)
    warehouse = work / "eval.duckdb"
    ingest_flow(
        input_dir=str(gold_dir / "articles"),
        warehouse=str(warehouse),
        parquet_dir=str(work / "lake"),
        return_state=True,
    )
    score = [*run, "score", "--gold-dir", str(gold_dir), "--warehouse", str(warehouse), "--json"]
    res = json.loads(subprocess.run(score, check=True, capture_output=True, text=True).stdout)
    r = res["thresholds"]["0.3"]
    return {
        "polnear_quoted_speech_recall": r["by_gold_class"]["quoted (direct+mixed)"]["recall"],
        "polnear_speaker_proper_sources": r["by_source_type"]["proper"]["speaker_match"],
        "polnear_speaker_common_sources": r["by_source_type"]["common"]["speaker_match"],
        "polnear_quote_precision@0.3": r["precision"],
        "polnear_quote_recall@0.3": r["recall"],
        "polnear_quote_f1@0.3": r["f1"],
    }


if __name__ == "__main__":
    sys.exit(main())
