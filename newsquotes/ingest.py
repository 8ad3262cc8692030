"""Finding input files and turning each into parsed articles (or one clear error per file or record).

Formats are chosen by file ending (``newsquotes/text/formats.py``): ``.txt``, ``.html``/``.htm``, ``.json`` and
``.jsonl``. Each article also gets its language (``text/language.py``) and its duplicate signature
(``dedup.py``) here, while its text is at hand.
"""

from __future__ import annotations

import errno
import os
import re
import stat
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


def _printable(name: str) -> str:
    """A path that is not valid UTF-8 (os.walk's surrogate escapes), with its bad bytes written as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover_files(input_dir: Path, extensions: Iterable[str], *, allow_outside_links: bool = False) -> Discovery:
    """Every file under ``input_dir`` (recursively, hidden entries ignored), as sorted relative paths.

    Files with another ending are reported as skipped, not read; so are folders that cannot be listed and names
    that are not valid UTF-8 (they cannot be stored). Links stay inside the input folder: a link to a file or a
    folder that resolves outside it is refused, naming its target, unless ``allow_outside_links`` (the setting)
    says to follow it. A link to a folder inside the input folder is not followed (its files are found where
    they are); a followed folder link that leads back into a folder already read, or around the input folder,
    is not followed either (a link may loop).
    """
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    wanted = {e.lower() for e in extensions}
    found = Discovery()
    real_root = Path(os.path.realpath(root))
    followed: list[Path] = [real_root]  # real paths of the folders read so far (the input folder and links)

    def skip(path: Path, reason: str) -> None:
        rel = _printable(path.relative_to(root).as_posix())
        found.skipped.append(IngestError(rel, "discover", reason))

    def unlistable(exc: OSError) -> None:
        skip(Path(exc.filename), f"cannot list the folder: {exc.strerror or exc}")

    def refused_link(path: Path, is_folder: bool) -> str | None:
        """Why a link is not followed, or None."""
        target = Path(os.path.realpath(path))
        shown = _printable(str(target))
        kind = "a folder" if is_folder else "a file"
        if target.is_relative_to(real_root):
            return f"symbolic link to a folder ({shown}), not followed" if is_folder else None
        if not allow_outside_links:
            return f"symbolic link to {shown}, {kind} outside the input folder (setting allow_outside_links)"
        if is_folder:
            if any(target.is_relative_to(f) or f.is_relative_to(target) for f in followed):
                return f"symbolic link to a folder ({shown}) already read through another path, not followed"
            followed.append(target)
        return None

    def walk(top: Path) -> None:
        for dirpath, dirnames, filenames in os.walk(top, onerror=unlistable, followlinks=False):
            here = Path(dirpath)
            subdirs, links = [], []
            for d in sorted(d for d in dirnames if not d.startswith(".")):
                (links if os.path.islink(here / d) else subdirs).append(d)
            dirnames[:] = subdirs
            for name in filenames:
                if name.startswith("."):
                    continue
                rel = (here / name).relative_to(root).as_posix()
                if _printable(rel) != rel:
                    skip(here / name, "file name is not valid UTF-8")
                elif os.path.islink(here / name) and (why := refused_link(here / name, False)) is not None:
                    skip(here / name, why)
                elif Path(name).suffix.lower() in wanted:
                    found.files.append(rel)
                else:
                    suffix = Path(name).suffix or "(none)"
                    found.skipped.append(IngestError(rel, "discover", f"unsupported file type {suffix}"))
            for d in links:
                why = refused_link(here / d, True)
                if why is None:
                    walk(here / d)
                else:
                    skip(here / d, why)

    walk(root)
    found.files.sort()
    found.skipped.sort(key=lambda e: e.source_path)
    return found


_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _read_failure(path: Path, exc: OSError) -> str:
    """Why reading ``path`` failed, in words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: too many levels of symbolic links"
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return f"broken symbolic link: its target {_printable(os.readlink(path))} does not exist"
        return "file not found: it was deleted or moved after the folder was listed"
    return f"cannot read the file: {exc.strerror or exc}"


def read_source_bytes(input_dir: Path, source_path: str, max_bytes: int) -> bytes:
    """The file's bytes; IngestError (stage ``read``) when it is missing, not a regular file, unreadable or too big."""
    path = Path(input_dir) / source_path
    limit = f"the {max_bytes}-byte limit (setting max_file_bytes, NEWSQUOTES_MAX_FILE_BYTES)"
    try:
        info = path.stat()
        for is_kind, kind in _NOT_REGULAR:
            if is_kind(info.st_mode):  # a pipe would block the run; a device never ends
                raise IngestError(source_path, "read", f"not a regular file: it is {kind}")
        if info.st_size > max_bytes:
            raise IngestError(source_path, "read", f"file is {info.st_size} bytes, over {limit}")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except IngestError:
        raise
    except OSError as exc:
        raise IngestError(source_path, "read", _read_failure(path, exc)) from exc
    if len(data) > max_bytes:  # it grew after stat
        raise IngestError(source_path, "read", f"file grew to more than {max_bytes} bytes, over {limit}")
    return data


