from __future__ import annotations

from pathlib import Path

import pytest

from newsquotes.ids import article_id, content_sha256
from newsquotes.ingest import MAX_BODY_CHARS, body_problem, discover_files, parse_source, read_articles

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


def test_links_that_leave_the_input_folder_are_refused_naming_their_target(tmp_path: Path) -> None:
    root = tmp_path / "input"
    secret = _write(tmp_path, "private/secret.txt", STORY)
    _write(root, "inside.txt", STORY)
    (root / "to-inside.txt").symlink_to(root / "inside.txt")
    (root / "to-secret.txt").symlink_to(secret)
    (root / "sub").mkdir()
    (root / "sub" / "relative.txt").symlink_to("../../private/secret.txt")
    found = discover_files(root, [".txt"])
    assert found.files == ["inside.txt", "to-inside.txt"]
    refused = {e.source_path: e for e in found.skipped}
    assert set(refused) == {"to-secret.txt", "sub/relative.txt"}
    for error in refused.values():
        assert error.stage == "discover"
        assert f"symbolic link to {secret}, a file outside the input folder" in error.reason
        assert "allow_outside_links" in error.reason
    allowed = discover_files(root, [".txt"], allow_outside_links=True)
    assert allowed.files == ["inside.txt", "sub/relative.txt", "to-inside.txt", "to-secret.txt"]
    assert allowed.skipped == []


def test_links_to_folders_outside_are_refused_unless_allowed_and_never_loop(tmp_path: Path) -> None:
    root = tmp_path / "input"
    _write(root, "own.txt", STORY)
    archive = tmp_path / "archive"
    _write(archive, "2019/a.txt", STORY)
    (archive / "2019" / "back-to-archive").symlink_to(archive)  # a loop through the followed folder
    (archive / "2019" / "back-to-input").symlink_to(root)  # around the input folder
    (root / "old").symlink_to(archive)
    (root / "mirror").symlink_to(root)  # inside: its files are found where they are
    refused = discover_files(root, [".txt"])
    assert refused.files == ["own.txt"]
    assert {e.source_path: e.reason for e in refused.skipped} == {
        "mirror": f"symbolic link to a folder ({root}), not followed",
        "old": f"symbolic link to {archive}, a folder outside the input folder (setting allow_outside_links)",
    }
    allowed = discover_files(root, [".txt"], allow_outside_links=True)
    assert allowed.files == ["old/2019/a.txt", "own.txt"]
    reasons = {e.source_path: e.reason for e in allowed.skipped}
    assert set(reasons) == {"mirror", "old/2019/back-to-archive", "old/2019/back-to-input"}
    assert "already read through another path, not followed" in reasons["old/2019/back-to-archive"]
    assert "not followed" in reasons["old/2019/back-to-input"]
    [article] = read_articles(root, ["old/2019/a.txt"], {}, 10_000).articles  # read through the link
    assert article.parsed.title == "Council approves new park"


def test_a_followed_link_to_a_device_is_still_not_read(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert discover_files(tmp_path, [".txt"], allow_outside_links=True).files == ["zero.txt"]
    [error] = read_articles(tmp_path, ["zero.txt"], {}, 1000).errors
    assert error.stage == "read" and "not a regular file: it is a character device" in error.reason


def test_bodies_over_the_length_limit_are_rejected_with_both_lengths(tmp_path: Path) -> None:
    long_story = STORY + "\nThe council met again to discuss the park and its budget.\n" * 40
    _write(tmp_path, "long.txt", long_story)
    _write(tmp_path, "short.txt", STORY)
    result = read_articles(tmp_path, ["long.txt", "short.txt"], {}, 100_000, max_body_chars=1000)
    assert [a.source_path for a in result.articles] == ["short.txt"]
    [error] = result.errors
    assert error.source_path == "long.txt" and error.stage == "parse"
    body_chars = int(error.reason.split()[2])
    assert body_chars > 1000
    assert error.reason == (
        f"body is {body_chars} characters, over the 1000-character limit "
        "(setting max_body_chars, NEWSQUOTES_MAX_BODY_CHARS)"
    )


def test_the_default_body_limit_keeps_every_bbc_and_seed_article(shared_dir: Path) -> None:
    corpora = shared_dir / "corpora"
    paths = sorted(corpora.rglob("*.txt"))
    assert len(paths) > 2000
    longest = max(len(parse_source(p.name, p.read_bytes()).body) for p in paths)
    assert body_problem("x" * longest) is None and longest < MAX_BODY_CHARS / 4
