from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from expectations import suite_names
from newsquotes.quality import gate_status, suite_with_settings, validate_tables, validation_frames

SETTINGS = {"speaker_rate_mostly": 0.5, "cue_rate_mostly": 0.5}
BODY = 'Ann Lee said: "We will win." Critics said: "No chance."'
SHA = "a" * 64


def _article(article_id: str, source_path: str) -> dict:
    return {
        "article_id": article_id,
        "source_path": source_path,
        "record_index": 0,
        "title": "T",
        "body": BODY,
        "content_sha256": SHA,
        "word_count": 30,
        "language": "en",
        "run_id": "r",
        "ingested_at": datetime.now(UTC),
    }


def _tables(quotes: list[dict], mentions: list[dict] | None = None, articles: list[dict] | None = None) -> dict:
    articles = articles or [_article("a1", "a1.txt")]
    entities = [{"entity_id": "e1", "name": "Ann Lee", "label": "PERSON"}]
    mentions = (
        mentions
        if mentions is not None
        else [
            {
                "mention_id": "m1",
                "article_id": "a1",
                "entity_id": "e1",
                "text": "Ann Lee",
                "label": "PERSON",
                "start_char": 0,
                "end_char": 7,
            }
        ]
    )
    cols = [
        "quote_id",
        "article_id",
        "quote_text",
        "kind",
        "speaker_name",
        "speaker_entity_id",
        "speaker_type",
        "speaker_role",
        "cue",
        "start_char",
        "end_char",
    ]
    return {
        "articles": pd.DataFrame(articles),
        "entities": pd.DataFrame(entities),
        "entity_mentions": pd.DataFrame(
            mentions, columns=["mention_id", "article_id", "entity_id", "text", "label", "start_char", "end_char"]
        ),
        "quotes": pd.DataFrame(quotes, columns=cols),
    }


def _quote(qid: str, text: str, speaker: str | None, **over: object) -> dict:
    start = BODY.index(text)
    row = {
        "quote_id": qid,
        "article_id": "a1",
        "quote_text": text,
        "kind": "direct",
        "speaker_name": speaker,
        "speaker_entity_id": "e1" if speaker else None,
        "speaker_type": "PERSON" if speaker else None,
        "speaker_role": None,
        "cue": "said",
        "start_char": start,
        "end_char": start + len(text),
    }
    row.update(over)
    return row


def test_every_table_has_a_suite() -> None:
    assert {"articles", "entities", "entity_mentions", "quotes"} <= set(suite_names())


def test_thresholds_come_from_settings() -> None:
    suite = suite_with_settings("quotes", {"speaker_rate_mostly": 0.9, "cue_rate_mostly": 0.4})
    by_col = {e["kwargs"].get("column"): e for e in suite["expectations"] if "mostly_setting" in e["meta"]}
    assert by_col["speaker_name"]["kwargs"]["mostly"] == 0.9
    assert by_col["cue"]["kwargs"]["mostly"] == 0.4


def test_derived_columns_check_text_against_body() -> None:
    frames = validation_frames(
        _tables([_quote("q1", "We will win.", "Ann Lee"), _quote("q2", "No chance.", None, start_char=3, end_char=13)])
    )
    assert frames["quotes"]["text_matches_body"].tolist() == [True, False]
    assert frames["quotes"]["speaker_is_consistent"].tolist() == [True, True]
    assert frames["entity_mentions"]["entity_exists"].tolist() == [True]


def test_clean_tables_pass() -> None:
    outcome = validate_tables(
        _tables([_quote("q1", "We will win.", "Ann Lee"), _quote("q2", "No chance.", None)]), SETTINGS
    )
    assert [r.rule for r in outcome.results if not r.success] == []
    assert outcome.quarantined_count == 0
    assert gate_status(outcome) == "completed"


def test_row_defects_are_quarantined_with_their_rule() -> None:
    quotes = [
        _quote("q1", "We will win.", "Ann Lee"),
        _quote("q2", "No chance.", None, end_char=999),  # offsets beyond the body
        _quote("q3", "No chance.", "", speaker_entity_id="e1"),  # a speaker entity without a name
        _quote("q4", "No chance.", "Bo Chan", speaker_entity_id="e404"),  # dangling speaker entity
    ]
    mentions = [
        {
            "mention_id": "m1",
            "article_id": "a1",
            "entity_id": "e9",
            "text": "Ann Lee",
            "label": "PERSON",
            "start_char": 0,
            "end_char": 7,
        }
    ]
    outcome = validate_tables(_tables(quotes, mentions), SETTINGS)
    assert set(outcome.quarantine["quotes"]) == {"q2", "q3", "q4"}
    assert any("body_length" in r for r in outcome.quarantine["quotes"]["q2"])
    assert any("speaker_is_consistent" in r for r in outcome.quarantine["quotes"]["q3"])
    assert any("speaker_entity_resolves" in r for r in outcome.quarantine["quotes"]["q4"])
    assert set(outcome.quarantine["entity_mentions"]) == {"m1"}
    assert gate_status(outcome) == "warned"


def test_repeated_content_quarantines_the_copy_and_its_rows() -> None:
    articles = [_article("a1", "a1.txt"), _article("a2", "copy.txt")]
    quotes = [_quote("q1", "We will win.", "Ann Lee"), _quote("q9", "We will win.", "Ann Lee", article_id="a2")]
    outcome = validate_tables(_tables(quotes, articles=articles), SETTINGS)
    assert set(outcome.quarantine["articles"]) == {"a2"}
    assert outcome.quarantine["quotes"] == {"q9": ["article quarantined"]}
    # a copy that names its first copy in duplicate_of is no defect: it loads
    marked = [articles[0], {**articles[1], "duplicate_of": "a1", "duplicate_kind": "exact"}]
    assert validate_tables(_tables(quotes, articles=marked), SETTINGS).quarantined_count == 0
    # the same bytes already loaded under another path count as a repeat too
    outcome = validate_tables(_tables(quotes[:1], articles=articles[:1]), SETTINGS, loaded_hashes={"a0": SHA})
    assert set(outcome.quarantine["articles"]) == {"a1"}


def test_unattributed_direct_quotes_below_threshold_warn() -> None:
    quotes = [_quote("q1", "We will win.", "Ann Lee"), _quote("q2", "No chance.", None)]
    outcome = validate_tables(_tables(quotes), {**SETTINGS, "speaker_rate_mostly": 0.9})
    failed = [r for r in outcome.results if not r.success]
    assert [(r.column_name, r.severity, r.scope, r.unexpected_count) for r in failed] == [
        ("speaker_name", "warning", "table", 1)
    ]
    assert outcome.quarantined_count == 0
    assert gate_status(outcome) == "warned"


def test_table_level_error_fails_the_gate() -> None:
    tables = _tables([_quote("q1", "We will win.", "Ann Lee")])
    tables["entities"] = pd.DataFrame([{"entity_id": "e1", "name": "", "label": "PERSON"}])
    outcome = validate_tables(tables, SETTINGS)
    assert gate_status(outcome) == "failed"


@pytest.mark.parametrize("name", ["articles", "quotes", "entities", "entity_mentions"])
def test_suites_declare_scope_and_severity(name: str) -> None:
    for exp in suite_with_settings(name, SETTINGS)["expectations"]:
        assert exp["meta"]["scope"] in ("row", "table") and exp["meta"]["severity"] in ("error", "warning")
