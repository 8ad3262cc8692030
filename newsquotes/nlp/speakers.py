"""Speaker resolution from spaCy's parse and NER (no coreference model): from a cue to its subject to a speaker.

Rules
-----
* The speaker is the cue verb's grammatical subject, climbing through ``xcomp``/``advcl``/``conj`` links
  (``is reported as saying``, ``smiled and said``); a participle cue (``…, insisting: "…"``) takes the subject
  of the clause it hangs on; a relative pronoun subject (``the IATA, which attacked …``) is the noun the
  clause describes; a passive cue takes its ``by`` agent (``was described as "…" by Downing Street``);
  ``according to X`` takes X. After an inverted cue (``"…," said Tory shadow secretary Caroline Spelman``)
  the first person named before any other verb is the speaker. When the parse gives no subject, the nearest
  noun phrase next to the cue is used. A description in apposition after a name (``Flynn, a top Trump
  surrogate, said``) is that name. A dash and a name alone after a quote sign it (``"…" ― Sonya Herridge``).
* The subject phrase names the speaker through its entity, organisation or role (``speaker_names``); a
  pronoun through an antecedent (``pronouns``); cue verbs are listed in ``cues``.
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

from newsquotes.nlp.cues import cue_text, is_collective, is_cue
from newsquotes.nlp.entities import EntityIndex
from newsquotes.nlp.gender import first_name_gender, mention_gender
from newsquotes.nlp.lexicon import (
    _AGE_RE,
    _CLIMB_DEPS,
    _DEMONYM_ENDINGS,
    _SPOKESPERSON,
    _STUDY_NOUNS,
    _SUBJECT_DEPS,
    ANONYMOUS_SOURCES,
    GROUP_LABELS,
    GROUP_PRONOUNS,
    NAMED_LABELS,
    ORG_NOUNS,
    PERSON_PRONOUNS,
    RELATIONAL_ROLES,
    ROLE_NOUNS,
    SPOKES_NOUNS,
    is_time_word,
)
from newsquotes.nlp.pronouns import PronounResolution
from newsquotes.nlp.speaker_names import NameResolution, _clean_role, _is_name, _mixed_case
from newsquotes.nlp.speaker_records import UNNAMED, Speaker, SpeechEvent

__all__ = ["UNNAMED", "Speaker", "SpeakerResolver", "SpeechEvent", "cue_text", "is_collective", "is_cue"]


class SpeakerResolver(NameResolution, PronounResolution):
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
        for m in index.mentions:  # context (honorific, role noun) first, then the first name
            if m.label == "PERSON" and m.canonical_name not in self._gender:
                g = first_name_gender(m.canonical_name)
                if g is not None:
                    self._gender[m.canonical_name] = g
        self._roles = self._role_map()
        self._role_subjects = self._definite_role_subjects()

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
        participle = cue.tag_ == "VBG" and cue.dep_ in {"advcl", "ccomp", "xcomp", "conj"}
        if participle and cue.head.pos_ in {"VERB", "AUX"}:
            t = cue.head  # "Mr Brown dismissed the figures, insisting …": the main clause's subject speaks
        elif cue.tag_ == "VBG" and cue.dep_ == "acl" and cue.i > 0 and cue.doc[cue.i - 1].text == ",":
            # "Carson rejected the notion that …, saying …": the parse hangs the participle on a noun; the verb
            # that noun depends on has the speaker
            head = cue.head
            for _ in range(3):
                if head.pos_ in {"VERB", "AUX"} or head.dep_ == "ROOT":
                    break
                head = head.head
            if head.pos_ in {"VERB", "AUX"}:
                t, participle = head, True
        for _ in range(4):
            subjects = [c for c in t.children if c.dep_ in _SUBJECT_DEPS and not is_time_word(c)]
            if subjects:
                if subjects[0].tag_ in {"WDT", "WP"} and t.dep_ == "relcl":
                    return t.head  # "the IATA, which has attacked …": the noun the clause describes
                before = [c for c in subjects if c.i < t.i]
                # two subjects are an apposition the parser split ("The chairman, Guy Mansfield warned"):
                # the one next to the verb names the speaker
                chosen = before[-1] if before else subjects[0]
                if participle and t.i != cue.i and _inanimate(chosen):
                    # "Carson rejected the notion that the episode should be water under the bridge, saying …"
                    return _named_ancestor_subject(t) or chosen
                return chosen
            if t.dep_ in _CLIMB_DEPS and t.head is not t:
                t = t.head
                continue
            break
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

    # ------------------------------------------------------------------ pronouns
    def _token_index(self, char: int) -> int:
        i = bisect.bisect_right(self._tok_starts, char) - 1
        return max(0, min(i, len(self.doc) - 1))


_PEOPLE_WORDS = ORG_NOUNS | ROLE_NOUNS | SPOKES_NOUNS | ANONYMOUS_SOURCES


def _inanimate(tok: Token) -> bool:
    """A common noun subject that names no one: no entity, no name in it, not an organisation, role or source."""
    return (
        tok.pos_ == "NOUN"
        and tok.ent_type_ == ""
        and tok.lemma_.lower() not in _PEOPLE_WORDS
        and not any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)
    )


def _named_ancestor_subject(t: Token) -> Token | None:
    """The subject of a clause above t that names somebody: a name or a personal pronoun."""
    for _ in range(4):
        if t.dep_ not in {"ccomp", "advcl", "relcl", "conj", "xcomp", "acl", "pcomp", "pobj", "prep"}:
            return None
        t = t.head
        for c in t.children:
            if c.dep_ == "nsubj" and (c.ent_type_ in {"PERSON", "ORG"} or c.lower_ in PERSON_PRONOUNS):
                return c
    return None
