"""Exact and near duplicates: content hashes and MinHash/LSH, each copy naming its first copy."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from newsquotes.dedup import DuplicateIndex, index_from_rows, mark_duplicates, minhash_signature, similarity
from newsquotes.ingest import ArticleInput, read_articles
from newsquotes.lake import ensure_run_parts, write_part
from newsquotes.schema import rows_to_table
from newsquotes.warehouse_db import load_run

PARAGRAPHS = [
    "China and Russia are working together to oppose the deployment of a US anti-ballistic missile system in "
    "South Korea, the Chinese foreign ministry said on Wednesday after a meeting of senior diplomats in Beijing.",
    "Washington and Seoul say the Terminal High Altitude Area Defense system is needed to counter North Korea's "
    "nuclear and missile threats, and that it is aimed at no other country in the region.",
    "Both sides said they would continue to strengthen their coordinated opposition to the system, which they "
    "believe could be used to monitor their own military activities and undermine the strategic balance.",
    "South Korean conglomerate Lotte agreed this week to hand over a golf course where the battery will be "
    "stationed, a deal that has already drawn economic pressure on the group from Beijing.",
    "The deployment is scheduled to be completed later this year, although officials have said it could be "
    "done as early as May if the land swap goes through without further delay.",
]
ORIGINAL = "China and Russia oppose THAAD\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
# A syndicated copy: another headline, a sentence cut, a few words changed, a sign-off added.
EDITED = (
    "Beijing, Moscow join forces against US missile shield\n\n"
    + "\n\n".join(PARAGRAPHS[:4]).replace("on Wednesday", "on Thursday").replace("this week", "last week")
    + "\n\n"
    + PARAGRAPHS[4].replace("as early as May", "as soon as May")
    + "\n\nReporting by the wire service.\n"
)
UNRELATED = (
    "Harbour bridge to close for repairs\n\n"
    "The harbour bridge will close for six weeks from Monday while engineers replace corroded cables, the "
    "council said, warning drivers to expect long delays on the coast road during the works.\n\n"
    "Local traders said they feared losing customers during the closure, which comes at the start of the "
    "busiest season of the year for shops and cafes near the waterfront.\n"
)


def _read(tmp_path: Path, files: dict[str, str | bytes]) -> list[ArticleInput]:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    result = read_articles(tmp_path, sorted(files), {}, 1_000_000)
    assert not result.errors
    return result.articles


def test_edited_copy_is_a_near_duplicate_of_the_first(tmp_path: Path) -> None:
    articles = _read(tmp_path, {"a.txt": ORIGINAL, "b.txt": EDITED, "c.txt": UNRELATED})
    marked = mark_duplicates(DuplicateIndex(), articles)
    by_path = {a.source_path: a for a in marked}
    assert by_path["a.txt"].duplicate is None
    assert by_path["c.txt"].duplicate is None
    mark = by_path["b.txt"].duplicate
    assert mark is not None and mark.kind == "near" and mark.duplicate_of == by_path["a.txt"].article_id
    assert 0.8 <= mark.similarity < 1.0


def test_exact_copies_by_bytes_and_by_body(tmp_path: Path) -> None:
    articles = _read(
        tmp_path,
        {
            "a.txt": ORIGINAL,
            "b-copy.txt": ORIGINAL,  # the same bytes
            "c-utf16.txt": ORIGINAL.encode("utf-16"),  # other bytes, the same text
        },
    )
    marked = mark_duplicates(DuplicateIndex(), articles)
    first = marked[0].article_id
    assert [(a.duplicate.kind, a.duplicate.duplicate_of) for a in marked[1:] if a.duplicate] == [
        ("exact", first),
        ("exact", first),
    ]
    assert marked[1].content_sha256 == marked[0].content_sha256 != marked[2].content_sha256


def test_copies_point_at_the_first_copy_across_runs(tmp_path: Path) -> None:
    a, b = _read(tmp_path, {"a.txt": ORIGINAL, "b.txt": EDITED})
    first_run = mark_duplicates(DuplicateIndex(), [a, b])
    # the next run starts from the loaded signatures (article_signatures + articles.duplicate_of)
    rows = [
        (
            x.article_id,
            x.content_sha256,
            x.body_sha256,
            x.minhash.tolist(),
            x.duplicate.duplicate_of if x.duplicate else None,
        )  # type: ignore[union-attr]
        for x in first_run
    ]
    index = index_from_rows(rows)
    (tmp_path / "new").mkdir()
    (c,) = _read(tmp_path / "new", {"c.txt": EDITED.replace("Reporting by", "Additional reporting by")})
    (marked,) = mark_duplicates(index, [c])
    assert marked.duplicate is not None and marked.duplicate.duplicate_of == a.article_id  # not b: its first copy


def test_an_article_processed_again_does_not_match_its_old_text(tmp_path: Path) -> None:
    (a,) = _read(tmp_path, {"a.txt": ORIGINAL})
    index = DuplicateIndex()
    mark_duplicates(index, [a])
    (tmp_path / "a.txt").write_text(ORIGINAL.replace("Wednesday", "Friday"), encoding="utf-8")
    (changed,) = read_articles(tmp_path, ["a.txt"], {}, 1_000_000).articles
    (marked,) = mark_duplicates(index, [changed])
    assert marked.duplicate is None and len(index) == 1


def test_signature_similarity_and_cost() -> None:
    assert similarity(minhash_signature(ORIGINAL), minhash_signature(ORIGINAL)) == 1.0
    assert similarity(minhash_signature(ORIGINAL), minhash_signature(UNRELATED)) < 0.2
    started = time.perf_counter()
    for i in range(200):
        minhash_signature(f"{i} {ORIGINAL}")
    assert time.perf_counter() - started < 2.0  # milliseconds per article: cheap beside spaCy


def test_load_repoints_copies_of_a_quarantined_first_copy(tmp_path: Path) -> None:
    """duplicate_of always names a loaded first copy: if the first copy is quarantined, the earliest copy is."""
    now = datetime(2024, 1, 2, tzinfo=UTC)

    def article(aid: str, duplicate_of: str | None) -> dict:
        return {
            "article_id": aid,
            "source_path": f"{aid}.txt",
            "record_index": 0,
            "title": "T",
            "body": "Same body",
            "content_sha256": "s" * 64,
            "word_count": 2,
            "run_id": "r1",
            "ingested_at": now,
            "duplicate_of": duplicate_of,
            "duplicate_kind": "exact" if duplicate_of else None,
            "duplicate_similarity": 1.0 if duplicate_of else None,
        }

    lake, wh = tmp_path / "lake", tmp_path / "wh.duckdb"
    rows = [article("a", None), article("b", "a"), article("c", "a")]
    write_part(lake, "articles", "r1", "00000", rows_to_table("articles", rows))
    log = [{"run_id": "r1", "table_name": "articles", "row_key": "a", "failed_rules": "x", "quarantined_at": now}]
    write_part(lake, "quarantine_log", "r1", "validation", rows_to_table("quarantine_log", log))
    ensure_run_parts(lake, "r1")
    result = load_run(wh, lake, "r1")
    assert result.committed, result.violations
    con = duckdb.connect(str(wh), read_only=True)
    try:
        loaded = con.execute("SELECT article_id, duplicate_of FROM articles ORDER BY 1").fetchall()
    finally:
        con.close()
    assert loaded == [("b", None), ("c", "b")]
