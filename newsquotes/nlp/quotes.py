"""Finding quotation spans in an article body (text only, no spaCy).

Rules
-----
* Quotation marks are the double marks ``"``, ``“``, ``”``, ``„``, ``«``, ``»``. Whether a mark opens or closes a
  quote is decided from its surroundings first (a mark after a space and before a letter opens, a mark after a
  letter or punctuation and before a space or punctuation closes), then from its glyph, then from whether a
  quote is currently open. Apostrophes and single marks (``don't``, ``Russia's``, ``the '90s``, a ``'nested'``
  quote inside a double-quoted one) are never treated as double quotation marks.
* Articles that use no double marks at all but quote with single marks (the British house style) are read with
  single marks instead; a single mark counts only at a word edge (``'quote'``), never inside a word, and an
  unclosed single-quoted stretch is dropped rather than run to the end of the paragraph.
* A quote may not cross a paragraph break. A paragraph that opens a quote and does not close it ends that quote
  piece at the paragraph end; when the next paragraph opens with a quotation mark, that piece continues the same
  quote (``group``), so both pieces share one speaker.
* Scraped text often flattens paragraphs, so ``…first part. "Second part…`` inside one line, an opening mark
  after sentence-final punctuation while a quote is still open, is read the same way: the open piece ends
  before the mark and a continuation piece of the same quote starts after it.
* Any other opening mark while a quote is open closes the open piece there (an unbalanced mark never makes the
  extractor give up on the rest of the article); a closing mark with no open quote is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_MARKS = frozenset('"“”„«»')
SINGLE_MARKS = frozenset("'‘’")
_OPENING_GLYPHS = frozenset("“„«‘")
_CLOSING_GLYPHS = frozenset("”»’")
_PARAGRAPH_RE = re.compile(r"[^\n]+")
_BEFORE_OPEN = frozenset(" \t\n([{—–-/:;,")
_SENTENCE_END = frozenset(".?!…:")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted piece: body[start:end] is the quoted text without its marks."""

    start: int
    end: int
    group: int  # pieces of one quote (continued across paragraphs) share a group number
    open_mark: int | None  # index of the opening mark, None when the piece continues without one
    close_mark: int | None  # index of the closing mark, None when the piece ends unclosed

    @property
    def outer_start(self) -> int:
        return self.open_mark if self.open_mark is not None else self.start

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


def _mark_role(text: str, i: int, single: bool) -> str:
    """'open', 'close' or '?' for the quotation mark at text[i]."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    prev_space = prev.isspace() or prev in "([{—–/"
    next_space = nxt.isspace() or nxt in ".,;:!?)]}—–"
    if single:
        # A single mark inside a word (don't) or before a digit ('90s) is an apostrophe.
        if prev.isalnum() and nxt.isalnum():
            return "apostrophe"
        if prev_space and not next_space:
            return "open" if nxt.isalpha() else "apostrophe"
        if next_space and not prev_space:
            return "close"
        return "apostrophe"
    if prev_space and not next_space:
        return "open"
    if next_space and not prev_space:
        return "close"
    if text[i] in _OPENING_GLYPHS:
        return "open"
    if text[i] in _CLOSING_GLYPHS:
        return "close"
    return "?"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _uses_single_marks(text: str) -> bool:
    if any(c in DOUBLE_MARKS for c in text):
        return False
    return bool(re.search(r"(?:^|[\s(\[—])['‘][A-Za-z][^'‘’\n]{2,}?[.,!?]?['’](?=[\s.,;:!?)—]|$)", text))


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All quoted pieces of text, in order (see the module docstring for the rules)."""
    single = _uses_single_marks(text)
    marks = SINGLE_MARKS if single else DOUBLE_MARKS
    spans: list[QuoteSpan] = []
    group = -1
    carried_group: int | None = None  # the quote left open by the previous paragraph
    for para in _PARAGRAPH_RE.finditer(text):
        p_start, p_end = para.span()
        if not text[p_start:p_end].strip():
            continue
        open_at: int | None = None
        open_mark: int | None = None
        open_group = -1
        first_mark_seen = False
        for i in range(p_start, p_end):
            ch = text[i]
            if ch not in marks:
                continue
            role = _mark_role(text, i, single)
            if role == "apostrophe":
                continue
            if role == "?":
                role = "close" if open_at is not None else "open"
            is_first = not first_mark_seen and not text[p_start:i].strip()
            first_mark_seen = True
            if role == "open":
                if open_at is not None:  # a new opening mark while a quote is open
                    s, e = _trimmed(text, open_at, i)
                    continues = e > s and text[e - 1] in _SENTENCE_END
                    if s < e and not single:
                        spans.append(QuoteSpan(s, e, open_group, open_mark, None))
                    if not continues:
                        group += 1
                        open_group = group
                elif is_first and carried_group is not None:
                    open_group = carried_group
                else:
                    group += 1
                    open_group = group
                open_at, open_mark = i + 1, i
            else:  # close
                if open_at is None:
                    continue
                s, e = _trimmed(text, open_at, i)
                if s < e:
                    spans.append(QuoteSpan(s, e, open_group, open_mark, i))
                open_at = None
        carried_group = None
        if open_at is not None:
            s, e = _trimmed(text, open_at, p_end)
            if s < e and not single:
                spans.append(QuoteSpan(s, e, open_group, open_mark, None))
                carried_group = open_group
    return spans
