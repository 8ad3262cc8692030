"""Named-entity mentions and their within-article canonical names.

Rules
-----
* Mentions are spaCy's entities of the naming kinds (PERSON, ORG, GPE, NORP, LOC, FAC, EVENT, PRODUCT,
  WORK_OF_ART, LAW, LANGUAGE); numbers, dates and amounts are left out.
* Every name is first cleaned: a possessive ``'s`` and surrounding punctuation are dropped, and for
  organisations and places a leading ``the``.
* PERSON: honorifics (Mr, Mrs, Ms, Dr, Sir, Lord, ...) are set aside, and a short form (``Lavrov``,
  ``Mr Lavrov``, ``Sergey``) takes the fullest name of the article whose words contain it (``Sergey Lavrov``);
  when two full names would fit, the one named last before the mention wins, else the first one after it; a
  gendered honorific excludes a full name of the other first-name gender (``Mr. Trump`` is not Ivanka Trump), and
  a title with a surname before any full name of it is complete as written (``President Obama``).
  A title kept alone with a single name (``Lord Currie``) stays as written.
* A single-word ORG/GPE/NORP/PRODUCT mention that is the surname of a person of the article is relabelled
  PERSON (the small model often tags a bare surname as an organisation).
* Names are made from the entity spans by ``name_spans`` (swallowed words trimmed, missed persons added).
* A surname of the article the NER missed is a mention of that person (``Mourinho never coached …``), unless a
  known first name stands before it (``Ivanka Trump`` in an article about Donald Trump): then it is another person.
* ORG: an acronym introduced in brackets after a full name (``British Chambers of Commerce (BCC)``) takes that
  full name.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from newsquotes.nlp.gender import (
    FEMALE_HONORIFICS,
    MALE_HONORIFICS,
    first_name_gender,
)
from newsquotes.nlp.name_spans import (
    HONORIFICS,
    NAME_PARTICLES,
    NAME_ROLE_WORDS,
    ORG_HEAD_WORDS,
    RANK_WORDS,
    extend_org,
    missed_first_name,
    missed_persons,
    name_part,
    person_named_org,
    trim_name,
)
from newsquotes.nlp.types import Mention

__all__ = ["HONORIFICS", "NAME_PARTICLES", "NAME_ROLE_WORDS", "ORG_HEAD_WORDS", "RANK_WORDS", "EntityIndex"]

NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
_KEEP_WITH_ONE_NAME = frozenset(
    {"sir", "dame", "lord", "lady", "prince", "princess", "king", "queen", "pope", "sheikh", "cardinal"}
)
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$")
_EDGE_PUNCT = " \t\n,.;:!?\"“”‘’'()[]{}-–—"
_WORD_RE = re.compile(r"[\w'’.-]+")
_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")


def clean_name(text: str, label: str = "PERSON") -> str:
    """The name without possessive, edge punctuation and (for non-persons) a leading 'the'."""
    name = " ".join(text.split()).strip(_EDGE_PUNCT)
    name = _POSSESSIVE_RE.sub("", name).strip(_EDGE_PUNCT)
    if label != "PERSON" and name[:4].lower() == "the ":
        name = name[4:].strip()
    return name


def split_honorifics(name: str) -> tuple[list[str], list[str]]:
    """(leading honorific words, the remaining name words).

    Words before a lower-case word or a role word are not part of the name ("Barcelona star Ronaldinho",
    "Striker Nicolas Anelka"), nor is anything before an honorific inside the span ("Centre Mr Straw").
    """
    words = _WORD_RE.findall(name)
    for i in range(len(words) - 2, -1, -1):
        w = words[i].lower()
        if w in HONORIFICS:
            words = words[i:]
            break
        if (not words[i][:1].isupper() and w not in NAME_PARTICLES) or w in NAME_ROLE_WORDS:
            words = words[i + 1 :]
            break
    titles: list[str] = []
    while len(words) > 1 and (words[0].lower() in HONORIFICS or words[0].lower().rstrip(".") in RANK_WORDS):
        titles.append(words.pop(0))
    return titles, words


def _bare(word: str) -> str:
    return word.strip("'’\"“”")


@dataclass(slots=True)
class _FullName:
    name: str
    words: frozenset[str]
    size: int
    positions: list[int] = field(default_factory=list)


class PersonNames:
    """The persons named in one article, to turn any short form into the fullest name."""

    def __init__(self) -> None:
        self._full: dict[str, _FullName] = {}
        self._surnames: dict[str, list[_FullName]] = {}

    def add(self, text: str, position: int) -> None:
        _titles, words = split_honorifics(clean_name(text))
        if len(words) < 2:
            return
        name = " ".join(words)
        full = self._full.get(name)
        if full is None:
            full = _FullName(name, frozenset(_bare(w) for w in words), len(words))
            self._full[name] = full
            self._surnames.setdefault(words[-1], []).append(full)
        full.positions.append(position)

    def surnames(self) -> set[str]:
        return set(self._surnames)

    def is_known(self, text: str) -> bool:
        _, words = split_honorifics(clean_name(text))
        return bool(words) and self._best(words, 0) is not None

    def _best(self, words: list[str], position: int, gender: str | None = None) -> _FullName | None:
        words = [_bare(w) for w in words]
        wanted = set(words)
        candidates = [f for f in self._full.values() if wanted <= f.words and f.size >= len(words)]
        if gender is not None:  # "Mr. Trump" is not Ivanka Trump
            candidates = [f for f in candidates if first_name_gender(f.name) in (None, gender)]
        if not candidates:
            return None
        if len(words) == 1:
            # A single word: prefer names where it is the surname.
            as_surname = [f for f in candidates if _bare(f.name.split()[-1]) == words[0]]
            candidates = as_surname or candidates
        if len(candidates) == 1:
            return candidates[0]

        def key(f: _FullName) -> tuple[int, int, int]:
            i = bisect.bisect_right(f.positions, position)
            before = f.positions[i - 1] if i else -1
            return (1 if before >= 0 else 0, before if before >= 0 else -min(f.positions), f.size)

        return max(candidates, key=key)

    def canonical(self, text: str, position: int = 0, honorific: str | None = None) -> str:
        """The fullest name of the article for text; an honorific (in text, or ``honorific`` before it) must
        agree with the full name's first-name gender."""
        titles, words = split_honorifics(clean_name(text))
        if not words:
            return clean_name(text)
        gender = None
        for title in [*titles, honorific or ""]:
            low = title.lower()
            gender = "f" if low in FEMALE_HONORIFICS else "m" if low in MALE_HONORIFICS else gender
        best = self._best(words, position, gender)
        titled = bool(titles) or (honorific or "").rstrip(".") in RANK_WORDS or (honorific or "") in HONORIFICS
        if best is not None and titled and len(words) == 1 and min(best.positions) > position:
            best = None  # "President Obama" before any full name is complete as written (not Michelle Obama)
        if best is not None:
            return best.name
        if len(words) == 1 and titles and titles[-1].lower() in _KEEP_WITH_ONE_NAME:
            return f"{titles[-1]} {words[0]}"
        return " ".join(words)


