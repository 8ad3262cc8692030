"""Document sources: an article that reports what a statement, news release or report of a named
organisation says.

Rules
-----
* A document source is named by one of
  - ``according to a statement/news release/report … of|from|by ORG`` (``… was reached on Thursday,
    according to a news release of the Foreign Ministry``);
  - ``ORG said in a statement`` (a cue whose subject is the organisation, with ``in`` + a document noun);
  - ``a statement from ORG said`` (a cue whose subject is the document, owned through ``from``/``of``/``by``).
  The document nouns are ``DOCUMENT_NOUNS``; the source must resolve to a named organisation, place or group
  (``GROUP_LABELS``): a person's statement, ``a report by analysts`` or ``a statement`` alone name no source.
* Its scope starts at its sentence, and, for ``according to`` in the first sentence of a paragraph, at the
  paragraph before (the news lead whose content the following sentence attributes: ``Beijing and Moscow
  agreed … "…". The consensus was reached …, according to a news release of X``). The scope lasts at most
  ``SCOPE_PARAGRAPHS`` paragraphs and ends where another named speaker is reported as speaking.
* Within the scope, a quote or reported speech whose own speaker is unnamed *because its cue subject is a
  collective of the parties* (``both sides voiced "…"``, ``the two countries agreed that …``, ``Beijing and
  Moscow agreed``, an unresolved ``they``; see ``speakers.is_collective``), or a quote with no cue and no
  speaker at all, is attributed to the document's source. Generic and anonymous sources (``analysts said``,
  ``a source said``) are never filled in: a wrong name is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsquotes.nlp.lexicon import GROUP_LABELS
from newsquotes.nlp.mentions import mention_text
from newsquotes.nlp.speakers import Speaker, SpeakerResolver, is_cue

DOCUMENT_NOUNS = frozenset(
    {
        "statement", "release", "communique", "communiqué", "announcement", "report", "notice", "bulletin",
        "readout", "document", "filing", "memo", "memorandum", "declaration", "letter", "briefing",
    }
)  # fmt: skip
SCOPE_PARAGRAPHS = 6
_OWNER_PREPS = frozenset({"of", "from", "by"})


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """A named organisation whose document the article reports from ``scope_start`` on."""

    char: int  # where the source is named
    scope_start: int
    speaker: Speaker


def _document_owner(noun: Token) -> Token | None:
    """'a news release of the Foreign Ministry' -> Ministry."""
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in _OWNER_PREPS:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in {"PROPN", "NOUN"}:
                return obj
    return None


def _is_document(tok: Token) -> bool:
    return tok.lemma_.lower() in DOCUMENT_NOUNS or tok.lower_ in DOCUMENT_NOUNS


def find_document_sources(doc: Doc, resolver: SpeakerResolver) -> list[DocumentSource]:
    """Document sources of the article in text order (see the module docstring)."""
    out: list[DocumentSource] = []
    text = resolver.text
    for tok in doc:
        if resolver.inside_quote(tok.idx) or not is_cue(tok):
            continue
        owner: Token | None = None
        backward = False
        if tok.lower_ == "according":
            to = next(c for c in tok.children if c.lower_ == "to")
            noun = next((c for c in to.children if c.dep_ == "pobj"), None)
            if noun is not None and _is_document(noun):
                owner = _document_owner(noun)
                backward = owner is not None
        else:
            subj = resolver.subject_of(tok)
            if subj is None:
                continue
            if _is_document(subj):
                owner = _document_owner(subj)  # "a statement from the ministry said"
            elif any(
                p.dep_ == "prep" and p.lower_ == "in" and any(o.dep_ == "pobj" and _is_document(o) for o in p.children)
                for p in tok.children
            ):
                owner = subj  # "the ministry said in a statement"
        if owner is None or resolver.inside_quote(owner.idx):
            continue
        sent = tok.sent
        speaker = resolver.resolve(owner, (sent.start_char, sent.end_char))
        if speaker.name is None or speaker.type not in GROUP_LABELS:
            continue
        scope_start = sent.start_char
        if backward:
            # "according to" also covers what comes before it in its paragraph, and when its sentence
            # opens a paragraph, the paragraph before
            scope_start = text.rfind("\n", 0, sent.start_char) + 1
            if not text[scope_start : sent.start_char].strip() and scope_start > 0:
                prev_end = len(text[:scope_start].rstrip())
                scope_start = text.rfind("\n", 0, prev_end) + 1
        source = Speaker(speaker.name, speaker.type, text=mention_text(owner))
        out.append(DocumentSource(owner.idx, scope_start, source))
    return out
