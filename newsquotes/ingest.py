"""Finding input files and turning each into a parsed article (or one clear error)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsquotes.errors import IngestError
from newsquotes.ids import article_id, content_sha256
from newsquotes.text.clean import parse_text_article
from newsquotes.text.decode import decode_bytes
from newsquotes.text.types import ParsedArticle


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """A parsed article ready for the NLP stage."""

    article_id: str
    source_path: str
    record_index: int
    content_sha256: str
    parsed: ParsedArticle


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
    try:
        text = decode_bytes(data, path=source_path)
    except ValueError as exc:
        raise IngestError(source_path, "decode", getattr(exc, "reason", str(exc))) from exc
    try:
        return parse_text_article(text, path=source_path)
    except ValueError as exc:
        raise IngestError(source_path, "parse", getattr(exc, "reason", str(exc))) from exc


def read_articles(
    input_dir: Path, source_paths: Iterable[str], known_hashes: Mapping[str, str], max_bytes: int
) -> ReadResult:
    """Read, decode and parse files; skip those whose content is already in the warehouse."""
    result = ReadResult()
    for source_path in source_paths:
        try:
            data = read_source_bytes(input_dir, source_path, max_bytes)
            digest = content_sha256(data)
            aid = article_id(source_path, 0)
            if known_hashes.get(aid) == digest:
                result.unchanged.append(aid)
                continue
            parsed = parse_source(source_path, data)
        except IngestError as exc:
            result.errors.append(exc)
            continue
        result.articles.append(ArticleInput(aid, source_path, 0, digest, parsed))
    return result