@dataclass(slots=True)
class EntityIndex:
    """Mentions of one article with their canonical names, plus lookups used by speaker resolution."""

    mentions: list[Mention]
    persons: PersonNames
    acronyms: dict[str, str]
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [m.start_char for m in self.mentions]

    def at(self, start_char: int, end_char: int) -> list[Mention]:
        """Mentions overlapping [start_char, end_char)."""
        i = bisect.bisect_left(self._starts, start_char)
        while i > 0 and self.mentions[i - 1].end_char > start_char:
            i -= 1
        out = []
        while i < len(self.mentions) and self.mentions[i].start_char < end_char:
            if self.mentions[i].end_char > start_char:
                out.append(self.mentions[i])
            i += 1
        return out

    def before(self, char: int, labels: frozenset[str] | set[str]) -> list[Mention]:
        """Mentions with one of labels that end at or before char, nearest first."""
        i = bisect.bisect_left(self._starts, char)
        return [m for m in reversed(self.mentions[:i]) if m.label in labels and m.end_char <= char]

    def canonical(self, label: str, text: str, position: int = 0) -> str:
        if label == "PERSON":
            return self.persons.canonical(text, position)
        name = clean_name(text, label)
        return self.acronyms.get(name, name)


def _acronyms(doc: Doc, ents: list[Span]) -> dict[str, str]:
    out: dict[str, str] = {}
    text = doc.text
    for m in _ACRONYM_RE.finditer(text):
        acronym = m.group(1)
        # The nearest entity that ends right before the bracket and whose initials fit.
        for ent in ents:
            if 0 <= m.start() - ent.end_char <= 1 and ent.label_ in {"ORG", "GPE", "NORP", "FAC", "LAW"}:
                full = clean_name(ent.text, ent.label_)
                initials = "".join(w[0] for w in full.split() if w[0].isupper())
                if full != acronym and (initials == acronym.upper() or acronym[0] == full[0]):
                    out.setdefault(acronym, full)
                break
    return out


