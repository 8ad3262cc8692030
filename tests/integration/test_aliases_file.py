"""A user's alias file (setting ``aliases_file``, README "Your own aliases") in real runs of ``newsquotes run``:
its entries join the shipped ones, an entry for an alias the shipped file also has wins, and a malformed file
stops the run with an error naming the file and the entry, having written nothing."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from newsquotes.entity_resolution import default_aliases
from tests.integration.conftest import SamplesRun
from tests.integration.warehouse_query import query

pytestmark = pytest.mark.integration

Cli = Callable[..., subprocess.CompletedProcess[str]]

ARTICLE = """Trade talks resume in Washington

Officials from the US and Britain met in Washington on Monday to resume talks on a trade agreement.

"We expect real progress within weeks," said Helen Marsh, who speaks for the BoE.

The Bank of England said the talks mattered for the economy. The US team was led by David Cole, who said the US
wanted a deal before the summer.
"""


def _entity_of(warehouse: Path, text: str) -> set[tuple[str, str]]:
    """(name, label) of the entities of the mentions reading ``text`` (or "the ``text``")."""
    return set(
        query(
            warehouse,
            """SELECT DISTINCT e.name, e.label FROM entity_mentions m JOIN entities e USING (entity_id)
               WHERE regexp_replace(m.text, '^[Tt]he ', '') = ?""",
            [text],
        )
    )


def test_user_aliases_join_the_shipped_ones_and_win_for_the_same_alias(cli: Cli, tmp_path: Path) -> None:
    shipped = {a.alias: a.canonical for a in default_aliases()}
    assert shipped["US"] == "United States"  # the user's file below overrides a shipped entry
    (tmp_path / "input").mkdir()
    (tmp_path / "input" / "trade-talks.txt").write_text(ARTICLE, encoding="utf-8")
    aliases = tmp_path / "my_aliases.csv"
    aliases.write_text("alias,canonical,label\nUS,US Government,ORG\nBoE,Bank of England,ORG\n", "utf-8")
    wh = tmp_path / "wh" / "newsquotes.duckdb"

    proc = cli(
        "run", "--input", tmp_path / "input", "--warehouse", wh, "--parquet-dir", tmp_path / "lake",
        NEWSQUOTES_ALIASES_FILE=str(aliases),
    )  # fmt: skip

    assert proc.returncode == 0, proc.stderr[-3000:]
    # the user's entry (its canonical name and label), not the shipped US -> United States (GPE)
    assert _entity_of(wh, "US") == {("US Government", "ORG")}
    # a name only the user's file knows: found in the body (the model need not tag it) and joined to its entity
    assert _entity_of(wh, "BoE") == {("Bank of England", "ORG")}
    assert _entity_of(wh, "Bank of England") == {("Bank of England", "ORG")}
    rules = dict(
        query(
            wh,
            "SELECT x.alias, e.name || '/' || x.rule FROM entity_aliases x JOIN entities e USING (entity_id) "
            "WHERE x.alias IN ('US', 'BoE')",
        )
    )
    assert rules == {"US": "US Government/alias-file", "BoE": "Bank of England/alias-file"}


@pytest.mark.parametrize(
    ("name", "content", "entry"),
    [
        ("bad.csv", "alias,canonical,label\nBoE,Bank of England,ORG\nOld Lady,Bank of England,BANK\n", "entry 2"),
        ("bad.yaml", "Bank of England:\n  label: ORG\n  aliases: [BoE]\nNo label:\n  aliases: [NL]\n", "entry 2"),
    ],
    ids=["csv-unknown-label", "yaml-missing-label"],
)
def test_malformed_alias_file_stops_the_run_and_writes_nothing(
    cli: Cli, samples_run: SamplesRun, samples: Path, tmp_path: Path, name: str, content: str, entry: str
) -> None:
    wh = samples_run.copy_to(tmp_path)
    (samples / "trade-talks.txt").write_text(ARTICLE, encoding="utf-8")  # something new to load
    aliases = tmp_path / name
    aliases.write_text(content, encoding="utf-8")
    files_before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    tables_before = {
        t: query(wh, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {t} AS t")[0]
        for (t,) in query(wh, "SELECT table_name FROM duckdb_tables()")
    }

    proc = cli(
        "run", "--input", samples, "--warehouse", wh, "--parquet-dir", tmp_path / "lake",
        NEWSQUOTES_ALIASES_FILE=str(aliases),
    )  # fmt: skip

    assert proc.returncode == 1, (proc.returncode, proc.stderr[-3000:])
    assert f"{aliases}: {entry}" in proc.stderr, proc.stderr[-3000:]
    # nothing written: no warehouse change, no lake partition, no journal, no lock file left behind
    after = {
        t: query(wh, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {t} AS t")[0]
        for (t,) in query(wh, "SELECT table_name FROM duckdb_tables()")
    }
    assert after == tables_before
    files_after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert files_after == files_before
