"""Input formats: plain text, HTML pages and JSON / JSON Lines records → parsed articles.

* ``.txt`` — decoded (``decode.py``) and cleaned line by line (``clean.py``): the title is the first line that is
  not boilerplate; removed lines are kept.
* ``.html`` / ``.htm`` — decoded (a ``<meta charset>`` other than UTF-8 is honoured when the bytes are not valid
  UTF-8), then the main text and the page's metadata (title, author, date, canonical URL, site name) are
  extracted with trafilatura; navigation, comments and other page furniture never reach the body. Each
  extracted paragraph becomes one body paragraph.
* ``.json`` — one record (an object) or a list of records; ``.jsonl`` — one record per non-blank line. A record is
  an object whose fields are found by name (``JsonFields``; dotted names reach into nested objects, e.g.
  ``source.name``). Field values are normalised like decoded text (newlines, NFC, non-breaking spaces); the
  body's lines become paragraphs (a body may also be a list of strings, one per paragraph; a number, object or
  other JSON type in the body field rejects the record, naming the field and the type). A record without a title
  gets the body's first sentence (as for ``.txt``). A date that cannot be a date (NaN, out of range) is left unset.
  JSON nested too deeply, or an integer longer than Python converts, is invalid JSON for its file (``.json``)
  or its record (``.jsonl``), never an exception that stops the run.
  Each record has its own ``record_index`` (0-based position among the file's records; blank lines do not
  count) and its own content hash (of the record's bytes in ``.jsonl``, of its canonical JSON in ``.json``), so
  one changed record replaces only itself.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

from newsquotes.text.clean import parse_date, parse_text_article
from newsquotes.text.decode import _normalise, decode_bytes
from newsquotes.text.errors import ArticleDecodeError, ArticleParseError
from newsquotes.text.types import ParsedArticle

__all__ = [
    "DEFAULT_JSON_FIELDS",
    "HTML_EXTENSIONS",
    "JSON_EXTENSIONS",
    "SUPPORTED_EXTENSIONS",
    "JsonFields",
    "JsonRecord",
    "decode_html",
    "iter_json_records",
    "json_fields",
    "parse_html",
    "parse_json_record",
]

TEXT_EXTENSIONS = (".txt",)
HTML_EXTENSIONS = (".html", ".htm")
JSON_EXTENSIONS = (".json", ".jsonl")
SUPPORTED_EXTENSIONS = (*TEXT_EXTENSIONS, *HTML_EXTENSIONS, *JSON_EXTENSIONS)


# ---------------------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_PARAGRAPH_SPLIT = re.compile(r"\n\s*")


def decode_html(data: bytes, *, path: str) -> str:
    """Decode an HTML page: BOM / UTF-16 / UTF-8 first; else the declared ``<meta charset>``; else cp1252."""
    try:
        data.decode("utf-8")
        valid_utf8 = True
    except UnicodeDecodeError:
        valid_utf8 = False
    m = _META_CHARSET.search(data[:4096])
    if not valid_utf8 and m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        charset = m.group(1).decode("ascii").lower()
        if charset not in ("utf-8", "utf8"):
            try:
                text = data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass  # unknown or wrong declaration: fall back to detection
            else:
                return _normalise(text)
    return decode_bytes(data, path=path)


def _html_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
        return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt
    except (ValueError, OverflowError):  # OverflowError: "0001-01-01T00:00+01:00" is before year 1 in UTC
        return parse_date(value)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_SPLIT.split(text) if p.strip()]


def parse_html(text: str, *, path: str) -> ParsedArticle:
    """Main text and metadata of a decoded HTML page (trafilatura). Raises ArticleParseError without text."""
    import trafilatura  # imported here: only HTML input pays for it

    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S"},
    )
    body_text = getattr(doc, "text", None) if doc is not None else None
    if not body_text or not body_text.strip():
        raise ArticleParseError(path, "no main text found in the HTML page")
    paragraphs = [_normalise(p) for p in _paragraphs(body_text)]
    title = _normalise(doc.title).strip() if getattr(doc, "title", None) else ""
    if not title:
        title = parse_text_article("\n\n".join(paragraphs), path=path).title
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise ArticleParseError(path, "the HTML page has a title but no story text")
    return ParsedArticle(
        title=title,
        body="\n\n".join(paragraphs),
        outlet=(doc.sitename or None) or (doc.hostname or None),
        author=doc.author or None,
        published_at=_html_date(doc.date),
        url=doc.url or None,
    )


# ---------------------------------------------------------------------------------------------------------
# JSON and JSON Lines


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Candidate field names per article attribute, first match wins; dotted names reach into objects."""

    title: tuple[str, ...] = ("title", "headline", "name")
    body: tuple[str, ...] = ("body", "text", "content", "article", "story", "maintext")
    url: tuple[str, ...] = ("url", "link", "canonical_url", "source_url")
    published: tuple[str, ...] = ("published_at", "published", "date_publish", "date", "pubDate", "datetime")
    outlet: tuple[str, ...] = ("outlet", "source.name", "source", "site_name", "sitename", "publisher", "site")
    author: tuple[str, ...] = ("author", "authors", "byline", "creator")


DEFAULT_JSON_FIELDS = JsonFields()


