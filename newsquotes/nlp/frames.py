"""Where a quoted piece's cue is: the text around it, the cue verbs in that text, and whether it is speech.

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
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsquotes.nlp.cues import is_cue
from newsquotes.nlp.lexicon import NAMING_CUE_LEMMAS, WEAK_CUE_LEMMAS
from newsquotes.nlp.quotes import QuoteSpan
from newsquotes.nlp.speakers import SpeakerResolver

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


class QuoteFrames:
    """Frames, cues and kinds of the quoted pieces of one document (``attribution.QuoteAttributor`` builds on it)."""

    def __init__(self, doc: Doc, resolver: SpeakerResolver, spans: list[QuoteSpan]) -> None:
        self.doc = doc
        self.text = doc.text
        self.resolver = resolver
        self.spans = spans
        self._tok_starts = [t.idx for t in doc]
        self._paras = [m.span() for m in _PARAGRAPH_RE.finditer(self.text)]
        self._para_starts = [s for s, _ in self._paras]

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
            # a weak cue counts when it introduces the quote: a few words before it, or the quote is its own
            # complement (``called half of Trump's supporters "deplorables"``)
            own = any(q.head.i == tok.i and q.dep_ in {"oprd", "dobj", "xcomp", "attr"} for q in quote_toks)
            if tok.lemma_.lower() in WEAK_CUE_LEMMAS and not (direct_intro and (len(between) <= 4 or own)):
                continue
            if direct_intro or governs or tok.lower_ == "according":
                return tok
        return None

    def colon_intro(self, piece: QuoteSpan) -> tuple[Token, _Frame] | None:
        """``Caddell continued:`` ending the paragraph before a paragraph that opens with the quote: the cue of
        that paragraph's last sentence, outside quotation marks."""
        frame = self.intro_sentence(piece)
        if frame is None:
            return None
        cue = next((t for t in reversed(frame.tokens) if is_cue(t) and not self.resolver.inside_quote(t.idx)), None)
        if cue is None or cue.lemma_.lower() in NAMING_CUE_LEMMAS:
            return None
        return cue, frame

    def intro_sentence(self, piece: QuoteSpan) -> _Frame | None:
        """The last sentence of the paragraph before a paragraph that opens with the quote, when it ends in a
        colon."""
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
        return _Frame(toks[0].idx, p_end, toks)

    def colon_subject(self, piece: QuoteSpan, before: _Frame) -> tuple[Token, _Frame] | None:
        """``Obama is rolling out a new message: "…"`` / ``Sanders made the following comment:¶"…"``: a quote
        after a colon that closes a clause with no cue; the subject of that clause's main verb, outside quotation
        marks (the caller keeps it only when it names somebody)."""
        frame = before if before.tokens else self.intro_sentence(piece)
        if frame is None or not frame.tokens or frame.tokens[-1].text != ":":
            return None
        inside = {t.i for t in frame.tokens}
        roots = [t for t in frame.tokens if t.pos_ in {"VERB", "AUX"} and (t.head.i not in inside or t.head.i == t.i)]
        if len(roots) != 1 or (roots[0].tag_ in {"VBG", "VBN"} and roots[0].dep_ != "ROOT"):
            return None
        subj = next((c for c in roots[0].children if c.dep_ == "nsubj" and c.i in inside), None)
        if subj is None or self.resolver.inside_quote(subj.idx):
            return None
        return subj, frame

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