# A .txt file that is really a saved web page: read as HTML, or its markup would become the story.
_HTML_DOCUMENT = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


def parse_source(source_path: str, data: bytes) -> ParsedArticle:
    """A one-article file (.txt or .html) → ParsedArticle, or IngestError naming the stage."""
    is_html = Path(source_path).suffix.lower() in HTML_EXTENSIONS
    try:
        text = decode_html(data, path=source_path) if is_html else decode_bytes(data, path=source_path)
    except ValueError as exc:
        raise IngestError(source_path, "decode", getattr(exc, "reason", str(exc))) from exc
    is_html = is_html or bool(_HTML_DOCUMENT.match(text[:4096]))
    try:
        return parse_html(text, path=source_path) if is_html else parse_text_article(text, path=source_path)
    except ValueError as exc:
        raise IngestError(source_path, "parse", getattr(exc, "reason", str(exc))) from exc


# spaCy's default ``max_length``: the NLP stage refuses longer texts (and would need about 1 GB per 100,000).
SPACY_MAX_CHARS = 1_000_000
# Default of setting ``max_body_chars``: about 35,000 words, above any news story (the longest BBC and seed
# bodies are under 26,000 characters), and under a minute of NLP (measured: 37 s of spaCy and 2 s of rules for
# 199,000 characters on a busy 2-core machine), so no single article holds a run for minutes.
MAX_BODY_CHARS = 200_000
# A whitespace-free run this long, at least half of it punctuation or symbols, is not prose; spaCy's tokenizer
# splits such a run one mark at a time and its cost grows with the square of the run (measured: 1,000 quotation
# marks 0.2 s, 4,000 3 s, 16,000 34 s; a 50,000-mark article took 6 minutes through the pipeline).
_MAX_PUNCTUATION_RUN = 1000
_LONG_RUN = re.compile(rf"\S{{{_MAX_PUNCTUATION_RUN},}}")


def body_problem(body: str, max_chars: int = MAX_BODY_CHARS) -> str | None:
    """Why a parsed body cannot go on to the NLP stage, or None."""
    if len(body) > max_chars:
        return (
            f"body is {len(body)} characters, over the {max_chars}-character limit "
            "(setting max_body_chars, NEWSQUOTES_MAX_BODY_CHARS)"
        )
    for m in _LONG_RUN.finditer(body):
        run = m.group()
        marks = sum(1 for ch in run if not ch.isalnum())
        if 2 * marks >= len(run):
            return (
                f"not prose: a run of {len(run)} characters without a space at character {m.start()}, "
                f"{marks} of them punctuation or symbols"
            )
    return None


def make_input(
    source_path: str, record_index: int, digest: str, parsed: ParsedArticle, max_body_chars: int = MAX_BODY_CHARS
) -> ArticleInput:
    """An ArticleInput with its language and duplicate signature; IngestError when its body is no story."""
    problem = body_problem(parsed.body, max_body_chars)
    if problem is not None:
        label = f"record {record_index}: " if Path(source_path).suffix.lower() in JSON_EXTENSIONS else ""
        raise IngestError(source_path, "parse", label + problem)
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
    source_path: str,
    data: bytes,
    known_hashes: Mapping[str, str],
    fields: JsonFields,
    result: ReadResult,
    max_body_chars: int,
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
            result.articles.append(make_input(source_path, record.index, record.content_sha256, parsed, max_body_chars))
        except IngestError as exc:
            result.errors.append(exc)
        except Exception as exc:  # one broken record never stops the file
            reason = getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}"
            result.errors.append(IngestError(source_path, "parse", f"record {record.index}: {reason}"))


def read_articles(
    input_dir: Path,
    source_paths: Iterable[str],
    known_hashes: Mapping[str, str],
    max_bytes: int,
    json_fields: JsonFields = DEFAULT_JSON_FIELDS,
    max_body_chars: int = MAX_BODY_CHARS,
) -> ReadResult:
    """Read, decode and parse files; skip articles whose content is already in the warehouse.

    One-article files are skipped by the hash of their bytes; each record of a .json/.jsonl file by its own
    hash, so one changed record is the only one processed again. Bodies over ``max_body_chars`` are rejected.
    """
    result = ReadResult()
    for source_path in source_paths:
        try:
            data = read_source_bytes(input_dir, source_path, max_bytes)
            if Path(source_path).suffix.lower() in JSON_EXTENSIONS:
                _read_json_file(source_path, data, known_hashes, json_fields, result, max_body_chars)
                continue
            digest = content_sha256(data)
            aid = article_id(source_path, 0)
            if known_hashes.get(aid) == digest:
                result.unchanged.append(aid)
                continue
            parsed = parse_source(source_path, data)
            result.articles.append(make_input(source_path, 0, digest, parsed, max_body_chars))
        except IngestError as exc:
            result.errors.append(exc)
        except Exception as exc:  # one broken file never stops the run
            result.errors.append(IngestError(source_path, "parse", f"unexpected {type(exc).__name__}: {exc}"))
    return result