def json_fields(overrides: Mapping[str, str] | None = None) -> JsonFields:
    """The default field names with ``overrides`` ({"body": "story_text,content"}) put first."""
    if not overrides:
        return DEFAULT_JSON_FIELDS
    known = {f.name for f in fields(JsonFields)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown JSON field attribute(s) {sorted(unknown)}; expected some of {sorted(known)}")
    changes = {}
    for name, value in overrides.items():
        names = tuple(v.strip() for v in value.split(",") if v.strip())
        defaults = getattr(DEFAULT_JSON_FIELDS, name)
        changes[name] = names + tuple(d for d in defaults if d not in names)
    return replace(DEFAULT_JSON_FIELDS, **changes)


@dataclass(frozen=True, slots=True)
class JsonRecord:
    """One record of a .json / .jsonl file: its index, its own content hash and the object (or why not)."""

    index: int
    content_sha256: str
    value: Any = None
    error: str | None = None


_MAX_INT_DIGITS = 4300  # Python's limit for int <-> str conversion (sys.get_int_max_str_digits)


def _parse_int(digits: str) -> int | float:
    """A JSON integer; one too long for an int (a 5,000-digit id) becomes a float (inf) instead of failing."""
    return int(digits) if len(digits.lstrip("-")) <= _MAX_INT_DIGITS else float(digits)


def _loads(text: str) -> Any:
    """json.loads, with every failure (syntax, nesting too deep) as a JSONDecodeError-like ValueError."""
    try:
        return json.loads(text, parse_int=_parse_int)
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None


def iter_json_records(data: bytes, *, path: str, jsonl: bool) -> Iterator[JsonRecord]:
    """The records of a JSON (object or list of objects) or JSON Lines file, each with its own hash.

    Raises ArticleDecodeError when the file is not text, or (for .json) not valid JSON as a whole; a bad line
    of a .jsonl file is one record with an ``error``.
    """
    text = decode_bytes(data, path=path)
    if jsonl:
        index = 0
        for line in text.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            digest = hashlib.sha256(stripped.encode("utf-8")).hexdigest()
            try:
                yield JsonRecord(index, digest, _loads(stripped))
            except json.JSONDecodeError as exc:
                yield JsonRecord(index, digest, error=f"record {index}: invalid JSON: {exc.msg} (column {exc.colno})")
            except ValueError as exc:
                yield JsonRecord(index, digest, error=f"record {index}: {exc}")
            index += 1
        return
    try:
        value = _loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleDecodeError(path, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:
        raise ArticleDecodeError(path, str(exc)) from None
    records = value if isinstance(value, list) else [value]
    for index, record in enumerate(records):
        try:
            canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        except (RecursionError, ValueError) as exc:
            yield JsonRecord(index, "", error=f"record {index}: cannot hash the record: {type(exc).__name__}")
            continue
        # surrogatepass: a lone surrogate escape ("\ud800") is valid JSON but not valid UTF-8
        yield JsonRecord(index, hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest(), record)


def _field(record: Mapping[str, Any], name: str) -> Any:
    """The value at a (dotted) field name, or None."""
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _lookup(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = _field(record, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return ", ".join(v.strip() for v in value if v.strip())  # authors: ["A", "B"]
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return value
        if isinstance(value, Mapping) and isinstance(value.get("name"), str):
            return value["name"]
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _body_text(record: Mapping[str, Any], names: tuple[str, ...], path: str) -> str:
    """The first body field holding text (a string, or a list of strings: one per paragraph)."""
    wrong: tuple[str, Any] | None = None
    for name in names:
        value = _field(record, name)
        if isinstance(value, str):
            if value.strip():
                return value
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return "\n".join(value)
        elif value is not None and wrong is None:
            wrong = (name, value)
    if wrong is not None:
        name, value = wrong
        raise ArticleParseError(path, f"no body: the field {name!r} is a JSON {_json_type(value)}, not text")
    raise ArticleParseError(path, f"no body: none of the fields {', '.join(names)} has text")


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(_normalise(str(value)).split())
    return text or None


def _as_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        try:
            seconds = value / 1000 if value > 1e11 else value  # milliseconds since the epoch
            return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):  # NaN, out of range: a date nobody can state
            return None
    text = str(value).strip()
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt
    except (ValueError, OverflowError):  # OverflowError: "0001-01-01T00:00+01:00" is before year 1 in UTC
        return parse_date(text)


def parse_json_record(record: Any, names: JsonFields, *, path: str) -> ParsedArticle:
    """A JSON record → ParsedArticle. Raises ArticleParseError when it is not an object or has no body."""
    if not isinstance(record, Mapping):
        raise ArticleParseError(path, f"the record is a JSON {_json_type(record)}, not an object")
    paragraphs = _paragraphs(_normalise(_body_text(record, names.body, path)))
    if not paragraphs:
        raise ArticleParseError(path, "the body field is empty")
    title = _as_text(_lookup(record, names.title))
    if title is None:
        title = parse_text_article("\n\n".join(paragraphs), path=path).title
    return ParsedArticle(
        title=title,
        body="\n\n".join(paragraphs),
        outlet=_as_text(_lookup(record, names.outlet)),
        author=_as_text(_lookup(record, names.author)),
        published_at=_as_datetime(_lookup(record, names.published)),
        url=_as_text(_lookup(record, names.url)),
    )
