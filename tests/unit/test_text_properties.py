"""Property tests of the text stages (hypothesis): decoding, cleaning and quote finding never raise anything but
their documented errors, and every offset they emit lies inside the text and slices to the stored text.

The spaCy-backed properties use the real model (the session fixture of ``conftest.py``) on short texts and few
examples, so the whole file stays within about a minute.
"""

from __future__ import annotations

import codecs
import json
import os
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsquotes.nlp.analyse import QUOTE_KINDS, SPEAKER_TYPES
from newsquotes.nlp.quotes import DOUBLE_MARKS, SINGLE_MARKS, find_quote_spans
from newsquotes.nlp.types import DocAnalysis
from newsquotes.text.clean import parse_text_article
from newsquotes.text.decode import _normalise, decode_bytes, detect_encoding
from newsquotes.text.errors import ArticleDecodeError, ArticleParseError
from newsquotes.text.types import ParsedArticle

# ---------------------------------------------------------------------------------------------------------
# Strategies

FRAGMENTS = [
    *"«»“”„‘’\"'",
    "\n",
    "\n\n",
    " ",
    " ",
    "said",
    " said ",
    "says",
    "told reporters",
    "according to",
    "added:",
    "he said.",
    "she said,",
    "Mr Smith",
    "Ana Lopez",
    "the minister",
    "The council",
    "BBC News",
    "We will win",
    "It is",
    ".",
    ",",
    "!",
    "?",
    ":",
    "—",
    "don't",
    "'90s",
    "Russia's",
    "©",
    "Subscribe",
    "http://example.com/a",
    "By Jane Roe",
    "12",
    "\t",
    "\r",
    "\u2028",
    "\u200b",
    "…",
]
# whole lines the cleaner has rules for: bylines, datelines, credits, site names, links, tags, prompts
BOILERPLATE_LINES = [
    "By Jane Roe, Staff Reporter",
    "By Jane Roe (chinadaily.com.cn) Updated: 2016-07-30 10:54",
    "Updated: 2016-02-30 25:61",
    "Published 31 February 2016",
    "July 32, 2016 at 12:99 pm",
    "30 July 2016 | 10.54 a.m.",
    "© 2023 Example News. All rights reserved.",
    "Image caption The scene on Tuesday",
    "Photo: AFP / Jane Roe",
    "World / Asia-Pacific",
    "- Sputnik International",
    "Related Articles",
    "Read more",
    "Tags: a, b, c, d, e, f",
    "politics, economy, trade, china, usa, tariffs, markets - the latest",
    "Subscribe to our newsletter",
    "Sign up for our Telegram channel and never miss a story from us",
    "https://www.example.com/news/1",
    "www.example.co.uk",
    "Reporting by Jane Roe; Editing by John Doe",
    "1.2k",
    "0",
    "Новости",
    "<div><a href='/'>Home</a></div>",
    "Share this article",
    "No posts to display",
]

# any text without surrogates (hypothesis' default alphabet), long enough to have lines
any_text = st.text(max_size=400)
# text built from quotation marks, newlines, reporting verbs and names
crafted = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)),
    max_size=60,
).map("".join)
texts = st.one_of(any_text, crafted)
# article-like: a title line, then paragraphs of crafted text and boilerplate lines, blank or single newlines
paragraph = st.one_of(crafted, crafted, st.sampled_from(BOILERPLATE_LINES))
articles = st.tuples(
    st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(BOILERPLATE_LINES)),
    st.lists(st.tuples(paragraph, st.sampled_from(["\n\n", "\n", "\r\n\r\n"])), min_size=1, max_size=8),
).map(lambda parts: parts[0] + "\n\n" + "".join(p + sep for p, sep in parts[1]))

BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]
CODECS = ["utf-8", "utf-16-le", "utf-16-be", "utf-16", "utf-32", "cp1252", "latin-1"]


def _encoded(parts: tuple[bytes, str, str, bytes]) -> bytes:
    bom, text, codec, tail = parts
    return bom + text.encode(codec, errors="replace") + tail


byte_inputs = st.one_of(
    st.binary(max_size=600),
    st.tuples(st.sampled_from(BOMS), st.text(max_size=200), st.sampled_from(CODECS), st.binary(max_size=4)).map(
        _encoded
    ),
)

