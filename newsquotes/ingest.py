"""Finding input files and turning each into parsed articles (or one clear error per file or record).

Formats are chosen by file ending (``newsquotes/text/formats.py``): ``.txt``, ``.html``/``.htm``, ``.json`` and
``.jsonl``. Each article also gets its language (``text/language.py``) and its duplicate signature
(``dedup.py``) here, while its text is at hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newsquotes.dedup import DuplicateMark, body_sha256, minhash_signature
from newsquotes.errors import IngestError
from newsquotes.ids import article_id, content_sha256
from newsquotes.text.clean import parse_text_article
from newsquotes.text.decode import decode_bytes
from newsquotes.text.formats import (
    DEFAULT_JSON_FIELDS,
    HTML_EXTENSIONS,
    JSON_EXTENSIONS,
    JsonFields,
    decode_html,
    iter_json_records,
    parse_html,
    parse_json_record,
)
from newsquotes.text.language import detect_language
from newsquotes.text.types import ParsedArticle


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """A parsed article ready for the NLP stage."""

    article_id: str
    source_path: str
    record_index: int
    content_sha256: str
    parsed: ParsedArticle
    language: str | None = None  # ISO 639-1, None when unsure
    body_sha256: str = ""
    minhash: np.ndarray | None = None  # MinHash of the body's word shingles (dedup.py)
    duplicate: DuplicateMark | None = None  # set by dedup.mark_duplicates

    @property
    def is_english(self) -> bool:
        """English or unknown: run through the (English) spaCy model."""
        return self.language in (None, "en")


@dataclass(slots=True)
class Discovery:
    files: list[str] = field(default_factory=list)  # relative POSIX paths, sorted
    skipped: list[IngestError] = field(default_factory=list)


@dataclass(slots=True)
class ReadResult:
    articles: list[ArticleInput] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # article ids whose content is already loaded
    errors: list[IngestError] = field(default_factory=list)


def discover_files(input_dir: Path, extensions: Iterable[str]) -> Discovery:
    """Every file under ``input_dir`` (recursively, hidden entries ignored), as sorted relative paths.

    Files with another ending are reported as skipped, not read.
    """
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    wanted = {e.lower() for e in extensions}
    found = Discovery()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith("."):
                continue
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            if Path(name).suffix.lower() in wanted:
                found.files.append(rel)
            else:
                suffix = Path(name).suffix or "(none)"
                found.skipped.append(IngestError(rel, "discover", f"unsupported file type {suffix}"))
    found.files.sort()
    found.skipped.sort(key=lambda e: e.source_path)
    return found


def read_source_bytes(input_dir: Path, source_path: str, max_bytes: int) -> bytes:
    path = Path(input_dir) / source_path
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(source_path, "read", f"file is {size} bytes, over the {max_bytes}-byte limit")
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except IngestError:
        raise
    except OSError as exc:
        raise IngestError(source_path, "read", exc.strerror or str(exc)) from exc


def parse_source(source_path: str, data: bytes) -> ParsedArticle:
    """A one-article file (.txt or .html) → ParsedArticle, or IngestError naming the stage."""
    is_html = Path(source_path).suffix.lower() in HTML_EXTENSIONS
    try:
        text = decode_html(data, path=source_path) if is_html else decode_bytes(data, path=source_path)
    except ValueError as exc:
        raise IngestError(source_path, "decode", getattr(exc, "reason", str(exc))) from exc
    try:
        return parse_html(text, path=source_path) if is_html else parse_text_article(text, path=source_path)
    except ValueError as exc:
        raise IngestError(source_path, "parse", getattr(exc, "reason", str(exc))) from exc


def make_input(source_path: str, record_index: int, digest: str, parsed: ParsedArticle) -> ArticleInput:
    """An ArticleInput with its language and duplicate signature."""
    return ArticleInput(
        article_id(source_path, record_index),
        source_path,
        record_index,
        digest,
        parsed,
        language=detect_language(parsed.body),
        body_sha256=body_sha256(parsed.body),
        minhash=minhash_signature(parsed.body),
    )


def _read_json_file(
    source_path: str, data: bytes, known_hashes: Mapping[str, str], fields: JsonFields, result: ReadResult
) -> None:
    jsonl = source_path.lower().endswith(".jsonl")
    try:
        records = list(iter_json_records(data, path=source_path, jsonl=jsonl))
    except ValueError as exc:
        result.errors.append(IngestError(source_path, "decode", getattr(exc, "reason", str(exc))))
        return
    if not records:
        result.errors.append(IngestError(source_path, "parse", "no records in the file"))
        return
    for record in records:
        aid = article_id(source_path, record.index)
        if known_hashes.get(aid) == record.content_sha256:
            result.unchanged.append(aid)
            continue
        if record.error is not None:
            result.errors.append(IngestError(source_path, "parse", record.error))
            continue
        try:
            parsed = parse_json_record(record.value, fields, path=source_path)
        except ValueError as exc:
            reason = getattr(exc, "reason", str(exc))
            result.errors.append(IngestError(source_path, "parse", f"record {record.index}: {reason}"))
            continue
        result.articles.append(make_input(source_path, record.index, record.content_sha256, parsed))


def read_articles(
    input_dir: Path,
    source_paths: Iterable[str],
    known_hashes: Mapping[str, str],
    max_bytes: int,
    json_fields: JsonFields = DEFAULT_JSON_FIELDS,
) -> ReadResult:
    """Read, decode and parse files; skip articles whose content is already in the warehouse.

    One-article files are skipped by the hash of their bytes; each record of a .json/.jsonl file by its own
    hash, so one changed record is the only one processed again.
    """
    result = ReadResult()
    for source_path in source_paths:
        try:
            data = read_source_bytes(input_dir, source_path, max_bytes)
            if Path(source_path).suffix.lower() in JSON_EXTENSIONS:
                _read_json_file(source_path, data, known_hashes, json_fields, result)
                continue
            digest = content_sha256(data)
            aid = article_id(source_path, 0)
            if known_hashes.get(aid) == digest:
                result.unchanged.append(aid)
                continue
            parsed = parse_source(source_path, data)
        except IngestError as exc:
            result.errors.append(exc)
            continue
        result.articles.append(make_input(source_path, 0, digest, parsed))
    return result
