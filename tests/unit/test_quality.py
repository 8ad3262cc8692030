from __future__ import annotations

import pandas as pd

from expectations import suite_names
from newsquotes.quality import gate_status, suite_with_settings, validate_frame


def _quotes(speakers: list[str | None], kinds: list[str] | None = None) -> pd.DataFrame:
    n = len(speakers)
    return pd.DataFrame(
        {
            "quote_id": [f"q{i}" for i in range(n)],
            "article_id": ["a"] * n,
            "quote_text": ["words"] * n,
            "kind": kinds or ["direct"] * n,
            "speaker_name": speakers,
            "speaker_entity_id": [None if s is None else "e" for s in speakers],
            "speaker_type": [None if s is None else "PERSON" for s in speakers],
            "speaker_role": [None] * n,
            "cue": ["said"] * n,
            "start_char": list(range(n)),
            "end_char": [i + 5 for i in range(n)],
        }
    )


def test_every_table_has_a_suite() -> None:
    assert {"articles", "entities", "entity_mentions", "quotes"} <= set(suite_names())


def test_speaker_threshold_comes_from_settings() -> None:
    suite = suite_with_settings("quotes", {"speaker_rate_mostly": 0.9})
    speaker = next(e for e in suite["expectations"] if e["kwargs"].get("column") == "speaker_name")
    assert speaker["kwargs"]["mostly"] == 0.9


def test_clean_quotes_pass() -> None:
    results = validate_frame(suite_with_settings("quotes", {"speaker_rate_mostly": 0.6}), _quotes(["A", "B"]))
    assert results and all(r.success for r in results)
    assert gate_status(results) == "completed"


def test_unattributed_direct_quotes_warn_but_indirect_do_not_count() -> None:
    suite = suite_with_settings("quotes", {"speaker_rate_mostly": 0.75})
    frame = _quotes(["A", None, None, "B"], ["direct", "direct", "indirect", "direct"])
    results = validate_frame(suite, frame)
    speaker = next(r for r in results if r.column_name == "speaker_name")
    assert not speaker.success and speaker.unexpected_count == 1 and speaker.severity == "warning"
    assert gate_status(results) == "warned"


def test_bad_kind_and_offsets_fail_the_gate() -> None:
    frame = _quotes(["A", "B"], ["direct", "shouted"])
    frame.loc[0, "end_char"] = 0
    results = validate_frame(suite_with_settings("quotes", {"speaker_rate_mostly": 0.6}), frame)
    failed = {(r.expectation, r.column_name) for r in results if not r.success}
    assert ("expect_column_values_to_be_in_set", "kind") in failed
    assert ("expect_column_pair_values_a_to_be_greater_than_b", "end_char,start_char") in failed
    assert gate_status(results) == "failed"
