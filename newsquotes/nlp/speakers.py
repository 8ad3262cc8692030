"""Cue verbs and speaker resolution from spaCy's parse and NER (no coreference model).

Rules
-----
* A cue is a reporting verb (``said``, ``told``, ``added``, ``warned``, ``insisted``, ``described ... as``,
  ``branded``, ``voiced``, ``expressed``, ...; see ``CUE_LEMMAS``) or the phrase ``according to``.
  ``voice`` and ``express`` count only in the active voice (``fears had been expressed`` and ``the disquiet
  voiced over …`` report nobody).
* The speaker is the cue verb's grammatical subject, climbing through ``xcomp``/``advcl``/``conj`` links
  (``is reported as saying``, ``smiled and said``); a participle cue (``…, insisting: "…"``) takes the subject
  of the clause it hangs on; a relative pronoun subject (``the IATA, which attacked …``) is the noun the
  clause describes; a passive cue takes its ``by`` agent (``was described as "…" by Downing Street``);
  ``according to X`` takes X. After an inverted cue (``"…," said Tory shadow secretary Caroline Spelman``)
  the first person named before any other verb is the speaker. When the parse gives no subject, the nearest
  noun phrase next to the cue is used. A description in apposition after a name (``Flynn, a top Trump
  surrogate, said``) is that name. A dash and a name alone after a quote sign it (``"…" ― Sonya Herridge``).
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
* ``he``/``she`` (a simplified Hobbs search): in the latest sentence before the pronoun that names a
  compatible person (outside quotation marks, not a mere modifier such as ``an Oscar nomination``), the
  subject of the main clause, else another subject, else the first person named; in the pronoun's own
  sentence, the nearest person before it. Gender comes from honorifics, gendered role nouns (``gender``) and
  earlier pronouns, and
  a person of the right gender beats one of unknown gender. ``it``/``they`` is an organisation subject earlier
  in the same sentence (``the government said it …``), else the organisation, place or group that spoke last
  nearby; a person is never picked for ``it``/``they``.
* No named source gives no speaker — a wrong name is worse than none: generic sources (``analysts said``,
  ``critics say``, ``one fan said``), anonymous ones (``a Tory source``, ``party sources``, ``an aide``) and
  two sources at once (``Beijing and Moscow agreed``). Such a collective of parties (``Beijing and Moscow``,
  ``both sides``, ``the two countries``, ``they``; ``is_collective``) may still be filled in by a document
  source (see ``documents``); generic sources never are.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from spacy.tokens import Doc, Token

from newsquotes.nlp.entities import HONORIFICS, EntityIndex
from newsquotes.nlp.gender import mention_gender
from newsquotes.nlp.lexicon import (
    _AGE_RE,
    _CLIMB_DEPS,
    _COLLECTIVE_DETERMINERS,
    _DASH_RE,
    _DEMONYM_ENDINGS,
    _SPOKESPERSON,
    _STUDY_NOUNS,
    _SUBJECT_DEPS,
    ACTIVE_ONLY_CUE_LEMMAS,
    ANONYMOUS_SOURCES,
    COLLECTIVE_NOUNS,
    CUE_LEMMAS,
    GROUP_LABELS,
    GROUP_PRONOUNS,
    NAMED_LABELS,
    ORG_NOUNS,
    ORG_SUFFIXES,
    PERSON_PRONOUNS,
    RANK_TITLES,
    RELATIONAL_ROLES,
    ROLE_NOUNS,
    SPEAKER_LABELS,
    SPOKES_NOUNS,
)
from newsquotes.nlp.pronouns import PronounResolution
from newsquotes.nlp.speaker_records import UNNAMED, Speaker, SpeechEvent
from newsquotes.nlp.types import Mention

__all__ = ["UNNAMED", "Speaker", "SpeakerResolver", "SpeechEvent", "cue_text", "is_collective", "is_cue"]


def is_cue(token: Token) -> bool:
    if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
        return True
    if token.pos_ not in {"VERB", "AUX"} and token.tag_ not in {"VBD", "VBZ", "VBP", "VBG", "VBN", "VB"}:
        return False
    lemma = token.lemma_.lower()
    if lemma in ACTIVE_ONLY_CUE_LEMMAS and token.tag_ == "VBN":
        deps = {c.dep_: c.lemma_ for c in token.children}
        if "auxpass" in deps or deps.get("aux") != "have":
            return False  # "fears had been expressed", "the disquiet voiced over …": nobody is speaking
    return lemma in CUE_LEMMAS


# Plural nouns naming the parties of an agreement or a meeting ("both sides", "the two countries").
def is_collective(subj: Token) -> bool:
    """Whether a cue subject names several parties at once rather than one source: ``Beijing and Moscow``,
    ``both sides``, ``the two countries``, ``the parties``, ``they``. Generic sources (``analysts``,
    ``critics``) are not collectives of parties."""
    if subj.lower_ == "they":
        return True
    if any(c.dep_ == "conj" and (c.ent_type_ in NAMED_LABELS or c.pos_ == "PROPN") for c in subj.children):
        return subj.ent_type_ in NAMED_LABELS or subj.pos_ == "PROPN"
    if subj.tag_ != "NNS" or subj.lemma_.lower() not in COLLECTIVE_NOUNS:
        return False
    mods = {c.lower_ for c in subj.children if c.dep_ in {"det", "predet", "nummod", "preconj"}}
    return bool(mods & _COLLECTIVE_DETERMINERS)


def cue_text(token: Token) -> str:
    if token.lower_ == "according":
        return "according to"
    return token.text


class SpeakerResolver(PronounResolution):
    """Resolves cue subjects to speakers in one document."""

    def __init__(self, doc: Doc, index: EntityIndex, quoted: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text is rebuilt on every access
        self.index = index
        self._quoted = sorted(quoted)
        self._quoted_starts = [s for s, _ in self._quoted]
        self.events: list[SpeechEvent] = []
        self._tok_starts = [t.idx for t in doc]
        self._gender: dict[str, str] = {}
        for m in index.mentions:
            if m.label == "PERSON" and m.canonical_name not in self._gender:
                span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
                g = mention_gender(span) if span is not None else None
                if g is not None:
                    self._gender[m.canonical_name] = g
        self._roles = self._role_map()
        self._role_subjects = self._definite_role_subjects()

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

    # ------------------------------------------------------------------ helpers
    def inside_quote(self, char: int) -> bool:
        i = bisect.bisect_right(self._quoted_starts, char) - 1
        return i >= 0 and self._quoted[i][0] <= char < self._quoted[i][1]

    def quoted_chars(self, start: int, end: int) -> int:
        """How many characters of [start, end) are inside quotation spans."""
        i = max(0, bisect.bisect_right(self._quoted_starts, start) - 1)
        total = 0
        while i < len(self._quoted) and self._quoted[i][0] < end:
            a, b = self._quoted[i]
            total += max(0, min(b, end) - max(a, start))
            i += 1
        return total

    def add_event(self, char: int, speaker: Speaker) -> None:
        bisect.insort(self.events, SpeechEvent(char, speaker), key=lambda e: e.char)

    def last_turn(self, char: int) -> SpeechEvent | None:
        """The latest speech before char, also by a speaker that is only described ("analysts said")."""
        i = bisect.bisect_left(self.events, char, key=lambda e: e.char)
        return self.events[i - 1] if i else None

    def last_event(self, char: int) -> SpeechEvent | None:
        i = bisect.bisect_left(self.events, char, key=lambda e: e.char)
        for ev in reversed(self.events[:i]):
            if ev.speaker.name is not None:
                return ev
        return None

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

    # ------------------------------------------------------------------ subjects
    def subject_of(self, cue: Token) -> Token | None:
        """The token naming who performs the cue."""
        if cue.lower_ == "according":
            for to in cue.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return obj
            return None
        for child in cue.children:
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
        if any(c.dep_ in {"auxpass", "nsubjpass"} for c in cue.children):
            # "was described as "…" by Downing Street" (the parse may hang "by" elsewhere); the passive
            # subject is what was described, never the speaker …
            passive_subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
            if passive_subject is not None and any(
                t.tag_ == "VBG" and t.lemma_ in {"say", "tell", "add"} for t in cue.subtree if t.i > cue.i
            ):
                return passive_subject  # … except "X is reported as saying", "X was quoted as telling"
            for tok in cue.sent:
                if tok.i > cue.i and tok.lower_ == "by" and tok.dep_ in {"agent", "prep"}:
                    obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
                    if obj is not None and obj.pos_ in {"PROPN", "NOUN", "PRON"}:
                        return obj
            return None
        t = cue
        if cue.tag_ == "VBG" and cue.dep_ in {"advcl", "ccomp", "xcomp", "conj"} and cue.head.pos_ in {"VERB", "AUX"}:
            t = cue.head  # "Mr Brown dismissed the figures, insisting …": the main clause's subject speaks
        for _ in range(4):
            subjects = [c for c in t.children if c.dep_ in _SUBJECT_DEPS]
            if subjects:
                if subjects[0].tag_ in {"WDT", "WP"} and t.dep_ == "relcl":
                    return t.head  # "the IATA, which has attacked …": the noun the clause describes
                before = [c for c in subjects if c.i < t.i]
                # two subjects are an apposition the parser split ("The chairman, Guy Mansfield warned"):
                # the one next to the verb names the speaker
                return before[-1] if before else subjects[0]
            if t.dep_ in _CLIMB_DEPS and t.head is not t:
                t = t.head
                continue
            break
        return None

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
            if tok.pos_ in {"PROPN", "NOUN", "PRON"}:
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

    def resolve(self, head: Token, frame: tuple[int, int]) -> Speaker:
        """The speaker named by the subject phrase headed by head."""
        low = head.lower_
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS or low in GROUP_PRONOUNS:
            return self.resolve_pronoun(head)
        if any(c.dep_ == "conj" and (c.ent_type_ in NAMED_LABELS or c.pos_ == "PROPN") for c in head.children):
            return UNNAMED  # "Beijing and Moscow agreed …": two sources, no single speaker
        if head.dep_ == "appos" and head.head.i < head.i and _is_name(head.head) and not _is_name(head):
            # "Flynn, a top Trump surrogate, said": the description is in apposition to the name
            named = self.resolve(head.head, (min(frame[0], head.head.idx), frame[1]))
            if named.name is not None:
                return replace(
                    named, role=named.role or _clean_role(self.text[head.left_edge.idx : head.idx + len(head)])
                )
        phrase = self._phrase(head, frame)
        mentions = [
            m for m in self.index.at(*phrase) if m.label in NAMED_LABELS and not self.inside_quote(m.start_char)
        ]
        own = next((m for m in mentions if m.start_char <= head.idx < m.end_char), None)
        lemma = head.lemma_.lower()
        definite = any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
        persons = [m for m in mentions if m.label == "PERSON" and not self._modifies(m, head)]
        demonym = (own is not None and own.label == "NORP") or (own is None and head.lower_.endswith(_DEMONYM_ENDINGS))
        if definite and demonym and head.tag_ in {"NNP", "NN"}:
            # "said the New Zealander": a person described by nationality
            person = self._antecedent_person(head, None)
            if person.name is not None:
                return person
        if own is not None and (own.label == "PERSON" or own.label == "ORG" or not persons):
            return self._speaker_from_mention(own, phrase)
        if definite and lemma in RELATIONAL_ROLES and not persons:
            # "the WHL commissioner" after "WHL commissioner Ron Robison": only the person introduced so
            by_role = self._role_person(head)
            if by_role is not None:
                return Speaker(by_role, "PERSON", None, head.idx, head.idx + len(head.text))
        if (
            definite
            and (lemma in ROLE_NOUNS or low in ROLE_NOUNS or _AGE_RE.match(low))
            and (lemma not in RELATIONAL_ROLES)
        ):
            # "said the Old Trafford boss", "the Foreign Secretary told", "the 31-year-old added":
            # the person named in apposition, else the person the story is about
            if persons:
                return self._speaker_from_mention(persons[0], phrase)
            for appos in (c for c in head.rights if c.dep_ == "appos" and c.pos_ == "PROPN"):
                named = self._unlabelled_name(appos)
                if named is not None and named.type == "PERSON":
                    return named
            by_role = self._role_person(head)
            if by_role is not None:
                return Speaker(by_role, "PERSON", None, head.idx, head.idx + len(head.text))
            person = self._antecedent_person(head, None)
            if person.name is not None:
                return person
        if (head.is_title or head.pos_ == "PROPN" or _mixed_case(head.text)) and low not in ROLE_NOUNS:
            named = self._unlabelled_name(head)
            if named is not None:
                return named
        if persons and head.pos_ in {"NOUN", "PROPN"}:
            # "EEF chief economist, Steve Radley" / "Foreign Ministry spokesman Geng Shuang"
            return self._speaker_from_mention(min(persons, key=lambda m: abs(m.start_char - head.idx)), phrase)
        groups = [m for m in mentions if m.label in GROUP_LABELS]
        determiners = {c.lower_ for c in head.children if c.dep_ in {"det", "poss"}}
        if lemma in ANONYMOUS_SOURCES:
            return UNNAMED  # "party sources", "a Tory source", "an insider"
        if low == "officials" and not groups and not determiners and not list(head.lefts):
            # "The ministry published a warning. Officials wrote …": officials of the organisation
            # that was the subject of the sentence before
            org = self._previous_sentence_org(head)
            if org is not None:
                return org
        if lemma in SPOKES_NOUNS or low in SPOKES_NOUNS:
            if lemma in _STUDY_NOUNS:
                # "the Nationwide survey", not "the study by US researchers" or "said the survey, … DVR"
                groups = [m for m in groups if m.end_char <= head.idx]
            if groups:
                return replace(self._speaker_from_mention(groups[0], None), role=head.text)
            owner = [c for c in head.lefts if c.dep_ in {"compound", "poss", "nmod"} and c.pos_ == "PROPN"]
            if owner and owner[-1].lower_ in ROLE_NOUNS:
                # "the President's statements": the office holder the story is about
                return self._antecedent_person(owner[-1], None)
            if owner:  # "a Jive spokeswoman"
                named = self._unlabelled_name(owner[-1])
                if named is not None:
                    return replace(named, type="ORG", role=head.text)
            issued = lemma in {"statement", "release"}
            if determiners & {"a", "an", "the", "its"} and (issued or lemma in _SPOKESPERSON):
                # "a spokesman said", "the statement added": the organisation that spoke last
                ev = self.last_event(head.idx)
                if ev is not None and ev.speaker.type in GROUP_LABELS and head.idx - ev.char < 2500:
                    return Speaker(ev.speaker.name, ev.speaker.type, None if issued else head.text)
            return UNNAMED
        if lemma in ORG_NOUNS and head.pos_ in {"NOUN", "PROPN"}:
            org = self._org_phrase(head)
            if org is not None:
                return org
            if determiners & {"the", "its", "their"}:
                org = self._definite_org(head)
                if org is not None:
                    return org
        return UNNAMED

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
        return max(left, frame[0]), min(right, frame[1])

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

    # ------------------------------------------------------------------ pronouns
    def _token_index(self, char: int) -> int:
        i = bisect.bisect_right(self._tok_starts, char) - 1
        return max(0, min(i, len(self.doc) - 1))


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
