"""Quote extraction and attribution accuracy of the real pipeline on the gold sets.

Usage: python benchmarks/quote_accuracy.py [--shared ../shared] [--details]
Runs the ingest flow on the annotated articles of each gold set into a fresh warehouse and prints the
reference scorer's figures side by side.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from newsquotes.evaluation import score_warehouse, stage_gold_corpus  # noqa: E402

SETS = {"seeds": ("seeds_quotes.jsonl", "corpora/seeds"), "bbc-dev": ("dev_quotes.jsonl", "corpora/bbc")}
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
    print(f"\n{'metric':<26}" + "".join(f"{n:>12}" for n in results))
    for metric in METRICS:
        print(f"{metric:<26}" + "".join(f"{results[n][metric]:>12}" for n in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
