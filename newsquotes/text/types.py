"""Plain records produced by the text stage (decoding, cleaning, metadata)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line of the input that is not part of the story, kept so nothing is silently lost."""

    line_no: int  # 1-based line number in the decoded file
    text: str
    reason: str  # e.g. "navigation", "caption", "prompt", "related-links", "byline", "off-topic", ...


@dataclass(slots=True)
class ParsedArticle:
    """An article's title, clean body and stated metadata."""

    title: str
    body: str  # paragraphs joined by "\n\n"; the text the NLP runs on
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    url: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
