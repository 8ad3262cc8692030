"""The speaker mention as written in the attributing clause (``quotes.speaker_text``).

Rules
-----
* The mention is the cue subject's noun phrase from its left edge to its head: ``he``, ``the company``,
  ``analysts``, ``Mr Glazer``, ``Chinese Foreign Minister Wang Yi``; what follows the head (``a spokesman
  for Microsoft`` → ``a spokesman``, appositions, relative clauses) is left out.
* A description in apposition after a name (``Flynn, a top Trump surrogate, said``) gives the name.
* It never reaches outside the frame the subject was resolved in, nor into quotation marks or the paragraph
  before, and keeps at most ``MAX_WORDS`` words (the last ones, nearest the head).
"""

from __future__ import annotations

from spacy.tokens import Token

MAX_WORDS = 8
_EDGE = " \t\n,;:-–—()\"“”‘’'"


def mention_text(head: Token, frame: tuple[int, int] | None = None, quoted=None) -> str | None:  # type: ignore[no-untyped-def]
    """The subject phrase headed by head, as written (see the module docstring)."""
    doc = head.doc
    if head.dep_ == "appos" and head.head.i < head.i and head.pos_ != "PROPN" and head.head.pos_ == "PROPN":
        head = head.head  # "Flynn, a top Trump surrogate, said": the name
    start = head.left_edge.i
    lo = frame[0] if frame is not None else 0
    for i in range(head.i - 1, max(start, head.i - MAX_WORDS - 1) - 1, -1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:  # not into the paragraph before
            start = max(start, i + 1)
            break
    while start < head.i and (
        doc[start].idx < lo or doc[start].is_punct or (quoted is not None and quoted(doc[start].idx))
    ):
        start += 1
    start = max(start, head.i - MAX_WORDS + 1)
    text = doc[start : head.i + 1].text.strip(_EDGE)
    return text or None
