"""Reported (indirect) speech: ``X said (that) …``, ``X warned the plan would …``, ``…, the ministry said``.

Rules
-----
* A reporting verb (``REPORTING_LEMMAS``: say, tell, warn, claim, insist, argue, admit, add, ...; opinion
  verbs such as think/believe are left out: they report views, not speech)
  outside quotation marks, with a clausal complement (``ccomp``, or a ``that`` clause the parse hung as
  adverbial) is reported speech; the complement clause is the quote text (without a leading ``that``), before
  or after the verb.
* A reporting noun owned by a name, with a ``that`` clause (``Trump's claim that there have been "thousands of
  shootings"``, ``REPORTING_NOUNS``), reports that clause; the owner is the speaker.
* The verb must have an active subject (``X is said to …`` and ``it was said`` are not attributed speech),
  and the subject is resolved to a speaker like a direct quote's (see ``speakers``); unnamed sources
  (``critics say``) give speaker None.
* A clause that is mostly (``MOSTLY_QUOTED``) inside quotation marks is a direct quote, already extracted, and is
  not repeated.
* Around a partial quote after a cue that has no such clause (``X called Machado "disgusting"``, ``X
  described Trump as a "con artist"``), the cue's complements up to the one holding the quote are reported
  speech too (``quoted_clause``).
* Questions and conditions reported with ``ask``/``wonder`` and opinion verbs in the first or second person
  (``I think``, ``you say``) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from newsquotes.nlp.mentions import mention_text
from newsquotes.nlp.speakers import Speaker, SpeakerResolver

REPORTING_LEMMAS = frozenset(
    {
        "say", "tell", "add", "claim", "warn", "insist", "argue", "admit", "explain", "announce", "state",
        "declare", "note", "suggest", "acknowledge", "confirm", "deny", "predict", "concede", "conclude",
        "promise", "reveal", "maintain", "stress", "emphasise", "emphasize", "assert",
        "contend", "allege", "report", "estimate", "forecast", "indicate", "complain", "agree", "reckon",
        "hint", "accept", "recall", "vow", "pledge", "reiterate", "testify", "write", "tweet", "signal",
    }
)  # fmt: skip
# A clause more than this share inside quotation marks is a direct quote, already extracted, and not repeated
# (0.8 gained PolNeAR quoted recall +0.005 but lost more in precision and BBC turns: the clause's speaker event).
MOSTLY_QUOTED = 0.5
# Nouns that report what their owner said ("Trump's claim that …").
REPORTING_NOUNS = frozenset(
    {"claim", "assertion", "statement", "argument", "suggestion", "warning", "promise", "insistence", "contention",
     "allegation", "prediction", "admission", "announcement", "accusation", "charge", "pledge", "vow", "boast"}
)  # fmt: skip
_FIRST_SECOND_PERSON = frozenset({"i", "we", "you"})
_TRIM = " \t\n,;:.—–-"


@dataclass(frozen=True, slots=True)
class ReportedSpeech:
    cue: Token
    subject: Token
    start: int  # clause span in characters
    end: int


def find_reported_speech(doc: Doc, resolver: SpeakerResolver) -> list[ReportedSpeech]:
    """Reporting verbs with their subject and complement clause, in text order."""
    out: list[ReportedSpeech] = []
    text = resolver.text
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in REPORTING_NOUNS:
            item = _noun_report(doc, text, tok, resolver)
            if item is not None:
                out.append(item)
            continue
        if tok.pos_ not in {"VERB", "AUX"} or tok.lemma_.lower() not in REPORTING_LEMMAS:
            continue
        if resolver.inside_quote(tok.idx):
            continue
        clause = next((c for c in tok.children if c.dep_ == "ccomp" or _that_clause(c)), None)
        if clause is None:
            continue
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children):
            continue  # "X is said to …"
        subject = resolver.subject_of(tok)
        if subject is None:
            continue
        if subject.lower_ in _FIRST_SECOND_PERSON or resolver.inside_quote(subject.idx):
            continue
        if subject.lower_ == "it" and tok.lemma_ in {"say", "report"}:
            continue
        span = _clause_span(doc, text, clause, tok)
        if span is None:
            continue
        start, end = span
        quoted = resolver.quoted_chars(start, end)
        if quoted > MOSTLY_QUOTED * (end - start):
            continue
        out.append(ReportedSpeech(tok, subject, start, end))
    return out


def _noun_report(doc: Doc, text: str, noun: Token, resolver: SpeakerResolver) -> ReportedSpeech | None:
    """``Trump's claim that there have been "thousands of shootings"``: a reporting noun owned by a name, with a
    ``that`` clause, reports that clause."""
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN"}), None)
    clause = next((c for c in noun.children if c.dep_ in {"acl", "ccomp"} and _has_that(c)), None)
    if owner is None or clause is None or resolver.inside_quote(noun.idx):
        return None
    span = _clause_span(doc, text, clause, noun)
    if span is None or resolver.quoted_chars(*span) > MOSTLY_QUOTED * (span[1] - span[0]):
        return None
    return ReportedSpeech(noun, owner, *span)


def _has_that(clause: Token) -> bool:
    return any(c.dep_ in {"mark", "advmod"} and c.lower_ == "that" and c.i < clause.i for c in clause.children)


def _that_clause(child: Token) -> bool:
    """``Trump tweeted in the early hours that Machado was …``: a ``that`` clause the parse hung as adverbial."""
    return child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)


def _clause_span(doc: Doc, text: str, clause: Token, verb: Token) -> tuple[int, int] | None:
    """Character span of the complement clause, without a leading 'that' and edge punctuation."""
    left = clause.left_edge
    right = clause.right_edge
    if left.i <= verb.i <= right.i:
        return None
    i = left.i
    while i <= right.i and ((doc[i].dep_ in {"mark", "advmod"} and doc[i].lower_ == "that") or doc[i].is_punct):
        i += 1
    j = right.i
    while j >= i and doc[j].is_punct:
        j -= 1
    if j - i < 2:
        return None
    start, end = doc[i].idx, doc[j].idx + len(doc[j].text)
    while start < end and text[start] in _TRIM + '"“”':
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end - start < 8 or "\n" in text[start:end]:
        return None
    return start, end


def sentence_frame(token: Token) -> tuple[int, int]:
    sent = token.sent
    return sent.start_char, sent.end_char


def resolve_reported(item: ReportedSpeech, resolver: SpeakerResolver) -> Speaker:
    frame = sentence_frame(item.cue)
    speaker = resolver.resolve(item.subject, frame)
    return replace(speaker, text=mention_text(item.subject, frame, resolver.inside_quote))


def quoted_clause(cue: Token, start: int, end: int, text: str) -> tuple[int, int] | None:
    """``X called Machado "disgusting"`` / ``X described Trump as a "con artist"``: what the cue reports around
    a partial quote at [start, end) after it, from the cue's first complement to the end of the one holding the
    quote (without a leading ``that``); None when the quote is a large part of it (a row of its own covers
    it), or it crosses a line or is long."""
    doc = cue.doc  # text is doc.text, which spaCy rebuilds on every access
    rights = [c for c in cue.rights if not c.is_punct and c.dep_ not in {"cc", "conj", "advcl", "npadvmod"}]
    holder = next((c for c in rights if c.left_edge.idx <= start < c.right_edge.idx + len(c.right_edge)), None)
    if holder is None:
        return None
    first = rights[0].left_edge
    while first.i < holder.right_edge.i and (first.is_punct or (first.dep_ == "mark" and first.lower_ == "that")):
        first = doc[first.i + 1]
    span = (first.idx, holder.right_edge.idx + len(holder.right_edge.text))
    s, e = span
    while s < e and text[s] in _TRIM + '"“”':
        s += 1
    while e > s and text[e - 1] in _TRIM + '"“”':
        e -= 1
    if (end - start) > 0.3 * (e - s) or e - s > 400 or "\n" in text[s:e] or s > start or e < end - 2:
        return None
    return s, e
