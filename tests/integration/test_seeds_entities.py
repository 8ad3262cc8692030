"""The real flow on ../shared/corpora/seeds: one entity each across the five outlets, linked to every article
that mentions it, and the statement the outlets repeat in one quote cluster.

Which seed articles mention each entity was checked by reading them (the body, not the title):
  China, Russia, the United States ("U.S.", "US", "the United States", "America") and THAAD: all five;
  South Korea: all five (003 says "the Republic of Korea" and "ROK"); Lotte: 000 ("Lotte Group", "Lotte"),
  001 ("the Lotte Group"), 002 ("Lotte"); Kong Xuanyou and Igor Morgulov: 000-003; Wang Yi and Sergey Lavrov
  ("Mr Lavrov"): 004 only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.warehouse_query import query as _q

pytestmark = pytest.mark.integration

ALL = {"000", "001", "002", "003", "004"}
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    # canonical entity: (surface forms of its mentions, articles mentioning it)
    "China": ({"China"}, ALL),
    "Russia": ({"Russia", "RUSSIA"}, ALL),
    "United States": ({"US", "U.S.", "United States", "America"}, ALL),
    "South Korea": ({"South Korea", "Republic of Korea", "ROK"}, ALL),
    "THAAD": ({"THAAD"}, ALL),
    "Lotte": ({"Lotte", "Lotte Group"}, {"000", "001", "002"}),
    "Wang Yi": ({"Wang Yi", "Wang"}, {"004"}),
    "Sergey Lavrov": ({"Sergey Lavrov", "Lavrov"}, {"004"}),
    "Kong Xuanyou": ({"Kong Xuanyou"}, {"000", "001", "002", "003"}),
    "Igor Morgulov": ({"Igor Morgulov"}, {"000", "001", "002", "003"}),
}
_FORM = re.compile(r"^(?:the )?(.*?)(?:['’]s?)?$")


def _form(text: str) -> str:
    m = _FORM.match(text)
    return m.group(1) if m else text


@pytest.fixture
def seeds_warehouse(shared_dir: Path, run_flow, warehouse_path: Path) -> Path:  # type: ignore[no-untyped-def]
    state = run_flow(shared_dir / "corpora" / "seeds")
    assert state.is_completed(), state.message
    assert state.result()["articles_loaded"] == 5
    return warehouse_path


def test_one_entity_each_linked_to_every_article(seeds_warehouse: Path) -> None:
    mentions = _q(
        seeds_warehouse,
        """SELECT m.text, m.entity_id, e.name, left(a.source_path, 3)
           FROM entity_mentions m JOIN entities e USING (entity_id) JOIN articles a USING (article_id)""",
    )
    for name, (forms, articles) in EXPECTED.items():
        found = [(eid, ename, art) for text, eid, ename, art in mentions if _form(text) in forms]
        entity_names = {ename for _eid, ename, _art in found}
        assert entity_names == {name}, f"{name}: mentions {sorted(forms)} belong to {sorted(entity_names)}"
        assert len({eid for eid, _n, _a in found}) == 1
        linked = {art for _eid, ename, art in found}
        assert linked == articles, f"{name}: linked to {sorted(linked)}, mentioned in {sorted(articles)}"
    # the same entity rows through the entity id: nothing else points at them
    for name, (_forms, articles) in EXPECTED.items():
        rows = _q(
            seeds_warehouse,
            """SELECT count(*), list(DISTINCT left(a.source_path, 3) ORDER BY 1)
               FROM entities e JOIN entity_mentions m USING (entity_id) JOIN articles a USING (article_id)
               WHERE e.name = ?""",
            [name],
        )
        assert sorted(rows[0][1]) == sorted(articles)
    assert _q(seeds_warehouse, "SELECT count(*) FROM entities GROUP BY name HAVING count(*) > 1") == []


def test_aliases_speakers_and_quote_clusters(seeds_warehouse: Path) -> None:
    aliases = dict(
        _q(
            seeds_warehouse,
            "SELECT x.alias, e.name FROM entity_aliases x JOIN entities e USING (entity_id)",
        )
    )
    assert aliases["ROK"] == "South Korea" and aliases["US"] == "United States"
    assert aliases["Lotte Group"] == "Lotte"
    assert aliases["Beijing’s foreign ministry"] == "Chinese Foreign Ministry"
    # every named speaker resolves to a canonical entity
    dangling = _q(
        seeds_warehouse,
        """SELECT count(*) FROM quotes q LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
           WHERE q.speaker_name IS NOT NULL AND e.entity_id IS NULL""",
    )
    assert dangling == [(0,)]
    lavrov = _q(
        seeds_warehouse,
        """SELECT DISTINCT e.name FROM quotes q JOIN entities e ON e.entity_id = q.speaker_entity_id
           WHERE q.speaker_name LIKE '%Lavrov%'""",
    )
    assert lavrov == [("Sergey Lavrov",)]
    # "strengthen their coordinated opposition to THAAD" reported by two outlets: one statement
    clusters = _q(
        seeds_warehouse,
        """SELECT quote_cluster_id, count(DISTINCT article_id) FROM quotes
           WHERE quote_text LIKE '%strengthen their coordinated opposition to THAAD%' GROUP BY 1""",
    )
    assert len(clusters) == 1 and clusters[0][1] == 2
    statements = _q(seeds_warehouse, "SELECT count(*) FROM quote_statements")[0][0]
    quotes = _q(seeds_warehouse, "SELECT count(*) FROM quotes")[0][0]
    assert statements < quotes
    assert _q(seeds_warehouse, "SELECT count(*) FROM quotes WHERE quote_cluster_id IS NULL") == [(0,)]
    assert _q(seeds_warehouse, "SELECT count(*) FROM distinct_quotes") == [(quotes,)]  # no duplicate articles


def test_second_run_keeps_the_same_entities(seeds_warehouse: Path, shared_dir: Path, run_flow) -> None:  # type: ignore[no-untyped-def]
    before = _q(seeds_warehouse, "SELECT * FROM entities ORDER BY entity_id")
    mentions = _q(seeds_warehouse, "SELECT mention_id, entity_id FROM entity_mentions ORDER BY 1")
    state = run_flow(shared_dir / "corpora" / "seeds")
    assert state.is_completed() and state.result()["articles_skipped"] == 5
    assert _q(seeds_warehouse, "SELECT * FROM entities ORDER BY entity_id") == before
    assert _q(seeds_warehouse, "SELECT mention_id, entity_id FROM entity_mentions ORDER BY 1") == mentions
