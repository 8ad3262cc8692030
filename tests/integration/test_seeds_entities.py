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
import shutil
from pathlib import Path

import pytest

from tests.integration.warehouse_query import data_snapshot
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


def _run(input_dir: Path, root: Path) -> dict:
    from flows.ingest import ingest_flow

    state = ingest_flow(
        input_dir=str(input_dir),
        warehouse=str(root / "wh" / "newsquotes.duckdb"),
        parquet_dir=str(root / "lake"),
        return_state=True,
    )
    assert state.is_completed(), state.message
    return state.result()


@pytest.fixture(scope="module")
def seeds_run(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory, prefect_backend: None) -> Path:
    """The five seed articles in one run into a fresh warehouse, made once for the module; returns its root
    (input/, wh/newsquotes.duckdb, lake/). Tests that write copy it first."""
    root = tmp_path_factory.mktemp("seeds")
    shutil.copytree(shared_dir / "corpora" / "seeds", root / "input")
    assert _run(root / "input", root)["articles_loaded"] == 5
    return root


@pytest.fixture
def seeds_warehouse(seeds_run: Path) -> Path:
    return seeds_run / "wh" / "newsquotes.duckdb"


def _resolved(warehouse: Path) -> dict[str, list[tuple]]:
    """Everything entity resolution and quote clustering decide (run ids and load times left out; and the source
    bytes' hash, which the rerun below changes on purpose)."""
    content = data_snapshot(warehouse)
    content["articles"] = _q(
        warehouse, "SELECT * EXCLUDE (run_id, ingested_at, content_sha256) FROM articles ORDER BY ALL"
    )
    content["entity_aliases"] = _q(warehouse, "SELECT * FROM entity_aliases ORDER BY ALL")
    return content


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


def test_resolving_again_changes_nothing(seeds_run: Path, tmp_path: Path) -> None:
    """A second run that loads an article again (its bytes changed, its text did not) resolves the whole warehouse
    again: entities, mentions, aliases, speakers and quote clusters come out exactly as before."""
    shutil.copytree(seeds_run / "wh", tmp_path / "wh")
    shutil.copytree(seeds_run / "lake", tmp_path / "lake")
    shutil.copytree(seeds_run / "input", tmp_path / "input")
    warehouse = tmp_path / "wh" / "newsquotes.duckdb"
    before = _resolved(warehouse)
    touched = sorted((tmp_path / "input").iterdir())[2]
    touched.write_bytes(touched.read_bytes() + b"\n")  # new content hash, same article text

    result = _run(tmp_path / "input", tmp_path)

    assert result["articles_loaded"] == 1 and result["articles_skipped"] == 4  # resolution really ran again
    assert len(_q(warehouse, "SELECT * FROM pipeline_runs")) == 2
    assert _resolved(warehouse) == before


def test_the_order_articles_arrive_in_does_not_change_the_warehouse(
    seeds_run: Path, shared_dir: Path, tmp_path: Path
) -> None:
    """The seeds in two runs, the last two articles first and then the other three, give exactly the warehouse
    of one run over all five (README: resolution does not depend on the order in which articles arrived)."""
    seeds = sorted((shared_dir / "corpora" / "seeds").iterdir())
    (tmp_path / "input").mkdir()
    for path in seeds[3:]:
        shutil.copy(path, tmp_path / "input" / path.name)
    assert _run(tmp_path / "input", tmp_path)["articles_loaded"] == 2
    for path in seeds[:3]:
        shutil.copy(path, tmp_path / "input" / path.name)
    assert _run(tmp_path / "input", tmp_path)["articles_loaded"] == 3

    in_two_runs = _resolved(tmp_path / "wh" / "newsquotes.duckdb")
    assert in_two_runs["entities"] and in_two_runs["entity_aliases"]
    assert in_two_runs == _resolved(seeds_run / "wh" / "newsquotes.duckdb")
