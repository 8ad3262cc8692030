"""Stable identifiers: the same input always gets the same id, so re-runs replace rather than duplicate."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from datetime import UTC, datetime


def _digest(*parts: str, length: int = 16) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()[:length]


def content_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_id(source_path: str, record_index: int = 0) -> str:
    return _digest("article", source_path, str(record_index))


def entity_key(name: str) -> str:
    """The form of a canonical name that identifies it: case-folded, NFKC, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def entity_id(label: str, name: str) -> str:
    return _digest("entity", label, entity_key(name))


def mention_id(article: str, start_char: int, end_char: int) -> str:
    return _digest("mention", article, str(start_char), str(end_char))


def quote_id(article: str, kind: str, start_char: int, end_char: int) -> str:
    return _digest("quote", article, kind, str(start_char), str(end_char))


def new_run_id(now: datetime | None = None) -> str:
    """Sortable, unique run id: UTC timestamp plus a random suffix."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
