"""Entry point of the NLP stage: one spaCy Doc in, entity mentions and attributed quotes out.

What is extracted
-----------------
* ``mentions``: named entities with a canonical name per article (see ``newsquotes.nlp.entities``).
* ``quotes``: direct quotes (whole sentences in quotation marks), partial quotes (quoted words inside a
  sentence of the article) and indirect, reported speech (``X said that …``) with the speaker's fullest
  name, type, role, the cue verb and character offsets into the body. Rules: ``quotes`` (where quotation
  spans are), ``frames`` (where a quote's cue is, what is not speech), ``attribution`` (cue speakers, turns,
  document sources), ``cues`` (cue verbs), ``speakers`` (cue subjects), ``speaker_names`` (names,
  organisations, roles), ``pronouns`` and ``gender``, ``indirect`` (reported speech), ``documents`` (quotes
  reporting a named organisation's statement or news release), ``entities`` and ``name_spans`` (mentions).
* Quotes and reported speech are attributed in text order, so a speaker introduced by reported speech
  (``Mr Frost said rates should stay on hold.``) carries over to the quote that follows, and pronouns can
  refer to the latest speakers.
"""

from __future__ import annotations

from spacy.tokens import Doc

from newsquotes.nlp.attribution import QuoteAttributor
from newsquotes.nlp.entities import build_entity_index
from newsquotes.nlp.quotes import find_quote_spans
from newsquotes.nlp.speakers import SpeakerResolver
from newsquotes.nlp.types import QUOTE_KINDS, SPEAKER_TYPES, DocAnalysis, Mention, Quote

__all__ = ["QUOTE_KINDS", "SPEAKER_TYPES", "DocAnalysis", "Mention", "Quote", "analyse_doc"]


def analyse_doc(doc: Doc) -> DocAnalysis:
    """Entity mentions and attributed quotes of one article body (doc = nlp(body))."""
    index = build_entity_index(doc)
    spans = find_quote_spans(doc.text)
    resolver = SpeakerResolver(doc, index, [(s.outer_start, s.outer_end) for s in spans])
    quotes = QuoteAttributor(doc, resolver, spans).attribute()
    quotes.sort(key=lambda q: (q.start_char, q.end_char))
    return DocAnalysis(mentions=list(index.mentions), quotes=quotes)
