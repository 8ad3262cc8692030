"""Chunked validation of a lake run gives exactly the outcome of validating the whole run at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsquotes.lake import read_run, write_part
from newsquotes.quality import gate_status, validate_run, validate_tables
from newsquotes.schema import rows_to_table

RUN = "r1"
SETTINGS = {"speaker_rate_mostly": 0.5, "cue_rate_mostly": 0.5}
BODY = 'Ann Lee said: "We will win." Critics said: "No chance." Bo Chan said: "Never again."'
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _article(aid: str, sha: str, **over: object) -> dict:
    return {
        "article_id": aid,
        "source_path": f"{aid}.txt",
        "record_index": 0,
        "title": "T",
        "body": BODY,
        "content_sha256": sha * 64,
        "word_count": 30,
        "language": "en",
        "run_id": RUN,
        "ingested_at": NOW,
        **over,
    }


def _quote(qid: str, aid: str, text: str, speaker: str | None, **over: object) -> dict:
    start = BODY.index(text)
    row = {
        "quote_id": qid,
        "article_id": aid,
        "quote_text": text,
        "kind": "direct",
        "speaker_name": speaker,
        "speaker_entity_id": "e1" if speaker else None,
        "speaker_type": "PERSON" if speaker else None,
        "cue": "said",
        "start_char": start,
        "end_char": start + len(text),
    }
    row.update(over)
    return row


def _mention(mid: str, aid: str, **over: object) -> dict:
    return {
        "mention_id": mid,
        "article_id": aid,
        "entity_id": "e1",
        "text": "Ann Lee",
        "label": "PERSON",
        "start_char": 0,
        "end_char": 7,
        **over,
    }


def _write_lake(lake: Path) -> None:
    """Four batches (part files). Defects that only the whole run shows sit in different parts."""
    entity = {"entity_id": "e1", "name": "Ann Lee", "label": "PERSON"}
    batches = {
        "00000": {
            "articles": [_article("a1", "a")],
            "quotes": [
                _quote("q1", "a1", "We will win.", "Ann Lee"),
                _quote("dup", "a1", "No chance.", "Ann Lee"),  # its id recurs in part 00003
            ],
            "entity_mentions": [_mention("m1", "a1")],
        },
        "00001": {
            "articles": [_article("a2", "b")],
            # unattributed direct quotes: 1 of 3 attributed fails speaker_rate_mostly (0.5) in this batch alone;
            # over the run 6 of 8 are attributed, which passes
            "quotes": [
                _quote("q2", "a2", "We will win.", None),
                _quote("q3", "a2", "No chance.", None),
                _quote("q4", "a2", "Never again.", "Bo Chan"),
            ],
            "entity_mentions": [_mention("m2", "a2")],
        },
        "00002": {
            # the same bytes as a1 without naming it in duplicate_of: quarantined with its quotes and mentions
            "articles": [_article("a3", "a")],
            "quotes": [_quote("q5", "a3", "We will win.", "Ann Lee")],
            "entity_mentions": [_mention("m3", "a3"), _mention("m4", "a3", entity_id="e404")],
        },
        "00003": {
            "articles": [_article("a4", "c")],
            "quotes": [
                _quote("dup", "a4", "No chance.", "Ann Lee"),
                _quote("q6", "a4", "Never again.", "Bo Chan", end_char=999),  # offsets beyond the body
            ],
            "entity_mentions": [_mention("m5", "a4")],
        },
    }
    for part, tables in batches.items():
        for table, rows in {**tables, "entities": [entity]}.items():
            write_part(lake, table, RUN, part, rows_to_table(table, rows))


def _whole_run_frames(lake: Path) -> dict:
    return {t: read_run(lake, t, RUN).to_pandas() for t in ("articles", "entities", "entity_mentions", "quotes")}


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    _write_lake(tmp_path / "lake")
    return tmp_path / "lake"


def test_chunks_give_the_whole_run_outcome(lake: Path) -> None:
    whole = validate_tables(_whole_run_frames(lake), SETTINGS)
    one_chunk = validate_run(lake, RUN, SETTINGS)
    per_part = validate_run(lake, RUN, SETTINGS, chunk_rows=1)
    assert (whole.chunks, one_chunk.chunks, per_part.chunks) == (1, 1, 4)
    for chunked in (one_chunk, per_part):
        assert chunked.results == whole.results
        assert chunked.quarantine == whole.quarantine
        assert [list(v) for v in chunked.quarantine.values()] == [list(v) for v in whole.quarantine.values()]

    results = {(r.suite, r.expectation, r.column_name): r for r in per_part.results}
    # a quote id repeated in parts 0 and 3: no single part shows it, the run does
    unique = results[("quotes", "expect_column_values_to_be_unique", "quote_id")]
    assert (unique.success, unique.unexpected_count, unique.element_count) == (False, 2, 8)
    assert per_part.quarantine["quotes"]["dup"] == ["quotes.expect_column_values_to_be_unique(quote_id)"] * 2
    # a failing row in the last part
    assert any("body_length" in rule for rule in per_part.quarantine["quotes"]["q6"])
    # the exact copy in part 2 repeats part 0's bytes; its quote and mentions follow it into quarantine
    assert set(per_part.quarantine["articles"]) == {"a3"}
    assert per_part.quarantine["quotes"]["q5"] == ["article quarantined"]
    assert per_part.quarantine["entity_mentions"]["m3"] == ["article quarantined"]
    assert per_part.quarantine["entity_mentions"]["m4"] == [
        "entity_mentions.expect_column_values_to_be_in_set(entity_exists)",
        "article quarantined",
    ]
    # the rate: 8 direct quotes, 6 attributed (75%) passes 0.5 over the run
    rate = results[("quotes", "expect_column_values_to_not_be_null", "speaker_name")]
    assert (rate.success, rate.unexpected_count, rate.element_count) == (True, 2, 8)
    assert rate.observed_value == "25.00% unexpected"
    assert gate_status(per_part) == "warned"


def test_a_rate_is_judged_on_the_whole_run_not_per_chunk(lake: Path) -> None:
    """Part 00001 alone fails speaker_rate_mostly; the run passes it; a stricter threshold fails the run."""
    part = {t: f[f["article_id"] == "a2"] if "article_id" in f else f for t, f in _whole_run_frames(lake).items()}
    alone = next(r for r in validate_tables(part, SETTINGS).results if r.column_name == "speaker_name")
    assert not alone.success
    strict = {**SETTINGS, "speaker_rate_mostly": 0.8}
    for outcome in (validate_run(lake, RUN, strict, chunk_rows=1), validate_tables(_whole_run_frames(lake), strict)):
        rate = next(r for r in outcome.results if r.column_name == "speaker_name")
        assert (rate.success, rate.unexpected_count) == (False, 2)


def test_one_stored_result_per_suite_for_the_data_docs(lake: Path, tmp_path: Path) -> None:
    outcome = validate_run(lake, RUN, SETTINGS, project_dir=tmp_path / "gx", run_name=RUN, chunk_rows=1)
    stored = sorted((tmp_path / "gx").rglob("validations/*/r1/*/*.json"))
    assert [p.parts[-4] for p in stored] == ["articles", "entities", "entity_mentions", "quotes"]
    quotes = json.loads(stored[-1].read_text(encoding="utf-8"))
    assert quotes["meta"]["chunks"] == 4 and quotes["meta"]["rows"] == 8
    assert quotes["statistics"]["unsuccessful_expectations"] == sum(
        1 for r in outcome.results if r.suite == "quotes" and not r.success
    )
    unique = next(r for r in quotes["results"] if r["expectation_config"]["type"].endswith("to_be_unique"))
    assert unique["success"] is False and unique["result"]["unexpected_count"] == 2
    assert outcome.data_docs is not None and Path(outcome.data_docs.removeprefix("file://")).is_file()
