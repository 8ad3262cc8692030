"""Pronouns: ``he``/``she`` to a person and ``it``/``they`` to an organisation.

Rules
-----
* ``he``/``she`` (a simplified Hobbs search): in the latest sentence before the pronoun that names a
  compatible person (outside quotation marks, not a mere modifier such as ``an Oscar nomination``), the
  subject of the main clause, else another subject, else the first person named; in the pronoun's own
  sentence, the nearest person before it. An earlier subject pronoun of the same gender is a candidate too,
  standing for its own antecedent (``She thanked the woman she played, Katharine Hepburn. "…," she said.``
  keeps the first woman). Gender comes from honorifics, gendered role nouns and first names (``gender``) and
  earlier pronouns, and a person of the right gender beats one of unknown gender.
* ``it``/``they`` is an organisation subject earlier in the same sentence (``the government said it …``), else
  the organisation, place or group that spoke last nearby; a person is never picked for ``it``/``they``.

The methods are mixed into ``speakers.SpeakerResolver``, whose state (entity index, speech events, genders,
quotation spans) they read.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsquotes.nlp.gender import is_common_first_name
from newsquotes.nlp.lexicon import _SUBJECT_DEPS, GROUP_LABELS, GROUP_PRONOUNS, ORG_NOUNS, PERSON_PRONOUNS
from newsquotes.nlp.speaker_records import UNNAMED, Speaker


class PronounResolution:
    """``resolve_pronoun`` and the antecedent search behind it."""

    def resolve_pronoun(self, pron: Token) -> Speaker:
        low = pron.lower_
        if low in PERSON_PRONOUNS:
            return self._antecedent_person(pron, PERSON_PRONOUNS[low])
        if low in GROUP_PRONOUNS:
            # "the government said it will …": a subject earlier in the same sentence comes first
            for tok in pron.sent:
                if tok.i >= pron.i:
                    break
                if (
                    tok.dep_ in _SUBJECT_DEPS
                    and tok.pos_ in {"NOUN", "PROPN"}
                    and not self.inside_quote(tok.idx)
                    and (tok.lemma_.lower() in ORG_NOUNS or tok.ent_type_ in GROUP_LABELS)
                ):
                    found = self.resolve(tok, (pron.sent.start_char, pron.sent.end_char))
                    return Speaker(found.name, found.type) if found.name else UNNAMED
            ev = self.last_event(pron.idx)
            if ev is not None and ev.speaker.type in GROUP_LABELS and pron.idx - ev.char < 1500:
                return Speaker(ev.speaker.name, ev.speaker.type)
            for m in self.index.before(pron.idx, GROUP_LABELS)[:6]:
                if self.inside_quote(m.start_char) or pron.idx - m.end_char > 600:
                    continue
                tok = self.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
                if tok is not None and tok.root.dep_ in _SUBJECT_DEPS and m.label == "ORG":
                    return Speaker(m.canonical_name, m.label)
            return UNNAMED
        return UNNAMED

    def _antecedent_person(self, pron: Token, gender: str | None, depth: int = 0) -> Speaker:
        """The person pron refers to: in the latest sentence naming a compatible person, its subject if a
        person, else the first person named there (a simplified Hobbs search); persons inside quotation
        marks and possessive modifiers ("Jackson's lawyer") are skipped."""
        doc = self.doc
        candidates: list[tuple[int, int, int, str]] = []  # (sentence start, char, salience, name)
        for m in self.index.before(pron.idx, {"PERSON"}):
            if pron.idx - m.end_char > 3000 or len(candidates) >= 10:
                break
            if self.inside_quote(m.start_char):
                continue
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if root.dep_ in {"poss", "compound"} and root.head.pos_ == "NOUN" and not _named_before_role(span):
                continue  # "Jackson's lawyer", "an Oscar nomination" do not make a person the topic
            subj = root if root.dep_ in _SUBJECT_DEPS else None
            if subj is None and root.dep_ in {"appos", "compound", "conj"} and root.head.dep_ in _SUBJECT_DEPS:
                subj = root.head
            salience = 0 if subj is None else (2 if subj.head.dep_ == "ROOT" else 1)
            candidates.append((span.sent.start_char, m.start_char, salience, m.canonical_name))
        for ev in self.events:
            if ev.char < pron.idx and ev.speaker.type == "PERSON" and ev.speaker.name and pron.idx - ev.char < 3000:
                at = ev.speaker.start_char if ev.speaker.start_char is not None else ev.char
                sent = doc[self._token_index(at)].sent.start_char
                candidates.append((sent, at, 2, ev.speaker.name))
        for at, name in self._role_subjects:
            if at < pron.idx and pron.idx - at < 3000:
                candidates.append((doc[self._token_index(at)].sent.start_char, at, 2, name))
        if gender is not None and depth < 2:
            # "She thanked the woman she played, Katharine Hepburn. "…," she said.": an earlier subject pronoun
            # of the same gender carries its own referent forward
            prev = self._previous_subject_pronoun(pron, gender)
            if prev is not None:
                memo: dict[int, Speaker] = self.__dict__.setdefault("_chain_memo", {})
                found = memo.get(prev.i) or memo.setdefault(prev.i, self._antecedent_person(prev, gender, depth + 1))
                if found.name is not None:
                    salience = 2 if prev.head.dep_ == "ROOT" else 1
                    candidates.append((prev.sent.start_char, prev.idx, salience, found.name))
        pron_sent = pron.sent.start_char
        compatible = [
            c for c in candidates if c[1] < pron.idx and (gender is None or self._gender.get(c[3]) in (None, gender))
        ]
        if not compatible:
            return UNNAMED
        latest = max(c[0] for c in compatible)
        in_sentence = sorted(c for c in compatible if c[0] == latest)
        if gender is not None:
            # a person known to match the pronoun (Mrs Kite / she) beats one of unknown gender
            known = [c for c in in_sentence if self._gender.get(c[3]) == gender]
            in_sentence = known or in_sentence
        if latest == pron_sent:
            # same sentence: the nearest person before the pronoun
            chosen = max(in_sentence, key=lambda c: c[1])
        else:
            best = max(c[2] for c in in_sentence)
            chosen = next(c for c in in_sentence if c[2] == best)
        name = chosen[3]
        if gender is not None and name not in self._gender:
            self._gender[name] = gender
        return Speaker(name, "PERSON")

    def _previous_subject_pronoun(self, pron: Token, gender: str) -> Token | None:
        """The nearest subject ``he``/``she`` of that gender before pron's sentence (within 60 tokens), outside
        quotation marks."""
        doc = self.doc
        for i in range(pron.sent.start - 1, max(-1, pron.sent.start - 61), -1):
            tok = doc[i]
            if tok.dep_ == "nsubj" and PERSON_PRONOUNS.get(tok.lower_) == gender and not self.inside_quote(tok.idx):
                return tok
        return None


def _named_before_role(span: Span) -> bool:
    """``Paolo Pescatore mobile industry specialist``: a full name (a known first name and more) before the role
    noun it is parsed as modifying, with no determiner, is that person, not a modifier (``a Jackson lawyer``)."""
    head = span.root.head
    return (
        span.root.dep_ == "compound"
        and len(span) >= 2
        and is_common_first_name(span[0].text)
        and not any(c.dep_ in {"det", "poss"} for c in head.children)
    )
