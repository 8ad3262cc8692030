"""Entities across articles: the merge rules, the alias files, and the warehouse step (real DuckDB, no spaCy)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from newsquotes import ids
from newsquotes.entity_resolution import (
    Alias,
    NameStats,
    _count_articles,
    _inside_longer_name,
    default_aliases,
    find_acronyms,
    gazetteer_matches,
    load_alias_file,
    ministry_of_context,
    resolve_entities,
    resolve_names,
)
from newsquotes.warehouse_db import connect
from warehouse import sql_text


def _stats(*names: tuple[str, str, int]) -> dict[tuple[str, str], NameStats]:
    out: dict[tuple[str, str], NameStats] = {}
    for label, name, articles in names:
        key = (label, ids.entity_key(name))
        out[key] = NameStats(forms=Counter({name: articles}), articles={f"a{i}" for i in range(articles)})
    return out


def test_merge_rules() -> None:
    stats = _stats(
        ("PERSON", "Sergey Lavrov", 2),
        ("PERSON", "Lavrov", 1),
        ("PERSON", "Gordon Brown", 3),
        ("PERSON", "Nick Brown", 1),
        ("PERSON", "Brown", 1),
        ("GPE", "U.S", 3),
        ("GPE", "US", 2),
        ("ORG", "US", 1),
        ("GPE", "United States", 1),
        ("ORG", "Lotte Group", 2),
        ("PERSON", "Lotte", 1),
        ("ORG", "Lotte", 2),
        ("ORG", "Beijing’s foreign ministry", 1),
        ("ORG", "Chinese Foreign Ministry", 3),
        ("ORG", "China's Ministry of Foreign Affairs", 1),
        ("ORG", "Foreign Ministry", 2),
        ("LAW", "Terminal High Altitude Area Defense", 2),
    )
    res = resolve_names(stats, default_aliases(), [("THAAD", "Terminal High Altitude Area Defense")])

    def canon(label: str, name: str) -> tuple[str, str]:
        return res.canonical[(label, ids.entity_key(name))]

    assert canon("PERSON", "Lavrov") == ("PERSON", "Sergey Lavrov")  # surname of one full name
    assert canon("PERSON", "Brown") == ("PERSON", "Brown")  # two Browns: no merge
    assert canon("GPE", "U.S") == canon("GPE", "US") == canon("ORG", "US") == ("GPE", "United States")
    assert canon("ORG", "Lotte Group") == canon("PERSON", "Lotte") == ("ORG", "Lotte")
    ministry = ("ORG", "Chinese Foreign Ministry")
    assert canon("ORG", "Beijing’s foreign ministry") == ministry
    assert canon("ORG", "China's Ministry of Foreign Affairs") == ministry
    assert canon("ORG", "Foreign Ministry") == ("ORG", "Foreign Ministry")  # no country: stays generic
    assert res.gazetteer["THAAD"] in res.canonical
    assert res.rules[("PERSON", "lavrov")] == "surname"


def test_acronyms_and_ministry_context() -> None:
    body = (
        "the Terminal High Altitude Area Defense (THAAD) system and the International Monetary Fund (IMF); "
        "NATO (North Atlantic Treaty Organization) met. Not an acronym: (AP) Photo (US)."
    )
    assert set(find_acronyms(body)) == {
        ("THAAD", "Terminal High Altitude Area Defense"),
        ("IMF", "International Monetary Fund"),
        ("NATO", "North Atlantic Treaty Organization"),
    }
    text = "a statement from Russia’s Ministry of Foreign Affairs and the Foreign Ministry"
    start = text.index("Ministry of")
    assert ministry_of_context(text, start, start + len("Ministry of Foreign Affairs")) == "Russian Foreign Ministry"
    start = text.rindex("Foreign Ministry")
    assert ministry_of_context(text, start, start + len("Foreign Ministry")) is None


def test_gazetteer_skips_longer_names_and_taken_spans() -> None:
    names = {"America": ["America"], "Igor": ["Igor Morgulov"], "THAAD": ["THAAD"]}
    body = "South America and America. Deputy Minister Igor Morgulov spoke on THAAD, as did Bank of America."
    found = [(body[s:e], s) for s, e, _ in gazetteer_matches(body, [(0, 5)], names, frozenset({"Igor Morgulov"}))]
    assert [t for t, _ in found] == ["America", "Igor Morgulov", "THAAD"]
    assert found[0][1] == body.index("and America") + 4


def test_alias_files_csv_and_yaml(tmp_path: Path) -> None:
    csv_file = tmp_path / "aliases.csv"
    csv_file.write_text("alias,canonical,label\nBoJ,Bank of Japan,ORG\nthe Beeb,BBC,ORG\n", encoding="utf-8")
    yaml_file = tmp_path / "aliases.yaml"
    yaml_file.write_text("Bank of England:\n  label: ORG\n  aliases: [BoE, Old Lady]\n", encoding="utf-8")
    assert load_alias_file(csv_file)[0] == Alias("BoJ", "Bank of Japan", "ORG")
    assert {a.alias for a in load_alias_file(yaml_file)} == {"BoE", "Old Lady"}
    listed = tmp_path / "list.yml"
    listed.write_text("- {alias: Beeb, canonical: BBC, label: org}\n", encoding="utf-8")
    assert load_alias_file(listed) == [Alias("Beeb", "BBC", "ORG")]
    bad = tmp_path / "bad.csv"
    bad.write_text("alias,canonical,label\nX,Y,NOPE\n", encoding="utf-8")
    with pytest.raises(ValueError, match="label"):
        load_alias_file(bad)


BODIES = {
    "a1": "Sergey Lavrov met Wang Yi in Moscow. Mr Lavrov said the U.S. plan was dangerous.",
    "a2": "Lavrov warned America. Igor Morgulov also spoke about THAAD.",
    "a3": "Russian Deputy Foreign Minister Igor Morgulov and the Terminal High Altitude Area Defense (THAAD) plan.",
}
MENTIONS = [  # (article, text, label, local name)
    ("a1", "Sergey Lavrov", "PERSON", "Sergey Lavrov"),
    ("a1", "Wang Yi", "PERSON", "Wang Yi"),
    ("a1", "Lavrov", "PERSON", "Sergey Lavrov"),
    ("a1", "U.S.", "GPE", "U.S"),
    ("a2", "Lavrov", "PERSON", "Lavrov"),
    ("a2", "America", "GPE", "America"),
    ("a3", "Igor Morgulov", "PERSON", "Igor Morgulov"),
    ("a3", "the Terminal High Altitude Area Defense", "ORG", "Terminal High Altitude Area Defense"),
]


def _warehouse(path: Path) -> None:
    now = datetime.now(UTC)
    with connect(path) as con:
        for aid, body in BODIES.items():
            con.execute(
                "INSERT INTO articles (article_id, source_path, record_index, title, body, content_sha256, "
                "word_count, language, run_id, ingested_at) VALUES (?, ?, 0, 'T', ?, ?, 10, 'en', 'r', ?)",
                [aid, f"{aid}.txt", body, aid * 32, now],
            )
        seen: dict[str, int] = {}
        for aid, text, label, local in MENTIONS:
            start = BODIES[aid].index(text, seen.get(aid + text, 0))
            seen[aid + text] = start + 1
            eid = ids.entity_id(label, local)
            con.execute("INSERT OR IGNORE INTO entities VALUES (?, ?, ?)", [eid, local, label])
            con.execute(
                "INSERT INTO entity_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ner')",
                [ids.mention_id(aid, start, start + len(text)), aid, eid, text, label, start, start + len(text), local],
            )
        quote = BODIES["a2"].index("Lavrov warned")
        con.execute(
            "INSERT INTO quotes (quote_id, article_id, quote_text, kind, speaker_name, speaker_entity_id, "
            "speaker_type, start_char, end_char) VALUES ('q1', 'a2', 'warned America', 'indirect', 'Lavrov', ?, "
            "'PERSON', ?, ?)",
            [ids.entity_id("PERSON", "Lavrov"), quote + 7, quote + 21],
        )


def _entity_articles(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute(
        "SELECT e.name, list(DISTINCT m.article_id) FROM entities e JOIN entity_mentions m USING (entity_id) GROUP BY 1"
    ).fetchall()
    return {name: set(articles) for name, articles in rows}


def test_warehouse_step_merges_links_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    _warehouse(path)
    with connect(path) as con:
        con.execute("BEGIN")
        result = resolve_entities(con, default_aliases())
        con.execute("COMMIT")
        linked = _entity_articles(con)
        assert linked["Sergey Lavrov"] == {"a1", "a2"}  # "Lavrov" alone in a2 is the one full name's surname
        assert linked["United States"] == {"a1", "a2"}
        assert linked["Igor Morgulov"] == {"a2", "a3"}  # found by the gazetteer in a2
        assert linked["THAAD"] == {"a2", "a3"}  # an acronym defined in a3, used alone in a2
        speaker = con.execute(
            "SELECT e.name FROM quotes q JOIN entities e ON e.entity_id = q.speaker_entity_id"
        ).fetchall()
        assert speaker == [("Sergey Lavrov",)]
        aliases = dict(
            con.execute(
                "SELECT x.alias, x.rule FROM entity_aliases x JOIN entities e USING (entity_id) "
                "WHERE e.name IN ('Sergey Lavrov', 'United States', 'THAAD')"
            ).fetchall()
        )
        assert aliases["Lavrov"] == "surname" and aliases["America"] == "alias-file"
        assert aliases["Terminal High Altitude Area Defense"] == "acronym"
        assert result.gazetteer_mentions >= 2
        assert all(n == 0 for _rule, n in con.execute(sql_text("integrity_checks")).fetchall())
        before = con.execute("SELECT * FROM entity_mentions ORDER BY mention_id").fetchall()
        entities = con.execute("SELECT * FROM entities ORDER BY entity_id").fetchall()
        con.execute("BEGIN")
        resolve_entities(con, default_aliases())
        con.execute("COMMIT")
        assert con.execute("SELECT * FROM entity_mentions ORDER BY mention_id").fetchall() == before
        assert con.execute("SELECT * FROM entities ORDER BY entity_id").fetchall() == entities


def test_user_alias_file_extends_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    _warehouse(path)
    with connect(path) as con:
        con.execute("BEGIN")
        resolve_entities(con, [*default_aliases(), Alias("Wang Yi", "Wang Yi (diplomat)", "PERSON")])
        con.execute("COMMIT")
        assert "Wang Yi (diplomat)" in _entity_articles(con)


def _matches_by_scanning(body, spans, names, persons):  # type: ignore[no-untyped-def]
    """The overlap rule stated plainly: a match may not overlap any span or earlier match."""
    taken = sorted(spans)
    for m in re.finditer(r"[A-Z][\w’'-]*", body):
        for name in names.get(m.group(), []):
            start, end = m.start(), m.start() + len(name)
            if not body.startswith(name, start) or (end < len(body) and (body[end].isalnum() or body[end] == "_")):
                continue
            if any(s < end and start < e for s, e in taken) or _inside_longer_name(body, start, end, name in persons):
                break
            taken.append((start, end))
            yield start, end, name
            break


def test_gazetteer_overlap_check_against_unsorted_overlapping_spans() -> None:
    names = {"Igor": ["Igor Morgulov"], "THAAD": ["THAAD"], "America": ["America"], "Wang": ["Wang Yi"]}
    body = "Igor Morgulov and Wang Yi spoke on THAAD. THAAD, America and Igor Morgulov. Wang Yi left. America."
    spans_cases = [
        [],
        [(50, 52), (0, 4), (2, 30)],  # a long span reaching over later names, listed out of order
        [(40, 41), (36, 36), (60, 62), (43, 48)],  # an empty span, spans inside names
        [(s, s + 3) for s in range(0, len(body), 7)],
    ]
    for spans in spans_cases:
        fast = list(gazetteer_matches(body, spans, names, frozenset({"Igor Morgulov", "Wang Yi"})))
        assert fast == list(_matches_by_scanning(body, spans, names, frozenset({"Igor Morgulov", "Wang Yi"})))


def test_articles_are_counted_once_per_name(tmp_path: Path) -> None:
    """A name in a mention and a quote of one article, or written two ways, counts that article once."""
    path = tmp_path / "wh.duckdb"
    _warehouse(path)
    with connect(path) as con:
        con.execute(
            "INSERT INTO quotes (quote_id, article_id, quote_text, kind, speaker_name, speaker_type, start_char, "
            "end_char) VALUES ('q2', 'a1', 'x', 'direct', 'SERGEY LAVROV', 'PERSON', 0, 1)"
        )
        stats = {("PERSON", "sergey lavrov"): NameStats(), ("PERSON", "lavrov"): NameStats()}
        keys = pa.table(
            {
                "label": ["PERSON", "PERSON", "PERSON"],
                "name": ["Sergey Lavrov", "SERGEY LAVROV", "Lavrov"],
                "key": ["sergey lavrov", "sergey lavrov", "lavrov"],
            }
        )
        _count_articles(con, stats, keys, [])
        assert stats[("PERSON", "sergey lavrov")].n_articles == 1  # a1: two mentions and a quote
        assert stats[("PERSON", "lavrov")].n_articles == 1  # a2: a mention and the quote's speaker (a1 says Sergey)
        _count_articles(con, stats, keys, [("a3", "PERSON", "sergey lavrov"), ("a1", "PERSON", "sergey lavrov")])
        assert stats[("PERSON", "sergey lavrov")].n_articles == 2
