"""The real flow (Prefect, spaCy, Parquet, DuckDB) on small inputs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.integration.conftest import SamplesRun, run_artifacts
from tests.integration.warehouse_query import query as _q

pytestmark = pytest.mark.integration


def _counts(warehouse: Path) -> dict[str, int]:
    tables = ("articles", "entities", "entity_mentions", "quotes", "boilerplate")
    return {t: _q(warehouse, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def test_samples_load_with_attributed_quotes(samples_run: SamplesRun) -> None:
    warehouse_path = samples_run.warehouse
    summary = samples_run.result
    # the samples pass every check: the run is plainly Completed (not Warned, not Failed)
    assert summary["status"] == "completed" and samples_run.state_name == "Completed"
    assert summary["checks_failed"] == 0 and summary["rows_quarantined"] == 0
    assert summary["articles_loaded"] == 4 and summary["articles_rejected"] == 0
    counts = _counts(warehouse_path)
    assert counts["articles"] == 4
    assert counts["quotes"] >= 10 and counts["entity_mentions"] >= 15
    rows = _q(warehouse_path, "SELECT source_path, title FROM articles ORDER BY 1")
    assert rows[0] == ("harbour-bridge-repairs.txt", "Harbour bridge to close for six weeks of repairs")
    # offsets point into the body and slice to the stored text
    bad = _q(
        warehouse_path,
        """SELECT count(*) FROM quotes q JOIN articles a USING (article_id)
                                WHERE substr(a.body, q.start_char + 1, q.end_char - q.start_char) <> q.quote_text""",
    )
    assert bad == [(0,)]
    bad = _q(
        warehouse_path,
        """SELECT count(*) FROM entity_mentions m JOIN articles a USING (article_id)
                                WHERE substr(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.text""",
    )
    assert bad == [(0,)]
    # every named speaker links to an entity that exists
    dangling = _q(
        warehouse_path,
        """SELECT count(*) FROM quotes q LEFT JOIN entities e
                                     ON q.speaker_entity_id = e.entity_id
                                     WHERE q.speaker_name IS NOT NULL AND e.entity_id IS NULL""",
    )
    assert dangling == [(0,)]
    speakers = dict(_q(warehouse_path, """SELECT quote_text, speaker_name FROM quotes WHERE kind <> 'indirect'"""))

    def speaker_of(fragment: str) -> str | None:
        matches = [s for q, s in speakers.items() if fragment in q]
        assert matches, f"no quote containing {fragment!r}"
        return matches[0]

    assert speaker_of("We know this is going to be hard") == "Maria Okafor"  # "…," said X, role
    assert speaker_of("Half of my customers") == "Tom Reyes"  # pronoun resolved
    assert speaker_of("Libraries are not a luxury") == "Graham Whitlock"  # X added: "…"
    assert speaker_of("We will find the savings elsewhere") == "Graham Whitlock"  # Mr surname -> full name
    assert speaker_of("Investors have been waiting") is None  # an unnamed analyst is no name
    assert _q(warehouse_path, "SELECT count(*) FROM boilerplate")[0][0] >= 3
    runs = _q(warehouse_path, "SELECT status, articles_loaded FROM pipeline_runs")
    assert runs == [("completed", 4)]
    assert (
        _q(warehouse_path, "SELECT count(*) FROM dq_results")[0][0]
        == summary["checks_passed"] + summary["checks_failed"]
    )


def test_rerun_loads_nothing_and_changed_file_replaces_rows(
    samples_run: SamplesRun, samples, run_flow, warehouse_path, tmp_path
) -> None:
    samples_run.copy_to(tmp_path)  # the first run: the session's samples run, as if it had been this test's
    first = _counts(warehouse_path)
    second = run_flow(samples)
    assert second.is_completed() and second.name == "Completed"
    s2 = second.result()
    assert s2["status"] == "completed"
    assert s2["articles_loaded"] == 0 and s2["articles_skipped"] == 4
    assert "nothing new" in s2["summary_text"] and "words/s" not in s2["summary_text"]
    assert _counts(warehouse_path) == first

    path = samples / "river-cleanup.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("300 volunteers", "350 volunteers"), encoding="utf-8")
    third = run_flow(samples).result()
    assert third["articles_loaded"] == 1 and third["articles_skipped"] == 3
    assert "nothing new" not in third["summary_text"] and "words/s" in third["summary_text"]
    assert _counts(warehouse_path)["articles"] == 4
    bodies = _q(warehouse_path, "SELECT body FROM articles WHERE source_path = 'river-cleanup.txt'")
    assert len(bodies) == 1 and "350 volunteers" in bodies[0][0]
    assert _q(warehouse_path, "SELECT count(*) FROM quotes GROUP BY quote_id HAVING count(*) > 1") == []
    assert [r[0] for r in _q(warehouse_path, "SELECT articles_loaded FROM pipeline_runs ORDER BY started_at")] == [
        4,
        0,
        1,
    ]


def test_bad_files_are_rejected_with_reasons_and_good_ones_load(samples, run_flow, warehouse_path) -> None:
    (samples / "empty.txt").write_bytes(b"")
    (samples / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (samples / "notes.docx").write_bytes(b"PK\x03\x04")
    state = run_flow(samples)
    assert state.is_completed() and state.name == "Completed"  # rejected files do not fail or warn a run
    summary = state.result()
    assert summary["status"] == "completed"
    assert summary["articles_loaded"] == 4 and summary["articles_rejected"] == 2
    errors = dict(_q(warehouse_path, "SELECT source_path, stage FROM ingest_errors"))
    assert errors == {"empty.txt": "decode", "photo.txt": "decode", "notes.docx": "discover"}
    assert "empty.txt" in summary["summary_text"]


def test_summary_artifact_is_published(samples_run: SamplesRun) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    flow_run_id = samples_run.result["flow_run_id"]

    async def artifacts() -> list:
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["newsquotes-summary"]))
            )

    found = [a for a in asyncio.run(artifacts()) if str(a.flow_run_id) == flow_run_id]
    assert len(found) == 1
    # the figures table's rows, each one exactly: "| 4 |" anywhere would match any figure equal to 4
    assert "| articles loaded | 4 |" in found[0].data.splitlines()
    assert "| articles rejected | 0 |" in found[0].data.splitlines()
    assert "| status | completed |" in found[0].data.splitlines()
    # every check passed: no failed-checks table; the Data Docs of the run's validation are linked
    published = run_artifacts(flow_run_id)
    assert "newsquotes-failed-checks" not in published
    assert {"newsquotes-summary", "newsquotes-warehouse", "newsquotes-data-docs"} <= set(published)
