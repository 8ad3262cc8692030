from __future__ import annotations

from pathlib import Path

import pytest

from newsquotes.ids import article_id, content_sha256
from newsquotes.ingest import discover_files, read_articles

STORY = (
    "Council approves new park\n\n"
    "The city council approved plans for a new park on Tuesday, ending a two-year debate.\n\n"
    '"This is a great day for the neighbourhood," said council member Ana Lopez.\n'
)


def _write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_discover_files_recurses_sorts_and_reports_other_types(tmp_path: Path) -> None:
    _write(tmp_path, "b.txt", STORY)
    _write(tmp_path, "sub/a.txt", STORY)
    _write(tmp_path, "notes.pdf", b"%PDF-1.4")
    _write(tmp_path, ".hidden.txt", STORY)
    found = discover_files(tmp_path, [".txt"])
    assert found.files == ["b.txt", "sub/a.txt"]
    assert [(e.source_path, e.stage) for e in found.skipped] == [("notes.pdf", "discover")]
    assert ".pdf" in found.skipped[0].reason


def test_discover_missing_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope"):
        discover_files(tmp_path / "nope", [".txt"])


def test_read_articles_parses_and_skips_unchanged(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", STORY)
    _write(tmp_path, "b.txt", STORY.replace("Tuesday", "Monday"))
    known = {article_id("a.txt"): content_sha256(STORY.encode())}
    result = read_articles(tmp_path, ["a.txt", "b.txt"], known, max_bytes=10_000)
    assert result.unchanged == [article_id("a.txt")]
    assert [a.source_path for a in result.articles] == ["b.txt"]
    art = result.articles[0]
    assert art.parsed.title == "Council approves new park"
    assert "Monday" in art.parsed.body
    assert not result.errors


def test_bad_files_become_errors_and_good_ones_go_on(tmp_path: Path) -> None:
    _write(tmp_path, "good.txt", STORY)
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "big.txt", "x" * 2000)
    _write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = read_articles(tmp_path, ["big.txt", "binary.txt", "empty.txt", "good.txt", "gone.txt"], {}, 1000)
    assert [a.source_path for a in result.articles] == ["good.txt"]
    by_path = {e.source_path: e for e in result.errors}
    assert set(by_path) == {"big.txt", "binary.txt", "empty.txt", "gone.txt"}
    assert "limit" in by_path["big.txt"].reason
    assert by_path["gone.txt"].stage == "read"
    assert by_path["binary.txt"].stage == "decode"
    for e in result.errors:
        assert e.source_path in str(e)
