"""One quote_cluster_id per distinct statement, however many outlets report it."""

from __future__ import annotations

from pathlib import Path

from newsquotes.quote_clusters import cluster_quotes, normal_form, update_quote_clusters
from newsquotes.warehouse_db import connect

FULL = "Both sides said they will continue to strengthen their coordinated opposition to THAAD,"
FRAGMENT = "strengthen their coordinated opposition to THAAD (Terminal High Altitude Area Defense)."
LONG = (
    "[Both] parties emphasized that collective political and diplomatic efforts should be stepped up to ease "
    "tensions and initiate the process of military and political detente across the board in Northeast Asia"
)
PIECE = "ease tensions and initiate the process of military and political detente across the board in Northeast Asia."
OTHER = "We stand firmly against the deployment of the missile defence system to South Korea."


def test_repetitions_and_fragments_share_a_cluster() -> None:
    clusters = cluster_quotes(
        [
            ("q1", FULL),
            ("q2", FRAGMENT),
            ("q3", LONG),
            ("q4", PIECE),
            ("q5", OTHER),
            ("q6", "“We stand firmly against the deployment of the missile defence system to South Korea”"),
        ]
    )
    assert clusters["q1"] == clusters["q2"]  # a six-word run in common, each cut elsewhere
    assert clusters["q3"] == clusters["q4"]  # one outlet quotes a fragment of the other's longer quote
    assert clusters["q5"] == clusters["q6"]  # the same words, other quotation marks and punctuation
    assert len({clusters["q1"], clusters["q3"], clusters["q5"]}) == 3


def test_short_phrases_stay_apart_and_ids_are_stable() -> None:
    clusters = cluster_quotes([("q1", "consequences"), ("q2", "consequences"), ("q3", "a free ride")])
    assert len(set(clusters.values())) == 3
    again = cluster_quotes([("q9", PIECE), ("q8", LONG)])
    assert again["q8"] == again["q9"] == cluster_quotes([("x", LONG)])["x"]  # named after the longest quote
    assert normal_form("“Ease  tensions,” he said") == "ease tensions he said"


def test_the_warehouse_step_gives_the_ids_of_cluster_quotes(tmp_path: Path) -> None:
    """Streamed through DuckDB (a few quotes per fetch, short quotes' ids in SQL) = the in-memory clustering."""
    texts = {
        "q1": FULL,
        "q2": FRAGMENT,
        "q3": LONG,
        "q4": PIECE,
        "q5": OTHER,
        "q6": "“We stand firmly against the deployment of the missile defence system to South Korea”",
        "q7": "consequences",
        "q8": "consequences",
        "q9": OTHER,
    }
    with connect(tmp_path / "wh.duckdb") as con:
        for qid, text in texts.items():
            con.execute(
                "INSERT INTO quotes (quote_id, article_id, quote_text, kind, start_char, end_char) "
                "VALUES (?, 'a1', ?, 'direct', 0, 1)",
                [qid, text],
            )
        figures = update_quote_clusters(con, fetch_rows=2)
        stored = dict(con.execute("SELECT quote_id, quote_cluster_id FROM quotes").fetchall())
    expected = cluster_quotes(sorted(texts.items()))
    assert stored == expected
    assert figures["quotes"] == 9 and figures["clusters"] == len(set(expected.values())) == 5
