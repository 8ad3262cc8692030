"""Names, organisations and roles in a cue subject's phrase (mixed into ``speakers.SpeakerResolver``).

Rules
-----
* The subject phrase names its speaker through the entity it contains: a person (``Chinese Foreign Minister
  Wang Yi`` → ``Wang Yi``; the rest of the phrase is the role), an organisation, place or group. A person who
  only modifies the head (``a Jackson lawyer``, ``Blair's spokesman``) is not the speaker. Proper nouns the
  NER missed count as names (``Mr Wang``, ``Lt Col Eric Schnaible``, ``4Cast``): a person when they carry an
  honorific, match a person of the article or have two or more capitalised words, else an organisation.
* Organisations: a spokesperson of a named organisation (``a spokesman for Microsoft``, ``a Jive
  spokeswoman``, ``the Nationwide survey``) is that organisation; a bare ``a spokesman`` / ``the
  statement`` is the organisation that spoke last. An organisation described by its country or owner is
  named as written (``Beijing's foreign ministry``, ``the Russian ministry`` → ``Russian ministry``); a
  definite organisation noun (``the ministry``, ``the company``) is the latest organisation mention with that
  word. Unnamed ``officials`` right after a
  sentence whose subject is an organisation are that organisation's officials. Places (``Downing Street``)
  speak as organisations.
* Persons by role: ``the Tory leader`` is the person introduced as ``Tory leader Michael Howard`` (or
  ``Michael Howard, the Tory leader``); other definite roles (``the Old Trafford boss``, ``the 31-year-old``,
  ``the New Zealander``) are the person named in apposition, else the person the story is about; relational
  roles (``the judge``, ``the WHL commissioner``, ``RELATIONAL_ROLES``) only the person introduced with them.
* Names take the fullest form in the article (``Mr Lavrov`` → ``Sergey Lavrov``), see ``entities``.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from newsquotes.nlp.entities import HONORIFICS
from newsquotes.nlp.lexicon import (
    _DASH_RE,
    _SUBJECT_DEPS,
    GROUP_LABELS,
    NAMED_LABELS,
    ORG_NOUNS,
    ORG_SUFFIXES,
    RANK_TITLES,
    ROLE_NOUNS,
    SPEAKER_LABELS,
    is_time_word,
)
from newsquotes.nlp.speaker_records import Speaker
from newsquotes.nlp.types import Mention


class NameResolution:
    """Role map, names the NER missed, organisations by description, signatures; reads the resolver's state."""

    # ------------------------------------------------------------------ roles
    def _role_map(self) -> dict[str, list[tuple[int, str]]]:
        """Role phrases attached to named persons ("Tory leader Michael Howard", "Howard, the Tory leader")
        -> where and to whom they were attached."""
        found: dict[str, list[tuple[int, str]]] = {}
        for m in self.index.mentions:
            if m.label != "PERSON":
                continue
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            role_heads = [c for c in root.children if c.dep_ == "appos" and c.lemma_.lower() in ROLE_NOUNS]
            compounds = [c for c in root.lefts if c.i < span.start and c.dep_ in {"compound", "amod", "nmod"}]
            role_heads += [c for c in compounds if c.lemma_.lower() in ROLE_NOUNS]
            for head in role_heads:
                for key in _role_keys(head):
                    found.setdefault(key, []).append((m.start_char, m.canonical_name))
        return found

    def _role_person(self, head: Token) -> str | None:
        """The person introduced earlier with this role: "the Tory leader" needs "Tory leader X" before it;
        a role given to two different persons is ambiguous."""
        names = {name for at, name in self._roles.get(_role_keys(head)[0], []) if at < head.idx}
        return next(iter(names)) if len(names) == 1 else None

    def _definite_role_subjects(self) -> list[tuple[int, str]]:
        """'The Tory leader countered …': subjects that name a known person by role (for pronouns)."""
        out = []
        for tok in self.doc:
            if (
                tok.dep_ in _SUBJECT_DEPS
                and tok.lemma_.lower() in ROLE_NOUNS
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
            ):
                name = self._role_person(tok)
                if name is not None:
                    out.append((tok.idx, name))
        return out

    def _speaker_from_mention(self, m: Mention, phrase: tuple[int, int] | None) -> Speaker:
        text = self.text
        if m.label == "ORG" and any(w.lower() in ORG_NOUNS for w in m.canonical_name.split()[-1:]):
            # "Russia's Foreign Ministry": an institution named by its country keeps the country
            span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None and span.start >= 2 and span.doc[span.start - 1].tag_ == "POS":
                owner = span.doc[span.start - 2]
                if owner.ent_type_ in {"GPE", "NORP"}:
                    start = owner.idx
                    if owner.ent_iob_ == "I":
                        start = next(e.start_char for e in span.doc.ents if e.start <= owner.i < e.end)
                    return Speaker(
                        f"{text[start : owner.idx + len(owner.text)]}’s {m.canonical_name}",
                        "ORG",
                        None,
                        start,
                        m.end_char,
                    )
        role = None
        if phrase is not None:
            before = text[phrase[0] : m.start_char].strip(" ,")
            after = text[m.end_char : phrase[1]].strip(" ,")
            role = _clean_role(before) or _clean_role(after)
        kind = m.label if m.label in SPEAKER_LABELS else "ORG"
        return Speaker(m.canonical_name, kind, role, m.start_char, m.end_char)

    def person_after_cue(self, cue: Token, end: int) -> Speaker | None:
        """``"…," said Tory shadow secretary Caroline Spelman``: the first person named right after an
        inverted cue (before any other verb, not inside a prepositional phrase)."""
        doc = self.doc
        for i in range(cue.i + 1, min(len(doc), cue.i + 14)):
            tok = doc[i]
            if tok.idx >= end or tok.text in {".", ";"} or tok.lower_ in {"and", "but", "who", "which", "that"}:
                return None
            if tok.tag_ in {"VBD", "VBZ", "MD"}:
                return None
            if tok.ent_type_ == "PERSON" or (tok.ent_type_ == "" and tok.pos_ == "PROPN"):
                found = [
                    m for m in self.index.at(tok.idx, tok.idx + 1) if m.label == "PERSON" and not self._is_modifier(m)
                ]
                if found and doc[i - 1].lower_ not in {"of", "for", "at", "with", "to", "from", "by"}:
                    m = found[0]
                    before = _clean_role(self.text[cue.idx + len(cue.text) : m.start_char])
                    after = _clean_role(self.text[m.end_char : end])
                    return Speaker(m.canonical_name, "PERSON", before or after, m.start_char, m.end_char)
        return None

    def dash_signature(self, after: int, tokens: list[Token]) -> Speaker | None:
        """``"…" ― Sonya Herridge``: a dash right after a quote's closing mark (at ``after``), then a name
        alone up to the end of the paragraph or a comma (``— John Smith, 45, of Ohio``) names the speaker."""
        dash = _DASH_RE.match(self.text, after)
        if dash is None:
            return None
        name = []
        for tok in tokens:
            if tok.idx < dash.end() or tok.is_space:
                continue
            if tok.text == ",":
                break
            name.append(tok)
        if not name or len(name) > 6 or not all(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in name):
            return None
        start, end = name[0].idx, name[-1].idx + len(name[-1])
        text = self.text[start:end]
        mentions = [m for m in self.index.at(start, end) if m.label in {"PERSON", "ORG"}]
        if len(mentions) == 1 and mentions[0].start_char == start and mentions[0].end_char == end:
            return replace(self._speaker_from_mention(mentions[0], None), text=text)
        if len(name) >= 2 or any(m.label == "PERSON" for m in mentions):
            return Speaker(self.index.canonical("PERSON", text, start), "PERSON", None, start, end, text)
        return None

    def nearest_phrase_head(self, cue: Token, start: int, end: int, after: bool) -> Token | None:
        """Fallback when the parse has no subject: the noun right after (or before) the cue in the frame."""
        doc = self.doc
        rng = range(cue.i + 1, len(doc)) if after else range(cue.i - 1, -1, -1)
        for i in rng:
            tok = doc[i]
            if not start <= tok.idx < end or (tok.is_punct and tok.text in {".", "!", "?", ":"}):
                return None
            if tok.pos_ in {"PROPN", "NOUN", "PRON"} and not is_time_word(tok):
                # climb to the head of the noun phrase
                while (
                    tok.head is not tok
                    and tok.dep_ in {"compound", "amod", "poss"}
                    and tok.head.pos_
                    in {
                        "PROPN",
                        "NOUN",
                    }
                ):
                    tok = tok.head
                return tok
        return None

    def _previous_sentence_org(self, head: Token) -> Speaker | None:
        start = head.sent.start
        if start == 0 or "\n" in self.doc[start - 1].text:
            return None
        prev = self.doc[start - 1].sent
        root = prev.root
        for subj in (c for c in root.children if c.dep_ in _SUBJECT_DEPS):
            own = [m for m in self.index.at(subj.idx, subj.idx + 1) if m.label == "ORG"]
            if own:
                return self._speaker_from_mention(own[0], None)
        return None

    def _org_phrase(self, head: Token) -> Speaker | None:
        """An organisation described by its country or owner: "Beijing's foreign ministry", "the Russian
        ministry" -> the phrase as written (without "the")."""
        mods = [c for c in head.lefts if c.dep_ in {"amod", "compound", "poss", "nmod"}]
        owners = [c for c in mods if c.ent_type_ in {"GPE", "NORP", "ORG"} or (c.pos_ == "PROPN" and c.is_title)]
        if not owners:
            return None
        start_tok = min(mods, key=lambda c: c.i).left_edge
        while start_tok.i < head.i and start_tok.lower_ in {"the", "a", "an"}:
            start_tok = self.doc[start_tok.i + 1]
        start, end = start_tok.idx, head.idx + len(head.text)
        return Speaker(self.text[start:end], "ORG", None, start, end)

    def _phrase(self, head: Token, frame: tuple[int, int]) -> tuple[int, int]:
        """Character span of the subject phrase (compounds, appositions; not relative clauses)."""
        left = head.left_edge.idx
        right_tok = head
        for child in head.rights:
            if child.dep_ in {"relcl", "acl"}:
                break
            right_tok = child.right_edge
        right = right_tok.idx + len(right_tok.text)
        para = self.text.rfind("\n", 0, head.idx) + 1  # never across a paragraph break the parse ran over
        return max(left, frame[0], para), min(right, frame[1])

    def _is_modifier(self, m: Mention) -> bool:
        """Whether mention m modifies a noun ("Yukos chief executive ...", "an Oscar nomination")."""
        span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        return root.dep_ in {"poss", "compound", "nmod", "amod"} and root.head.pos_ in {"NOUN", "PROPN"}

    def _modifies(self, m: Mention, head: Token) -> bool:
        """Whether person m only modifies head ("a Jackson lawyer", "Blair's spokesman")."""
        span = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        return root.dep_ in {"poss", "compound", "nmod"} and root.head.i == head.i

    def _unlabelled_name(self, head: Token) -> Speaker | None:
        """A proper-noun subject the NER missed ("Mr Wang", "Lt Col Eric Schnaible", "Pires")."""
        toks = [c for c in head.lefts if c.dep_ == "compound" and (c.pos_ == "PROPN" or c.is_title)]
        toks = [t for t in toks if t.i >= head.i - 6] + [head]
        start = toks[0].idx
        end = head.idx + len(head.text)
        text = self.text[start:end]
        words = text.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in RANK_TITLES:
            words.pop(0)
        text = " ".join(words)
        if all(w.lower() in HONORIFICS or w.lower().rstrip(".") in RANK_TITLES for w in words):
            return None  # "Lord" alone ("Lord of the Rings director Peter Jackson")
        if not words or not all(w[:1].isupper() or (w[:1].isdigit() and w[-1:].isalpha()) for w in words):
            return None
        honorific = words[0].lower() in HONORIFICS or (toks[0].i > 0 and self.doc[toks[0].i - 1].lower_ in HONORIFICS)
        if honorific or self.index.persons.is_known(text):
            return Speaker(self.index.canonical("PERSON", text, start), "PERSON", None, start, end)
        if head.pos_ != "PROPN" and not _mixed_case(head.text):
            return None
        if len(words) >= 2 and not any(w.lower() in ORG_NOUNS or w.lower() in ORG_SUFFIXES for w in words):
            return Speaker(self.index.canonical("PERSON", text, start), "PERSON", None, start, end)
        if head.is_sent_start and len(words) == 1:
            return None
        return Speaker(self.index.canonical("ORG", text, start), "ORG", None, start, end)

    def _definite_org(self, head: Token) -> Speaker | None:
        """'the ministry' -> the latest ORG mention containing 'ministry'."""
        word = head.lower_
        for m in self.index.before(head.idx, GROUP_LABELS):
            if self.inside_quote(m.start_char):
                continue
            if word in m.canonical_name.lower().split():
                return Speaker(m.canonical_name, m.label, None, head.idx, head.idx + len(head))
        return None


