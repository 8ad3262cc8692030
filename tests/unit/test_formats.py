"""Input formats and encodings, each with small files the tests write: .txt, .html, .json, .jsonl."""

from __future__ import annotations

import codecs
import json
from datetime import datetime
from pathlib import Path

import pytest

from newsquotes.ids import article_id
from newsquotes.ingest import discover_files, read_articles
from newsquotes.settings import Settings
from newsquotes.text.formats import json_fields
from newsquotes.text.language import detect_language

TITLE = "Council approves new park"
LEDE = "The city council approved plans for a new park on Tuesday, ending a two-year debate over the site."
QUOTE = "“This is a great day for the neighbourhood,” said council member Ana López."
STORY = f"{TITLE}\n\n{LEDE}\n\n{QUOTE}\n\nWork will begin in the spring and take eighteen months, officials said.\n"

HTML = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{{charset}}"><title>{TITLE} - Daily Bugle</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2021-03-04T10:30:00+00:00">
<link rel="canonical" href="https://www.dailybugle.com/news/park">
<meta property="og:site_name" content="Daily Bugle"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/login">Log in</a></nav>
<header><h1>{TITLE}</h1></header>
<article><p>{LEDE}</p><p>{QUOTE}</p>
<p>Work will begin in the spring and take eighteen months, officials said on Wednesday.</p></article>
<aside><h3>Most Popular</h3><ul><li><a href="/x">Other story about something else</a></li></ul></aside>
<footer>© 2021 Daily Bugle. Subscribe now!</footer></body></html>
"""


def _write(root: Path, rel: str, data: bytes | str) -> str:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return rel


def _read_one(root: Path, rel: str, **kwargs: object):  # type: ignore[no-untyped-def]
    result = read_articles(root, [rel], {}, 1_000_000, **kwargs)  # type: ignore[arg-type]
    assert not result.errors, [str(e) for e in result.errors]
    assert len(result.articles) == 1
    return result.articles[0]


# ---- plain text in every encoding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(STORY.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + STORY.encode("utf-8"), id="utf-8-bom"),
        pytest.param(STORY.encode("utf-16"), id="utf-16-bom"),
        pytest.param(STORY.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(STORY.encode("cp1252"), id="cp1252"),
        pytest.param(STORY.replace("“", '"').replace("”", '"').encode("latin-1"), id="latin-1"),
        pytest.param(STORY.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    ],
)
def test_txt_in_any_encoding_gives_the_same_article(tmp_path: Path, encoded: bytes) -> None:
    article = _read_one(tmp_path, _write(tmp_path, "a.txt", encoded))
    assert article.parsed.title == TITLE
    assert article.parsed.body.startswith(LEDE)
    assert "López" in article.parsed.body and "\r" not in article.parsed.body
    straight = QUOTE.replace("“", '"').replace("”", '"')
    assert QUOTE in article.parsed.body or straight in article.parsed.body  # quotes kept exactly as written
    if b'"' not in encoded.replace(b"\x00", b""):
        assert QUOTE in article.parsed.body  # curly quotes stay curly
    assert article.language == "en" and article.is_english


def test_txt_unicode_is_nfc_and_non_breaking_spaces_are_spaces(tmp_path: Path) -> None:
    decomposed = STORY.replace("López", "Lo\u0301pez").replace("a new park on", "a new\u00a0park on")
    article = _read_one(tmp_path, _write(tmp_path, "a.txt", decomposed))
    assert "López" in article.parsed.body and "a new park on" in article.parsed.body


# ---- HTML -------------------------------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    article = _read_one(tmp_path, _write(tmp_path, "page.html", HTML.format(charset="utf-8")))
    parsed = article.parsed
    assert parsed.title == TITLE
    assert parsed.body.split("\n\n")[:2] == [LEDE, QUOTE]
    for furniture in ("Home", "Log in", "Most Popular", "Other story", "Subscribe"):
        assert furniture not in parsed.body
    assert parsed.author == "Jane Roe"
    assert parsed.outlet == "Daily Bugle"
    assert parsed.url == "https://www.dailybugle.com/news/park"
    assert parsed.published_at is not None and parsed.published_at.date() == datetime(2021, 3, 4).date()
    assert article.record_index == 0 and article.article_id == article_id("page.html", 0)


@pytest.mark.parametrize("charset,codec", [("windows-1252", "cp1252"), ("iso-8859-1", "latin-1")])
def test_html_declared_single_byte_charset(tmp_path: Path, charset: str, codec: str) -> None:
    page = HTML.format(charset=charset)
    if codec == "latin-1":
        page = page.replace("“", '"').replace("”", '"')
    article = _read_one(tmp_path, _write(tmp_path, "page.htm", page.encode(codec)))
    assert "López" in article.parsed.body
    if codec == "cp1252":
        assert QUOTE in article.parsed.body


def test_html_without_story_is_a_parse_error(tmp_path: Path) -> None:
    rel = _write(tmp_path, "empty.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    result = read_articles(tmp_path, [rel], {}, 100_000)
    assert [(e.source_path, e.stage) for e in result.errors] == [("empty.html", "parse")]


# ---- JSON and JSON Lines ----------------------------------------------------------------------------------

RECORD = {
    "headline": TITLE,
    "text": f"{LEDE}\n{QUOTE}",
    "link": "https://example.org/park",
    "date": "2021-03-04T10:30:00Z",
    "source": {"name": "Example Times"},
    "authors": ["Ann Lee", "Bo Chan"],
}


def test_json_object_with_default_field_names(tmp_path: Path) -> None:
    article = _read_one(tmp_path, _write(tmp_path, "one.json", json.dumps(RECORD, ensure_ascii=False)))
    parsed = article.parsed
    assert parsed.title == TITLE
    assert parsed.body == f"{LEDE}\n\n{QUOTE}"
    assert parsed.url == "https://example.org/park"
    assert parsed.published_at == datetime(2021, 3, 4, 10, 30)
    assert parsed.outlet == "Example Times"
    assert parsed.author == "Ann Lee, Bo Chan"


def test_json_list_and_configured_field_names(tmp_path: Path) -> None:
    records = [
        {"hed": TITLE, "story_text": LEDE, "when": 1614853800, "pub": "Example Times"},
        {"hed": "Second story", "story_text": QUOTE, "pub": "Other Paper"},
    ]
    rel = _write(tmp_path, "many.json", json.dumps(records, ensure_ascii=False))
    fields = json_fields({"title": "hed", "body": "story_text", "published": "when", "outlet": "pub"})
    result = read_articles(tmp_path, [rel], {}, 100_000, fields)
    assert not result.errors
    assert [(a.record_index, a.parsed.title, a.parsed.outlet) for a in result.articles] == [
        (0, TITLE, "Example Times"),
        (1, "Second story", "Other Paper"),
    ]
    assert result.articles[0].parsed.published_at == datetime(2021, 3, 4, 10, 30)
    assert len({a.article_id for a in result.articles}) == 2


def test_json_fields_setting_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSQUOTES_JSON_FIELDS", '{"body": "story_text"}')
    fields = json_fields(Settings().json_fields)
    assert fields.body[0] == "story_text" and "body" in fields.body
    with pytest.raises(ValueError, match="unknown JSON field"):
        json_fields({"headline": "x"})


def test_jsonl_records_have_their_own_ids_and_hashes(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": TITLE, "body": LEDE}),
        "",
        "{not json",
        json.dumps({"title": "No body here"}),
        json.dumps({"title": "Third", "body": QUOTE}, ensure_ascii=False),
    ]
    rel = _write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    first = read_articles(tmp_path, [rel], {}, 100_000)
    assert [a.record_index for a in first.articles] == [0, 3]  # blank lines do not count, bad records do
    assert sorted(e.reason.split(":")[0] for e in first.errors) == ["record 1", "record 2"]
    assert {e.stage for e in first.errors} == {"parse"}
    known = {a.article_id: a.content_sha256 for a in first.articles}
    # change one record: only it is read again
    lines[4] = json.dumps({"title": "Third, updated", "body": QUOTE}, ensure_ascii=False)
    _write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    second = read_articles(tmp_path, [rel], known, 100_000)
    assert second.unchanged == [article_id("feed.jsonl", 0)]
    assert [(a.record_index, a.parsed.title) for a in second.articles] == [(3, "Third, updated")]


def test_jsonl_in_utf16_and_invalid_json_file(tmp_path: Path) -> None:
    rel = _write(tmp_path, "feed.jsonl", (json.dumps({"title": TITLE, "body": LEDE}) + "\n").encode("utf-16"))
    assert _read_one(tmp_path, rel).parsed.title == TITLE
    bad = _write(tmp_path, "bad.json", "[{]")
    result = read_articles(tmp_path, [bad], {}, 100_000)
    assert [(e.stage, "invalid JSON" in e.reason) for e in result.errors] == [("decode", True)]


# ---- discovery and language -------------------------------------------------------------------------------


def test_supported_formats_are_discovered_and_others_reported(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.htm", "d.json", "e.jsonl", "f.pdf", "g.docx", "README"):
        _write(tmp_path, name, "x")
    found = discover_files(tmp_path, Settings().extensions)
    assert found.files == ["a.txt", "b.html", "c.htm", "d.json", "e.jsonl"]
    assert [(e.source_path, e.stage) for e in found.skipped] == [
        ("README", "discover"),
        ("f.pdf", "discover"),
        ("g.docx", "discover"),
    ]
    assert "unsupported file type .pdf" in found.skipped[1].reason


def test_language_detection_flags_other_languages(tmp_path: Path) -> None:
    german = (
        "Stadtrat beschließt neuen Park\n\n"
        "Der Stadtrat hat am Dienstag die Pläne für einen neuen Park gebilligt und damit einen zweijährigen "
        "Streit über das Gelände beendet.\n\n"
        "„Das ist ein großartiger Tag für das Viertel“, sagte die Stadträtin Ana López.\n"
    )
    article = _read_one(tmp_path, _write(tmp_path, "de.txt", german))
    assert article.language == "de" and not article.is_english
    assert detect_language("Short.") is None  # too little text to tell
    assert detect_language(LEDE) == "en"
