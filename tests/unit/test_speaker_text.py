"""quotes.speaker_text: the speaker mention as written, DESCRIPTION speakers, and the v3 -> v4 migration."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from newsquotes.nlp.types import DESCRIPTION
from newsquotes.schema import SCHEMA_VERSION, arrow_schema
from newsquotes.warehouse_db import connect
from tests.unit.speech import Analyse, quote
from warehouse import sql_statements


def test_named_speaker_keeps_the_mention_as_written(analyse: Analyse) -> None:
    r = analyse('Sergey Lavrov met reporters in Moscow.\n\nMr Lavrov said: "We will respond to this."')
    q = quote(r, "We will respond", indirect=True)
    assert q.speaker_name == "Sergey Lavrov"
    assert q.speaker_text == "Mr Lavrov"


def test_pronoun_mention(analyse: Analyse) -> None:
    r = analyse('Sarah Jones runs the bakery.\n\n"We sold out by noon," she said.')
    q = quote(r, "sold out", indirect=True)
    assert q.speaker_name == "Sarah Jones"
    assert q.speaker_text == "she"


def test_description_speaker_has_text_and_no_name(analyse: Analyse) -> None:
    r = analyse('Shares fell sharply on Monday.\n\n"The outlook is grim," analysts said.')
    q = quote(r, "outlook is grim", indirect=True)
    assert q.speaker_name is None
    assert q.speaker_text == "analysts"
    assert q.speaker_type == DESCRIPTION


def test_no_mention_no_text(analyse: Analyse) -> None:
    r = analyse('The sign read "Closed for the whole of the winter season."')
    for q in r.quotes:
        assert q.speaker_text is None and q.speaker_type is None


def test_speaker_text_is_the_last_quotes_column() -> None:
    assert arrow_schema("quotes").names[-1] == "speaker_text"


def _v3_statements() -> list[str]:
    """schema.sql as it was at version 3: quotes without speaker_text."""
    out = []
    for statement in sql_statements("schema"):
        if statement.startswith("CREATE TABLE IF NOT EXISTS quotes "):
            lines = [ln for ln in statement.splitlines() if "speaker_text" not in ln.split("--")[0]]
            statement = "\n".join(lines).replace("quote_cluster_id  VARCHAR,", "quote_cluster_id  VARCHAR")
        out.append(statement)
    return out


def test_version_3_warehouse_is_migrated(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    con = duckdb.connect(str(wh))
    for statement in _v3_statements():
        con.execute(statement)
    con.execute("INSERT INTO schema_info VALUES (3, ?)", [datetime.now(UTC)])
    con.execute(
        "INSERT INTO quotes (quote_id, article_id, quote_text, kind, speaker_name, start_char, end_char) "
        "VALUES ('q1', 'a1', 'We will respond', 'direct', 'Sergey Lavrov', 0, 15)"
    )
    assert "speaker_text" not in [r[0] for r in con.execute("DESCRIBE quotes").fetchall()]
    con.close()
    with connect(wh) as con:
        assert con.execute("SELECT max(schema_version) FROM schema_info").fetchone() == (SCHEMA_VERSION,)
        columns = [r[0] for r in con.execute("DESCRIBE quotes").fetchall()]
        assert columns == arrow_schema("quotes").names
        assert "speaker_text" in [r[0] for r in con.execute("DESCRIBE quarantine_quotes").fetchall()]
        assert con.execute("SELECT speaker_name, speaker_text FROM quotes").fetchall() == [("Sergey Lavrov", None)]
        con.execute(
            "INSERT INTO quotes BY NAME SELECT 'q2' AS quote_id, 'a1' AS article_id, 'x' AS quote_text, "
            "'direct' AS kind, 'analysts' AS speaker_text, 0 AS start_char, 1 AS end_char"
        )
        assert con.execute("SELECT count(*) FROM distinct_quotes").fetchone() is not None
    with connect(wh) as con:  # a second open finds version 4 and changes nothing
        assert con.execute("SELECT count(*) FROM schema_info").fetchone() == (2,)


def test_quotes_suite_accepts_descriptions_and_rejects_half_speakers() -> None:
    from newsquotes.quality import validation_frames
    from tests.unit.test_quality import _quote as row
    from tests.unit.test_quality import _tables

    rows = [
        row("q1", "We will win.", "Ann Lee", speaker_text="Ms Lee"),
        row("q2", "No chance.", None, speaker_type=DESCRIPTION, speaker_text="analysts"),
        row("q3", "No chance.", None, speaker_type=DESCRIPTION),  # a description without its text
        row("q4", "No chance.", None, speaker_type="PERSON", speaker_text="he"),  # a type that names nobody
    ]
    tables = _tables(rows)
    tables["quotes"]["speaker_text"] = [r.get("speaker_text") for r in rows]
    frames = validation_frames(tables)
    assert frames["quotes"]["speaker_is_consistent"].tolist() == [True, True, False, False]


def test_speaker_text_stays_in_its_paragraph(analyse: Analyse) -> None:
    r = analyse(
        "The plan was praised by Jared Bernstein, a former economic adviser to Vice President Joseph R. Biden Jr.\n\n"
        "Mrs. Clinton often says she is not running for Barack Obama's third term."
    )
    q = quote(r, "not running", indirect=True)
    assert q.speaker_name == "Clinton"
    assert q.speaker_text == "Mrs. Clinton"
