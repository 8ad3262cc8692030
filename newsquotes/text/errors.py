"""Errors raised by the text stage; each names the offending file and why it was rejected."""

from __future__ import annotations


class ArticleTextError(ValueError):
    """Base class: an article file that cannot become a story.

    The arguments are kept as ``(path, reason)`` so the exception pickles cleanly across worker processes.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class ArticleDecodeError(ArticleTextError):
    """The bytes are not text (binary, empty, whitespace only) or cannot be decoded."""


class ArticleParseError(ArticleTextError):
    """The text decoded, but no title or no story body remains after cleaning."""
