"""Attributing quoted pieces to speakers, and telling speech from titles, terms and scare quotes.

Rules
-----
* Placement. For each quoted piece the text around it in the same paragraph is read as two frames: *after*
  (from the closing mark to the end of the sentence or the next quote) and *before* (from the start of the
  sentence, or the previous quote, to the opening mark).
  - ``"…," X said.`` / ``"…," said X, role.`` / ``"…?" she asked``: when the quote does not end its
    sentence (it ends in a comma, ``?``, ``!`` or a dash) or the after-frame starts in lower case, a cue
    verb in the after-frame that comes before any other main verb names the speaker (a capitalised word the
    tagger took for a verb is part of a name, ``"…," Tulsa police Chief Chuck Jordan said``; a leading conditional
    clause is skipped: ``"…" if you exclude X, Mr Milburn told …``). After ``?`` or ``!`` a capitalised
    after-frame must be a short tag (``"…?" Mr Blair asked.``), not a new sentence.
  - ``X said: "…"`` / ``X told the BBC: "…"`` / ``"…," said X, "…"`` (the second part): the cue nearest
    before the quote in the before-frame, provided nothing but its complements stands between (no other
    main verb), or the quote sits inside the cue's clause in the parse.
  - Partial quotes inside a sentence (``X described it as "idle speculation"``, ``X said the economy had
    "slowed"``): the before-frame cue whose clause contains the quote, else a cue after the quote
    (``… was "beyond disaster", Ms Kite said``).
  - A second partial quote whose before-frame (cut at the previous quote) has no cue: the nearest cue
    earlier in the sentence whose object contains it (``China warns of "consequences" to protect "security
    interests"``, ``X said it was "cowardly" and a "complete u-turn"``) — not through an adverbial clause,
    the subject of a clause or a phrase owned by a name, not a naming or weak cue (``groups dubbed
    "pioneers" and "materialists"``), and only when that cue names its speaker.
  - ``"…" ― Sonya Herridge`` / ``"…" — John Smith, 45, of Ohio``: a dash after the quote followed by nothing
    but a name (and a role after a comma) signs the quote with that name (see ``speakers.dash_signature``).
  - ``Cruz continued:`` closing the paragraph before one that opens with the quote: the cue of that
    paragraph's last sentence (``colon_intro``).
  - No cue: a piece that continues a quote (``group``) keeps its speaker; otherwise a full-sentence quote
    takes the latest speaker of the same or the previous paragraph (a quote continuing that speaker's turn,
    or opening a paragraph after the speaker was introduced by reported speech). A lower-case partial
    quote of five or more words takes the latest speaker when that speaker spoke in the same paragraph at most two
    sentences before and the quote's sentence names nobody else (``"…," said X. The trade gap "are big
    issues going forward".``).
  - Document sources (see ``documents``): a quote or reported speech left without a name because its cue
    subject is a collective of parties (``both sides voiced "…"``), or a quote with no cue and no speaker,
    takes the organisation whose statement or news release the article is reporting.
* Speech or not. A short quotation (under five words, no sentence-final punctuation) with no cue is a term,
  title, nickname or scare quote and is not emitted; so are short partial quotes introduced as names
  (``so-called``, ``known as``, ``the slogan``, ``titled``), owned by a possessive (``their "mutual homes"``)
  or standing inside a proper name (``Fred "The Hammer" Smith``). A weak cue (``ask``, ``call``, ``think``)
  counts only when it introduces the quote directly (``calling it a "red line"``, not ``asked for an inquiry
  into claims he was "tapped up"``). Longer quoted phrases without a cue are emitted with no speaker.
* Kind. ``partial`` when the quote is embedded in a sentence of the article (starts in lower case, or follows
  a word rather than a colon, comma or sentence break), else ``direct``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from newsquotes.nlp.documents import SCOPE_PARAGRAPHS, DocumentSource, find_document_sources
from newsquotes.nlp.indirect import ReportedSpeech, find_reported_speech, quoted_clause, resolve_reported
from newsquotes.nlp.lexicon import NAMING_CUE_LEMMAS, WEAK_CUE_LEMMAS
from newsquotes.nlp.mentions import mention_text
from newsquotes.nlp.quotes import QuoteSpan
from newsquotes.nlp.speakers import (
    Speaker,
    SpeakerResolver,
    cue_text,
    is_collective,
    is_cue,
)
from newsquotes.nlp.types import DESCRIPTION, Quote

_SENTENCE_FINAL = frozenset({".", "!", "?"})
_MAIN_VERB_SKIP_DEPS = frozenset({"relcl", "acl", "amod", "appos", "advcl", "pcomp", "compound"})
_NAMING_WORDS_RE = re.compile(
    r"(?:so-called|so called|known as|dubbed as|nicknamed|titled|entitled|slogan|motto|term|phrase|"
    r"word|words|hashtag|headline|label|banner|brand|named|called it the|code-?named)\s*[:,]?\s*$",
    re.IGNORECASE,
)
_POSSESSIVE_BEFORE_RE = re.compile(r"(?:\b(?:their|its|our|his|her|my|your)|['’]s)\s*$", re.IGNORECASE)
_PARAGRAPH_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"\w+")


@dataclass(slots=True)
class _Frame:
    start: int
    end: int
    tokens: list[Token]


class QuoteAttributor:
    """Attributes the quoted pieces of one document."""

    def __init__(self, doc: Doc, resolver: SpeakerResolver, spans: list[QuoteSpan]) -> None:
        self.doc = doc
        self.text = doc.text
        self.resolver = resolver
        self.spans = spans
        self._tok_starts = [t.idx for t in doc]
        self._paras = [m.span() for m in _PARAGRAPH_RE.finditer(self.text)]
        self._para_starts = [s for s, _ in self._paras]
        self._reported: list[ReportedSpeech] = []
        self._reported_cues: set[int] = set()
        self._sources: list[DocumentSource] = []

    # ------------------------------------------------------------------ geometry
    def para_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, char) - 1)

    def token_at(self, char: int) -> int:
        """Index of the first token starting at or after char."""
        return bisect.bisect_left(self._tok_starts, char)

    def after_frame(self, piece: QuoteSpan, nxt: QuoteSpan | None) -> _Frame:
        p_end = self._paras[self.para_index(piece.start)][1]
        limit = p_end
        if nxt is not None and nxt.outer_start < limit:
            limit = nxt.outer_start
        toks: list[Token] = []
        for i in range(self.token_at(piece.outer_end), len(self.doc)):
            tok = self.doc[i]
            if tok.idx >= limit or "\n" in tok.text:
                break
            if tok.text in _SENTENCE_FINAL:
                break
            toks.append(tok)
        end = toks[-1].idx + len(toks[-1].text) if toks else piece.outer_end
        return _Frame(piece.outer_end, end, toks)

    def before_frame(self, piece: QuoteSpan, prev: QuoteSpan | None) -> _Frame:
        p_start = self._paras[self.para_index(piece.start)][0]
        limit = p_start
        if prev is not None and prev.outer_end > limit:
            limit = prev.outer_end
        toks: list[Token] = []
        for i in range(self.token_at(piece.outer_start) - 1, -1, -1):
            tok = self.doc[i]
            if tok.idx < limit or "\n" in tok.text or tok.text in _SENTENCE_FINAL:
                break
            toks.append(tok)
        toks.reverse()
        start = toks[0].idx if toks else piece.outer_start
        return _Frame(start, piece.outer_start, toks)

    def _quote_tokens(self, piece: QuoteSpan) -> list[Token]:
        i = self.token_at(piece.start)
        out = []
        while i < len(self.doc) and self.doc[i].idx < piece.end:
            out.append(self.doc[i])
            i += 1
        return out

    # ------------------------------------------------------------------ cues
    def cue_after(self, frame: _Frame) -> Token | None:
        """A cue right after the quote: ``"…," said X`` or ``"…," X (, role,) said``."""
        seen_word = False
        skip_to_comma = False
        for n, tok in enumerate(frame.tokens):
            if n > 30:
                return None
            if skip_to_comma:
                skip_to_comma = tok.text != ","
                continue
            if tok.is_punct:
                continue
            if not seen_word and tok.pos_ == "SCONJ" and any(t.text == "," for t in frame.tokens[n:]):
                skip_to_comma = True  # "…" if you took out the self-employed, Mr Milburn told …
                continue
            if not seen_word and tok.pos_ in {"CCONJ", "SCONJ", "ADP", "ADV"} and not is_cue(tok):
                return None  # "…" and did not indicate …
            seen_word = True
            if is_cue(tok):
                return tok
            if tok.is_title and tok.i > 0 and not tok.is_sent_start:
                continue  # a capitalised word the tagger took for a verb is a name ("…," Tulsa police Chief … said)
            if tok.pos_ == "VERB" and tok.dep_ not in _MAIN_VERB_SKIP_DEPS and not _in_clause(tok):
                return None
        return None

    def cue_before(self, frame: _Frame, piece: QuoteSpan) -> Token | None:
        quote_toks = self._quote_tokens(piece)
        for tok in reversed(frame.tokens):
            if not is_cue(tok):
                continue
            between = [t for t in frame.tokens if t.i > tok.i]
            direct_intro = not any(
                t.pos_ in {"VERB", "AUX"} and not is_cue(t) and t.dep_ not in {"aux", "auxpass", "neg"} for t in between
            )
            governs = any(_is_ancestor(tok, q) for q in quote_toks[:3])
            if tok.lemma_.lower() in WEAK_CUE_LEMMAS and not (direct_intro and len(between) <= 4):
                continue
            if direct_intro or governs or tok.lower_ == "according":
                return tok
        return None

    def colon_intro(self, piece: QuoteSpan) -> tuple[Token, _Frame] | None:
        """``Caddell continued:`` ending the paragraph before a paragraph that opens with the quote: the cue of
        that paragraph's last sentence, outside quotation marks."""
        p = self.para_index(piece.start)
        if p == 0 or self.text[self._paras[p][0] : piece.outer_start].strip():
            return None
        p_start, p_end = self._paras[p - 1]
        if not self.text[p_start:p_end].rstrip().endswith(":"):
            return None
        last = self.token_at(p_end) - 1
        while last >= 0 and (self.doc[last].is_space or self.doc[last].idx >= p_end):
            last -= 1
        if last < 0 or self.doc[last].idx < p_start:
            return None
        sent = self.doc[last].sent
        toks = [t for t in sent if t.idx >= p_start and t.idx < p_end and not t.is_space]
        cue = next((t for t in reversed(toks) if is_cue(t) and not self.resolver.inside_quote(t.idx)), None)
        if cue is None or cue.lemma_.lower() in NAMING_CUE_LEMMAS:
            return None
        return cue, _Frame(toks[0].idx, p_end, toks)

    def cue_governing(self, frame: _Frame, piece: QuoteSpan) -> Token | None:
        """A cue earlier in the sentence, beyond a previous quote, whose clause contains the quote
        (``China warns of "consequences" to protect "security interests"``)."""
        quote_toks = [t for t in self._quote_tokens(piece)[:3] if not t.is_punct]
        for tok in reversed(frame.tokens):
            if not is_cue(tok) or self.resolver.inside_quote(tok.idx):
                continue
            if any(_in_object_of(tok, q) for q in quote_toks):
                lemma = tok.lemma_.lower()
                # the nearest cue decides: "groups dubbed "pioneers" and "materialists"" names groups
                return None if lemma in WEAK_CUE_LEMMAS or lemma in NAMING_CUE_LEMMAS else tok
        return None

    def document_speaker(self, char: int, cue: Token | None = None) -> Speaker | None:
        """The source of the document the article is reporting at char, if any (see ``documents``). After
        the source is named, a cue must be in the simple past (``both sides voiced``): ``both parties have
        warned`` states a standing position, not the document's account."""
        source = next((s for s in reversed(self._sources) if s.scope_start <= char), None)
        if source is None or self.para_index(char) - self.para_index(source.char) > SCOPE_PARAGRAPHS:
            return None
        if cue is not None and char > source.char and cue.tag_ != "VBD":
            return None
        for ev in self.resolver.events:
            if source.scope_start <= ev.char < char and ev.speaker.name not in (None, source.speaker.name):
                return None  # another named speaker has taken over
        return source.speaker

    def _continues_turn(self, piece: QuoteSpan, ev_char: int) -> bool:
        """A lower-case quoted phrase with no cue (``The trade gap "are big issues going forward".``) at most
        two sentences after the latest speaker's, in the same paragraph, in a sentence naming nobody else."""
        content = self.text[piece.start : piece.end]
        if not content[:1].islower():
            return False  # a capitalised phrase is more often a title ("the study "Whose Secretary are You"")
        if len(_WORD_RE.findall(content)) < 5 or self.para_index(ev_char) != self.para_index(piece.start):
            return False
        i = self.token_at(piece.start)
        if i >= len(self.doc):
            return False
        sent = self.doc[i].sent
        earliest = sent
        for _ in range(2):  # the speaker spoke in this sentence or one of the two before
            if earliest.start == 0:
                break
            earliest = self.doc[earliest.start - 1].sent
        if ev_char < earliest.start_char:
            return False
        outside = [
            e
            for e in sent.ents
            if e.label_ in {"PERSON", "ORG", "GPE", "NORP"} and not self.resolver.inside_quote(e.start_char)
        ]
        return not outside

    def _collective_cue(self, cue: Token | None) -> bool:
        subj = self.resolver.subject_of(cue) if cue is not None else None
        return subj is not None and is_collective(subj)

    def speaker_for_cue(self, cue: Token, frame: _Frame, after: bool) -> Speaker:
        first_word = next((t for t in frame.tokens if not t.is_punct), None)
        if after and first_word is cue:
            person = self.resolver.person_after_cue(cue, frame.end)
            if person is not None:
                return replace(person, text=self.text[person.start_char : person.end_char])
        subj = self.resolver.subject_of(cue)
        is_agent = subj is not None and subj.head.lower_ == "by"
        resolve_frame = (frame.start, frame.end)
        if subj is not None and not (frame.start <= subj.idx < frame.end):
            # a subject outside the frame counts only within the cue's own sentence and paragraph
            # ("X conceded there were "grey areas" but said "…"")
            same_sentence = subj.sent.start == cue.sent.start and not any(
                "\n" in t.text for t in self.doc[min(subj.i, cue.i) : max(subj.i, cue.i)]
            )
            if same_sentence or is_agent:
                resolve_frame = (cue.sent.start_char, cue.sent.end_char)
            else:
                subj = None
        if subj is not None and self.resolver.inside_quote(subj.idx):
            subj = None
        if subj is None and any(c.dep_ in {"auxpass", "nsubjpass"} for c in cue.children):
            return Speaker(None)  # a passive cue without an agent names no speaker
        if subj is None:
            first = frame.tokens[0] if frame.tokens else None
            look_after = after and first is not None and (first is cue or first.is_punct)
            subj = self.resolver.nearest_phrase_head(cue, frame.start, frame.end, look_after)
            if subj is None:
                subj = self.resolver.nearest_phrase_head(cue, frame.start, frame.end, not look_after)
        if subj is None:
            return Speaker(None)
        speaker = self.resolver.resolve(subj, resolve_frame)
        return replace(speaker, text=mention_text(subj, resolve_frame, self.resolver.inside_quote))

    # ------------------------------------------------------------------ kinds and speech
    def kind_of(self, piece: QuoteSpan) -> str:
        content = self.text[piece.start : piece.end]
        p_start = self._paras[self.para_index(piece.start)][0]
        before = self.text[p_start : piece.outer_start].rstrip()
        first = content.lstrip("[('‘\"“ ")[:1]
        if first.islower():
            return "partial"
        if not before or before[-1] in ":.!?,;—–-\"”'’":
            return "direct"
        return "partial"

    def looks_like_name(self, piece: QuoteSpan) -> bool:
        """Titles, slogans, nicknames: introduced as names, owned by a possessive, inside a proper name."""
        p_start = self._paras[self.para_index(piece.start)][0]
        before = self.text[max(p_start, piece.outer_start - 40) : piece.outer_start]
        content = self.text[piece.start : piece.end]
        short = len(_WORD_RE.findall(content)) < 5
        if short and (_NAMING_WORDS_RE.search(before) or _POSSESSIVE_BEFORE_RE.search(before)):
            return True
        long_words = [w for w in _WORD_RE.findall(content) if len(w) > 3]
        if len(long_words) >= 2 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words):
            return True  # a title in Title Case ("State of Agricultural Commodity Markets 2004")
        prev_tok = self.token_at(piece.outer_start) - 1
        nxt_tok = self.token_at(piece.outer_end)
        if prev_tok >= 0 and nxt_tok < len(self.doc):
            a, b = self.doc[prev_tok], self.doc[nxt_tok]
            if a.pos_ == "PROPN" and b.pos_ == "PROPN" and a.is_title and b.is_title:
                return True
        return False

    # ------------------------------------------------------------------ main
    def _flush_reported(self, before_char: int, quotes: list[Quote]) -> None:
        """Emit the reported speech whose cue comes before before_char (keeps speakers in text order)."""
        while self._reported and self._reported[0].cue.idx < before_char:
            item = self._reported.pop(0)
            speaker = resolve_reported(item, self.resolver)
            if speaker.name is None and is_collective(item.subject):
                speaker = self.document_speaker(item.cue.idx, item.cue) or speaker
            named = speaker.name is not None
            text = self.text[item.start : item.end]
            quotes.append(make_quote(text, "indirect", item.start, item.end, speaker, item.cue.text))
            if named:
                self.resolver.add_event(item.cue.idx, speaker)

    def attribute(self) -> list[Quote]:
        quotes: list[Quote] = []
        group_speaker: dict[int, tuple[Speaker, str | None]] = {}
        spans = self.spans
        self._reported = find_reported_speech(self.doc, self.resolver)
        self._reported_cues = {item.cue.i for item in self._reported}
        clauses: set[tuple[int, int]] = set()
        self._sources = find_document_sources(self.doc, self.resolver)
        for n, piece in enumerate(spans):
            self._flush_reported(piece.outer_start, quotes)
            prev = spans[n - 1] if n and self.para_index(spans[n - 1].start) == self.para_index(piece.start) else None
            nxt = (
                spans[n + 1]
                if n + 1 < len(spans) and self.para_index(spans[n + 1].start) == self.para_index(piece.start)
                else None
            )
            content = self.text[piece.start : piece.end]
            kind = self.kind_of(piece)
            speaker: Speaker | None = None
            cue: Token | None = None
            ends_sentence = content.rstrip()[-1:] in {".", ":", ";"} and piece.close_mark is not None
            after = self.after_frame(piece, nxt)
            signed = self.resolver.dash_signature(piece.outer_end, after.tokens)
            if signed is not None:  # "…" ― Sonya Herridge
                quotes.append(self._quote(piece, kind, signed, None, keep_span=True))
                self.resolver.add_event(piece.start, signed)
                group_speaker[piece.group] = (signed, None)
                continue
            if after.tokens and (not ends_sentence or after.tokens[0].text[:1].islower()):
                cue = self.cue_after(after)
                if cue is not None and content.rstrip()[-1:] in {"?", "!"} and not _short_tag(after, cue):
                    cue = None  # "…?" Mr Blair said he would …: a new sentence, not a speech tag
                if cue is not None:
                    speaker = self.speaker_for_cue(cue, after, after=True)
            if cue is None:
                before = self.before_frame(piece, prev)
                cue = self.cue_before(before, piece)
                if cue is not None:
                    speaker = self.speaker_for_cue(cue, before, after=False)
                elif prev is not None and not self.looks_like_name(prev):
                    # a second partial quote in the clause of a cue before the first one, kept only when
                    # the cue names its speaker
                    wide = self.before_frame(piece, None)
                    cue = self.cue_governing(wide, piece)
                    if cue is not None:
                        speaker = self.speaker_for_cue(cue, wide, after=False)
                        if speaker.name is None:
                            cue, speaker = None, None
                elif not before.tokens and prev is None:
                    intro = self.colon_intro(piece)
                    if intro is not None:  # Cruz continued:¶"…"
                        cue, frame = intro
                        speaker = self.speaker_for_cue(cue, frame, after=False)
            n_words = len(_WORD_RE.findall(content))
            if cue is None:
                if n_words < 5 and not _ends_sentence(content):
                    continue  # a term, title or scare quote
                if kind == "partial" and self.looks_like_name(piece):
                    continue
                inherited = group_speaker.get(piece.group)
                if inherited is not None:
                    speaker, cue_str = inherited
                    quotes.append(self._quote(piece, kind, speaker, cue_str, keep_span=False))
                    if speaker.name is not None:
                        self.resolver.add_event(piece.start, speaker)
                    continue
                ev = self.resolver.last_turn(piece.start)
                if kind == "direct" and ev is not None and self.para_index(piece.start) - self.para_index(ev.char) <= 1:
                    # a full-sentence quote continues the latest speaker's turn (a quoted phrase
                    # without a cue does not: it is too often an epithet or somebody else's words)
                    speaker = ev.speaker
                    self.resolver.add_event(piece.start, speaker)
                elif kind == "partial" and ev is not None and self._continues_turn(piece, ev.char):
                    speaker = ev.speaker
                if speaker is None:
                    # a quote with no speaker of its own, in the scope of a document source
                    speaker = self.document_speaker(piece.start)
                quotes.append(self._quote(piece, kind, speaker, None, keep_span=False))
                group_speaker.setdefault(piece.group, (speaker or Speaker(None), None))
                continue
            if kind == "partial" and self.looks_like_name(piece) and not _ends_sentence(content):
                continue
            assert speaker is not None
            cue_str = cue_text(cue)
            keep_span = True
            if speaker.name is None and self._collective_cue(cue):
                # "both sides voiced "…"" while the article reports a document: the document's source
                from_document = self.document_speaker(piece.start, cue)
                if from_document is not None:
                    speaker, keep_span = from_document, False
            quotes.append(self._quote(piece, kind, speaker, cue_str, keep_span=keep_span))
            clause = (
                None
                if kind != "partial" or cue.i in self._reported_cues
                else quoted_clause(cue, piece.start, piece.end, self.text)
            )
            if clause is not None and clause not in clauses:
                # the reported words around the quoted ones: ``called Machado "disgusting"``
                clauses.add(clause)
                quotes.append(make_quote(self.text[clause[0] : clause[1]], "indirect", *clause, speaker, cue_str))
            if speaker.name is not None or speaker.text is not None:
                # a described speaker ("a top Trump surrogate said") ends the previous speaker's turn too
                self.resolver.add_event(piece.start, speaker)
            group_speaker[piece.group] = (speaker, cue_str)
        self._flush_reported(len(self.text) + 1, quotes)
        return quotes

    def _quote(self, piece: QuoteSpan, kind: str, speaker: Speaker | None, cue: str | None, keep_span: bool) -> Quote:
        return make_quote(self.text[piece.start : piece.end], kind, piece.start, piece.end, speaker, cue, keep_span)


