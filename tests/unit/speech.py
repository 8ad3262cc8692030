"""Shared helpers of the speaker tests: find the quote a test is about in an analysed text."""

from __future__ import annotations

from collections.abc import Callable

from newsquotes.nlp.types import DocAnalysis, Quote

Analyse = Callable[[str], DocAnalysis]


def quote(result: DocAnalysis, fragment: str, *, indirect: bool = False) -> Quote:
    """The first quote containing ``fragment``; reported speech (``indirect`` rows) only when asked."""
    found = [q for q in result.quotes if fragment in q.quote_text and (indirect or q.kind != "indirect")]
    assert found, f"no quote containing {fragment!r} in {[q.quote_text for q in result.quotes]}"
    return found[0]
