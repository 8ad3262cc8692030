"""Attributing quoted pieces to speakers: the cue's speaker, turns, document sources (frames and cues: ``frames``).

Rules
-----
* A quote with a cue (see ``frames``) takes the speaker the cue's subject names (``speakers``).
  - No cue: a piece that continues a quote (``group``) keeps its speaker; otherwise a full-sentence quote
    takes the latest speaker of the same or the previous paragraph (a quote continuing that speaker's turn,
    or opening a paragraph after the speaker was introduced by reported speech). A lower-case partial
    quote of five or more words takes the latest speaker when that speaker spoke in the same paragraph at most two
    sentences before and the quote's sentence names nobody else (``"…," said X. The trade gap "are big
    issues going forward".``).
  - A direct quote after a colon that closes a clause without a cue (``Obama is rolling out a new message:
    "…"``, ``Sanders made the following comment:¶"…"``): the subject of that clause's main verb (``frames.
    colon_subject``); a subject that names nobody (``The report had one line:``) is a description.
  - Document sources (see ``documents``): a quote or reported speech left without a name because its cue
    subject is a collective of parties (``both sides voiced "…"``), or a quote with no cue and no speaker,
    takes the organisation whose statement or news release the article is reporting.
* Reported speech (``indirect``) is emitted in text order among the quotes, so its speakers open turns too.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from newsquotes.nlp.cues import cue_text, is_collective
from newsquotes.nlp.documents import SCOPE_PARAGRAPHS, DocumentSource, find_document_sources
from newsquotes.nlp.frames import _WORD_RE, QuoteFrames, _ends_sentence, _Frame, _short_tag
from newsquotes.nlp.indirect import ReportedSpeech, find_reported_speech, quoted_clause, resolve_reported
from newsquotes.nlp.lexicon import WEAK_CUE_LEMMAS
from newsquotes.nlp.mentions import mention_text
from newsquotes.nlp.quotes import QuoteSpan
from newsquotes.nlp.speakers import Speaker, SpeakerResolver
from newsquotes.nlp.types import DESCRIPTION, Quote


class QuoteAttributor(QuoteFrames):
    """Attributes the quoted pieces of one document."""

    def __init__(self, doc: Doc, resolver: SpeakerResolver, spans: list[QuoteSpan]) -> None:
        super().__init__(doc, resolver, spans)
        self._reported: list[ReportedSpeech] = []
        self._reported_cues: set[int] = set()
        self._sources: list[DocumentSource] = []

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
            elif after.tokens and content.rstrip()[-1:] == ".":
                cue = self.cue_after(after)
                if cue is not None and _closing_tag(after, cue):  # "…." Trump said. / "…." Clinton said to People.
                    speaker = self.speaker_for_cue(cue, after, after=True)
                else:
                    cue = None
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
            speech_like = n_words >= 5 or _ends_sentence(content)
            if cue is None and kind == "direct" and speech_like and not self.looks_like_name(piece):
                colon = self.colon_subject(piece, before)
                if colon is not None:  # Obama is rolling out a new message: "…"
                    subj, frame = colon
                    # a subject naming nobody ("The report had one line:") is a description and ends the turn
                    named = self.resolver.resolve(subj, (frame.start, frame.end))
                    text = mention_text(subj, (frame.start, frame.end), self.resolver.inside_quote)
                    speaker = replace(named, text=text)
                    quotes.append(self._quote(piece, kind, speaker, None, keep_span=True))
                    self.resolver.add_event(piece.start, speaker)
                    group_speaker[piece.group] = (speaker, None)
                    continue
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


def _closing_tag(frame: _Frame, cue: Token) -> bool:
    """``"…." Trump said.`` / ``"…." Clinton said to People.``: a speech tag after a full stop inside the marks
    (a sloppy comma): within the first five words, reporting nothing of its own (no clause or object after it)."""
    words = [t for t in frame.tokens if not t.is_punct]
    if cue not in words[:5] or cue.lemma_.lower() in WEAK_CUE_LEMMAS or cue.lower_ == "according":
        return False  # "…." According to analysts, …: a new sentence with a source of its own
    return not any(c.dep_ in {"ccomp", "dobj", "xcomp"} and c.i > cue.i for c in cue.children)