def make_quote(
    text: str, kind: str, start: int, end: int, speaker: Speaker | None, cue: str | None, keep_span: bool = True
) -> Quote:
    """A Quote row: a named speaker keeps its type, role and span; a mention that names nobody is a
    ``DESCRIPTION`` with only its text."""
    speaker = speaker or Speaker(None)
    name = speaker.name
    return Quote(
        quote_text=text,
        kind=kind,
        start_char=start,
        end_char=end,
        speaker_name=name,
        speaker_type=speaker.type if name is not None else (DESCRIPTION if speaker.text else None),
        speaker_role=speaker.role if name is not None else None,
        cue=cue,
        speaker_start_char=speaker.start_char if keep_span and name else None,
        speaker_end_char=speaker.end_char if keep_span and name else None,
        speaker_text=speaker.text,
    )


def _short_tag(frame: _Frame, cue: Token) -> bool:
    """``"…?" she asked`` / ``"…!" said Mr X`` / ``"…?" Mr X asked.``: a speech tag, not a new sentence."""
    first = frame.tokens[0]
    if first.text[:1].islower() or first is cue:
        return True
    words = [t for t in frame.tokens if not t.is_punct]
    return len(words) <= 5 and words[-1] is cue


def _ends_sentence(content: str) -> bool:
    return content.rstrip(" '’\"”")[-1:] in {".", "!", "?"}


def _in_clause(tok: Token) -> bool:
    """Whether tok sits in a relative or adverbial clause (not the frame's main clause)."""
    t = tok
    for _ in range(6):
        if t.dep_ in {"relcl", "acl", "advcl"}:
            return True
        if t.head is t:
            return False
        t = t.head
    return False


def _in_object_of(cue: Token, tok: Token) -> bool:
    """Whether tok sits in what the cue says, not in an adverbial clause of its own, in the subject of
    a clause (``described the plan as "a joke" while "the public" stayed quiet``) or in a phrase
    owned by somebody named (``… would not be moved by Mr Blair's promise of an "unremittingly" …``)."""
    t = tok
    for _ in range(40):
        if t.i == cue.i:
            return True
        if t.dep_ in {"nsubj", "nsubjpass", "csubj"}:
            return False
        if t.dep_ == "advcl" or any(c.dep_ == "mark" and c.lower_ != "that" for c in t.children):
            return False
        if any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in t.children):
            return False
        if t.head is t:
            return False
        t = t.head
    return False


def _is_ancestor(anc: Token, tok: Token) -> bool:
    t = tok
    for _ in range(40):
        if t is anc or t.i == anc.i:
            return True
        if t.head is t:
            return False
        t = t.head
    return False