# NEWSQUOTES_HYPOTHESIS_SCALE=20 runs twenty times the examples (a longer hunt than CI's)
_SCALE = max(1, int(os.environ.get("NEWSQUOTES_HYPOTHESIS_SCALE", "1")))
FAST = settings(max_examples=300 * _SCALE, deadline=None)
SPACY = settings(max_examples=60 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------------------------
# decode_bytes


@FAST
@given(byte_inputs)
@example(b"\xef\xbb\xbf")  # BOM only
@example(b"\xff\xfe\x00\x00")  # a UTF-32 LE BOM, nothing else
@example(b"\x00a\x00b")  # UTF-16 BE without BOM
@example(b"a\x00")  # too short to be UTF-16
def test_decode_bytes_returns_clean_text_or_raises_a_reason(data: bytes) -> None:
    try:
        text = decode_bytes(data, path="in/a.txt")
    except ArticleDecodeError as exc:
        assert exc.path == "in/a.txt" and exc.reason.strip()
        assert isinstance(exc, ValueError)
        return
    assert isinstance(text, str) and text.strip()
    assert "\r" not in text and "\x00" not in text and "\ufeff" not in text and "\u2028" not in text
    assert unicodedata.is_normalized("NFC", text)
    text.encode("utf-8")  # no lone surrogates: storable


@FAST
@given(st.binary(max_size=300))
def test_detect_encoding_names_a_codec_or_raises_value_error(data: bytes) -> None:
    try:
        codec = detect_encoding(data)
    except ValueError as exc:
        assert "binary" in str(exc)
        return
    assert codecs.lookup(codec)


# printable text (no control characters: those mean binary), not starting like a known binary format
printable = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"), min_size=1, max_size=300
).filter(lambda t: t.strip() and not t.startswith(("%PDF-", "GIF87a", "GIF89a", "BZh")))


@FAST
@given(printable, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_decode_bytes_round_trips_text_in_a_declared_or_valid_encoding(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec), path="a.txt") == _normalise(text)


# ---------------------------------------------------------------------------------------------------------
# parse_text_article (the cleaner)


def _parse(text: str) -> ParsedArticle | None:
    try:
        return parse_text_article(text, path="in/a.txt")
    except ArticleParseError as exc:
        assert exc.path == "in/a.txt" and exc.reason.strip()
        return None


def _is_join_of_lines(paragraph: str, lines: list[str]) -> bool:
    """paragraph is one stripped line, or consecutive stripped lines joined by single spaces."""
    for i, line in enumerate(lines):
        if not line or not paragraph.startswith(line):
            continue
        pos, j = len(line), i
        while pos < len(paragraph) and j + 1 < len(lines) and lines[j + 1]:
            nxt = lines[j + 1]
            if not paragraph.startswith(" " + nxt, pos):
                break
            pos, j = pos + 1 + len(nxt), j + 1
        if pos == len(paragraph):
            return True
    return False


def _check_article(text: str, parsed: ParsedArticle) -> None:
    lines = [line.strip() for line in text.split("\n")]
    assert parsed.title.strip() and parsed.body.strip()
    # removed lines are lines of the input, each named once, with a reason
    numbers = [r.line_no for r in parsed.removed]
    assert len(numbers) == len(set(numbers))
    for r in parsed.removed:
        assert 1 <= r.line_no <= len(lines)
        assert r.text == lines[r.line_no - 1] and r.text
        assert r.reason
    # body paragraphs are input lines (wrapped lines joined), never rewritten
    for paragraph in parsed.body.split("\n\n"):
        assert paragraph and _is_join_of_lines(paragraph, lines), paragraph
    # nothing silently lost: every non-blank line is removed (with its reason), in the body, or the title line
    removed = set(numbers)
    for no, line in enumerate(lines, start=1):
        if line:
            assert no in removed or line in parsed.body or parsed.title in line, (no, line)


@FAST
@given(texts)
@example("A\n\nb")
@example("“\n\n„")
@example("Title\n\n" + "x" * 300)
def test_cleaner_never_raises_and_keeps_lines_verbatim(text: str) -> None:
    parsed = _parse(text)
    if parsed is not None:
        _check_article(text, parsed)


@FAST
@given(articles)
def test_cleaner_on_article_shaped_text(text: str) -> None:
    parsed = _parse(text)
    if parsed is not None:
        _check_article(text, parsed)


@FAST
@given(st.binary(max_size=400))
def test_decode_then_clean_never_raises_anything_else(data: bytes) -> None:
    try:
        text = decode_bytes(data, path="in/a.txt")
    except ArticleDecodeError:
        return
    parsed = _parse(text)
    if parsed is not None:
        _check_article(text, parsed)


# ---------------------------------------------------------------------------------------------------------
# JSON records

FIELD_NAMES = ["title", "headline", "body", "text", "content", "published_at", "date", "source", "name", "author"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.sampled_from(FRAGMENTS),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=12,
)


