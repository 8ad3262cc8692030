"""Accuracy floors: the real pipeline scored by ../shared/eval/score_quotes.py against ../shared/gold.

Floors sit a little under the measured scores (README, "Quote accuracy") so a regression fails the build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsquotes.evaluation import score_warehouse, stage_gold_corpus

pytestmark = pytest.mark.evaluation

FLOORS = {
    "seeds": {"attribution_f1": 0.92, "quote_recall": 0.9, "quote_precision": 0.95},
    "dev": {"attribution_f1": 0.95, "quote_recall": 0.975, "quote_precision": 0.975},
}
# The false-attribution rate is false attributions / gold speech quotes with no named source that the pipeline found
# (0 when it found none). The seeds have a single such quote, so a ceiling there passed whatever the pipeline did;
# the dev set has five, each of which the pipeline can name falsely.
CEILINGS = {"dev": {"false_attribution_rate": 0.03}}
MIN_UNNAMED_GOLD = 5  # a ceiling needs gold quotes that have no named source
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
    assert scores["predicted_direct_quotes"] > 0 and scores["attribution_precision"] > 0, scores
    if CEILINGS.get(name):
        rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
        unnamed = [g for g in rows if _unnamed_speech(g)]
        assert len(unnamed) >= MIN_UNNAMED_GOLD, f"{name}: only {len(unnamed)} unnamed gold quotes, the ceiling is idle"
    for metric, ceiling in CEILINGS.get(name, {}).items():
        assert scores[metric] <= ceiling, f"{name} {metric} {scores[metric]} > {ceiling}: {scores}"


def _unnamed_speech(gold: dict[str, Any]) -> bool:
    return bool(gold["is_speech"]) and gold["speaker"] is None and not gold.get("in_boilerplate", False)
