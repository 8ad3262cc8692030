"""Accuracy floors: the real pipeline scored by ../shared/eval/score_quotes.py against ../shared/gold.

Floors sit a little under the measured scores (README, "Quote accuracy") so a regression fails the build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsquotes.evaluation import score_warehouse, stage_gold_corpus

pytestmark = pytest.mark.evaluation

FLOORS = {
    "seeds": {"attribution_f1": 0.91, "quote_recall": 0.9, "quote_precision": 0.95},
    "dev": {"attribution_f1": 0.935, "quote_recall": 0.975, "quote_precision": 0.975},
}
CEILINGS = {"dev": {"false_attribution_rate": 0.03}, "seeds": {"false_attribution_rate": 0.03}}
SETS = {"seeds": ("seeds_quotes.jsonl", "corpora/seeds"), "dev": ("dev_quotes.jsonl", "corpora/bbc")}


@pytest.mark.parametrize("name", list(SETS))
def test_quote_attribution_meets_floor(name: str, shared_dir: Path, tmp_path: Path, prefect_backend) -> None:
    from flows.ingest import ingest_flow

    gold_name, corpus = SETS[name]
    gold = shared_dir / "gold" / gold_name
    inputs = stage_gold_corpus(gold, shared_dir / corpus, tmp_path / "input")
    warehouse = tmp_path / "eval.duckdb"
    state = ingest_flow(
        input_dir=str(inputs), warehouse=str(warehouse), parquet_dir=str(tmp_path / "lake"), return_state=True
    )
    assert not state.is_failed(), state.message
    scores = score_warehouse(shared_dir / "eval" / "score_quotes.py", warehouse, gold, shared_dir / corpus)
    assert scores["unmatched_prediction_paths"] == 0
    for metric, floor in FLOORS[name].items():
        assert scores[metric] >= floor, f"{name} {metric} {scores[metric]} < floor {floor}: {scores}"
    for metric, ceiling in CEILINGS.get(name, {}).items():
        assert scores[metric] <= ceiling, f"{name} {metric} {scores[metric]} > {ceiling}: {scores}"