def _has_name(ent: Span) -> bool:
    """Not empty and not only honorifics ("Lord" alone is no name)."""
    words = _WORD_RE.findall(clean_name(ent.text, ent.label_))
    return any(w.lower() not in HONORIFICS for w in words)


def build_entity_index(doc: Doc) -> EntityIndex:
    ents = [extend_org(name_part(e)) for e in doc.ents if e.label_ in NAME_LABELS]
    ents = [t for t in (trim_name(e) for e in ents) if t is not None and _has_name(t)]
    ents = sorted([*(person_named_org(e) for e in ents), *missed_persons(doc)], key=lambda e: e.start)
    persons = PersonNames()
    for ent in ents:
        if ent.label_ == "PERSON":
            persons.add(ent.text, ent.start_char)
    surnames = persons.surnames()
    acronyms = _acronyms(doc, ents)
    # The same word labelled PERSON in one place and something else in another: majority, ties PERSON.
    votes: dict[str, list[int]] = {}
    for ent in ents:
        if len(ent) == 1 and ent.label_ in {"PERSON", "ORG", "GPE", "NORP", "PRODUCT", "LOC"}:
            v = votes.setdefault(clean_name(ent.text), [0, 0])
            v[0 if ent.label_ == "PERSON" else 1] += 1
    person_words = {w for w, (p, o) in votes.items() if p >= o and p > 0}
    mentions: list[Mention] = []
    covered = set()
    for ent in ents:
        label = ent.label_
        cleaned = clean_name(ent.text, label)
        prev = doc[ent.start - 1].lower_ if ent.start else ""
        if label in {"ORG", "GPE", "NORP", "PRODUCT", "LOC"} and (
            cleaned in surnames or prev in HONORIFICS or (len(ent) == 1 and cleaned in person_words)
        ):
            label = "PERSON"
        canonical = (
            persons.canonical(ent.text, ent.start_char, prev) if label == "PERSON" else acronyms.get(cleaned, cleaned)
        )
        mentions.append(Mention(ent.text, label, ent.start_char, ent.end_char, canonical))
        covered.update(range(ent.start, ent.end))
    # Surnames the NER missed ("Mourinho never coached ...").
    for tok in doc:
        if tok.i in covered or not tok.is_title or tok.pos_ not in {"PROPN", "NOUN"}:
            continue
        if tok.text in surnames or tok.text in person_words:
            start, end = tok.idx, tok.idx + len(tok.text)
            first = doc[tok.i - 1] if tok.i else None
            if first is not None and first.i not in covered and missed_first_name(first, tok):
                # "Ivanka Trump" the NER missed in an article about Donald Trump: another person
                text = doc.text[first.idx : end]
                mentions.append(Mention(text, "PERSON", first.idx, end, text))
                continue
            honorific = doc[tok.i - 1].lower_ if tok.i else None
            mentions.append(Mention(tok.text, "PERSON", start, end, persons.canonical(tok.text, start, honorific)))
    mentions.sort(key=lambda m: (m.start_char, m.end_char))
    return EntityIndex(mentions, persons, acronyms)


def extract_mentions(doc: Doc) -> list[Mention]:
    """Named-entity mentions of doc with within-article canonical names."""
    return build_entity_index(doc).mentions