def _is_name(tok: Token) -> bool:
    return tok.ent_type_ in NAMED_LABELS or tok.pos_ == "PROPN"


def _mixed_case(word: str) -> bool:
    """'4Cast', 'eBay', 'iPod': a name even when the tagger calls it a common noun."""
    camel = any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
    return camel or (word[:1].isdigit() and any(c.isupper() for c in word))


def _role_keys(head: Token) -> list[str]:
    """'Tory leader' and 'leader' for the role noun head of "the Tory leader"."""
    mods = [c.lower_ for c in head.lefts if c.dep_ in {"compound", "amod", "nmod"} and c.is_alpha]
    lemma = head.lemma_.lower()
    keys = [" ".join([*mods, lemma])] if mods else []
    return [*keys, lemma]


_ROLE_STRIP = frozenset({"the", "a", "an", "and", "by", "from", "of", "for"})


def _clean_role(text: str) -> str | None:
    words = text.replace("\n", " ").strip(" ,;:-–—()").split()
    while words and words[0].lower() in _ROLE_STRIP:
        words.pop(0)
    while words and words[-1].lower() in _ROLE_STRIP:
        words.pop()
    if not words or len(words) > 12:
        return None
    if words[0].lower() in HONORIFICS and len(words) == 1:
        return None
    role = " ".join(words).strip(" ,")
    return role or None