@FAST
@given(json_values)
# the next two were found by hypothesis (as {"title": 0, "body": 0, "published_at": ...}; a number is no body now)
@example({"title": "T", "body": "Some story text here.", "published_at": -6.776804060974081e16})  # OSError 75
@example({"title": "T", "body": "Some story text here.", "published_at": -62135596801})  # ValueError: year 0
@example({"title": "T", "body": "Some story text here.", "published_at": 1e300})  # OverflowError
@example({"title": "T", "body": "Some story text here.", "published_at": float("nan")})  # ValueError
@example({"title": "T", "body": "Some story text here.", "date": 10**400})  # int too large for a float
@example({"title": "T", "body": "Some story text here.", "published_at": "0001-01-01T00:00:00+05:00"})  # year 0
@example({"title": "T", "body": "Text \ud800 here."})  # a lone surrogate escape: not storable as UTF-8
def test_json_record_parses_or_raises_a_reason(value: object) -> None:
    from newsquotes.text.formats import DEFAULT_JSON_FIELDS, parse_json_record

    try:
        parsed = parse_json_record(value, DEFAULT_JSON_FIELDS, path="in/a.json")
    except ArticleParseError as exc:
        assert exc.path == "in/a.json" and exc.reason.strip()
        return
    assert parsed.title and parsed.body.strip()
    for text in (parsed.title, parsed.body, parsed.outlet, parsed.author, parsed.url):
        if text is not None:
            text.encode("utf-8")  # storable


json_bytes = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(json_values.map(json.dumps), max_size=4).map(lambda x: "\n".join(x).encode()),
)


@FAST
@given(json_bytes, st.booleans())
@example(b"[" * 100_000, False)  # RecursionError from json.loads
@example(b"[" * 100_000, True)
@example(b'{"views": ' + b"9" * 5000 + b"}", True)  # int-string conversion limit: one record, not the file
@example(b'[{"body": "x \\ud800 y"}]', False)  # hashing the canonical form of a lone surrogate
def test_json_files_yield_records_or_raise_a_reason(data: bytes, jsonl: bool) -> None:
    from newsquotes.text.formats import iter_json_records

    try:
        records = list(iter_json_records(data, path="in/a.json", jsonl=jsonl))
    except ArticleDecodeError as exc:
        assert exc.path == "in/a.json" and exc.reason.strip()
        return
    assert [r.index for r in records] == list(range(len(records)))
    for r in records:
        assert r.error is None or r.error.startswith(f"record {r.index}: ")


# ---------------------------------------------------------------------------------------------------------
# Quote spans (text only)


@FAST
@given(texts)
@example('"' * 50)
@example('He said "open\n\n"continued." «fr» „de“')
def test_quote_spans_lie_inside_the_text_between_their_marks(text: str) -> None:
    spans = find_quote_spans(text)
    previous_end = 0
    for s in spans:
        assert 0 <= s.outer_start <= s.start < s.end <= s.outer_end <= len(text)
        piece = text[s.start : s.end]
        assert piece.strip() == piece and "\n" not in piece
        marks = DOUBLE_MARKS | SINGLE_MARKS
        if s.open_mark is not None:
            assert text[s.open_mark] in marks and s.open_mark < s.start
        if s.close_mark is not None:
            assert text[s.close_mark] in marks and s.close_mark >= s.end
        assert s.outer_start >= previous_end  # in order, not overlapping
        previous_end = s.outer_end


# ---------------------------------------------------------------------------------------------------------
# The NLP stage on real spaCy docs


def _check_analysis(body: str, result: DocAnalysis) -> None:
    for q in result.quotes:
        assert 0 <= q.start_char < q.end_char <= len(body)
        assert body[q.start_char : q.end_char] == q.quote_text
        assert q.kind in QUOTE_KINDS
        assert q.speaker_type is None or q.speaker_type in SPEAKER_TYPES
        assert q.speaker_name is None or q.speaker_name.strip()
        if q.speaker_start_char is not None:
            assert q.speaker_end_char is not None
            assert 0 <= q.speaker_start_char < q.speaker_end_char <= len(body)
    for m in result.mentions:
        assert 0 <= m.start_char < m.end_char <= len(body)
        assert body[m.start_char : m.end_char] == m.text
        assert m.label and m.canonical_name


@pytest.fixture(scope="module")
def run_nlp(nlp) -> Callable[[str], DocAnalysis]:  # type: ignore[no-untyped-def]
    from newsquotes.nlp.analyse import analyse_doc

    return lambda body: analyse_doc(nlp(body))


@SPACY
@given(body=texts)
@example(body='"We will win," said Ana Lopez. “Fine,” Mr Smith told reporters.\n\n„Ja“, sagte er.')
@example(body="According to the minister, « rien » said\n\n'quoted' said she")
def test_quote_extraction_never_raises_and_offsets_slice_the_body(run_nlp, body: str) -> None:  # type: ignore[no-untyped-def]
    _check_analysis(body, run_nlp(body))


@SPACY
@given(text=articles)
def test_cleaned_body_goes_through_the_nlp_with_valid_offsets(run_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    parsed = _parse(text)
    if parsed is not None:
        _check_analysis(parsed.body, run_nlp(parsed.body))
