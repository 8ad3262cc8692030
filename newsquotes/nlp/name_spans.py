"""Entity spans made into names: the words the NER swallowed or cut off, and persons it missed.

Rules
-----
* Swallowed words are trimmed (``trim_name``): an adjective, adverb or other non-name word opening a person
  or organisation (``Recent Samsung``), a word tagged as a verb inside it and what follows, post-nominal
  letters (``Paul Boateng MP``, ``NAME_SUFFIXES``); a lost ``O'`` is put back. In a person's name an opening
  ``-ing`` word (``Hosting Cook``) and an inner ``-ed`` word with what follows (``Tom Nides Thanked Clinton``)
  are verbs unless they are known first names; a single name opening a numbered list item (``6. Max out …``)
  is an imperative, no name.
* A known first name followed by one or two more capitalised proper nouns outside any entity is a person the
  NER missed (``thinks Paolo Pescatore mobile industry specialist``); so is such a name the NER took for an
  organisation when no word of it is an organisation's.
* An organisation cut short on the left is extended (``Finance and | Economy Ministry``); a role before a name
  inside a span is left out (``Barcelona star Ronaldinho``).
"""

from __future__ import annotations

from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token

from newsquotes.nlp.gender import first_name_table, is_common_first_name

HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev",
        "reverend", "mr.", "mrs.", "ms.", "dr.", "prof.", "rev.", "st", "st.",
    }
)  # fmt: skip
NAME_ROLE_WORDS = frozenset(
    {
        "striker", "star", "boss", "manager", "coach", "midfielder", "defender", "goalkeeper", "captain",
        "skipper", "winger", "player", "chief", "chairman", "president", "minister", "secretary", "chancellor",
        "leader", "actor", "actress", "singer", "director", "producer", "executive", "economist", "analyst",
        "spokesman", "spokeswoman", "spokesperson", "senator", "governor", "mayor", "judge", "champion",
        "presenter", "host", "author", "writer", "rapper", "comedian", "veteran", "founder", "ceo",
        "dj", "boxer", "golfer", "cyclist", "sprinter", "athlete", "jockey",
        "driver", "chef", "designer", "model", "artist", "musician", "guitarist", "drummer", "bassist",
        "dancer", "novelist", "poet", "playwright", "historian", "scientist", "researcher", "lawyer",
        "barrister", "solicitor", "campaigner", "activist", "entrepreneur", "tycoon", "businessman",
        "businesswoman", "prop", "fly-half", "centre", "lock", "flanker", "hooker", "batsman", "bowler",
    }
)  # fmt: skip
NAME_PARTICLES = frozenset(
    {"van", "von", "de", "da", "di", "del", "della", "der", "den", "le", "la", "bin", "al", "el", "dos", "du",
     "ten", "ter", "y", "ibn", "mac", "st", "'mido'"}
)  # fmt: skip
ORG_HEAD_WORDS = frozenset(
    {"association", "ministry", "company", "group", "bank", "council", "committee", "commission", "union",
     "party", "league", "federation", "club", "corporation", "institute", "agency", "office", "department",
     "university", "foundation", "trust", "board", "inc", "ltd", "plc", "news", "times", "post", "service"}
)  # fmt: skip
RANK_WORDS = frozenset(
    {"lt", "col", "gen", "maj", "capt", "sgt", "cpl", "adm", "cmdr", "lieutenant", "colonel", "general",
     "major", "sergeant", "constable", "inspector", "detective", "supt", "superintendent", "chief",
     "president", "senator", "sen", "rep", "gov", "governor", "judge", "justice", "pope", "king", "queen",
     "prince", "princess", "crown", "sheikh", "cardinal", "bishop", "archbishop", "chancellor", "mayor"}
)  # fmt: skip


def name_part(ent: Span) -> Span:
    """The proper-name part of an entity span that includes a role ("Barcelona star Ronaldinho")."""
    if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"} or len(ent) < 2:
        return ent
    for k in range(len(ent) - 2, -1, -1):
        tok = ent[k]
        low = tok.lower_
        if low in HONORIFICS:
            return Span(ent.doc, ent.start + k, ent.end, label="PERSON")
        rest = ent[k + 1 :]
        if (
            low in NAME_ROLE_WORDS
            and all(t.is_title or t.lower_ in NAME_PARTICLES for t in rest)
            and rest[-1].lower_ not in ORG_HEAD_WORDS
        ):
            return Span(ent.doc, ent.start + k + 1, ent.end, label="PERSON")
    return ent


_ORG_JOINERS = frozenset({"and", "&", "of", "for"})
# Post-nominal letters and suffixes that are not part of a person's name ("Paul Boateng MP").
NAME_SUFFIXES = frozenset(
    {"mp", "msp", "mep", "mla", "mpp", "qc", "kc", "obe", "mbe", "cbe", "kbe", "dbe", "frs", "phd", "esq"}
)  # fmt: skip
_NOT_NAME_POS = frozenset({"VERB", "AUX", "ADJ", "ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "NUM"})
_ORG_WORDS = frozenset(
    {"inc", "corp", "co", "llc", "ltd", "plc", "group", "holdings", "partners", "capital", "media", "news",
     "records", "pictures", "studios", "motors", "airlines", "bank", "fund", "foundation", "institute"}
)  # fmt: skip
_ELISION = frozenset({"o'", "o’", "d'", "d’"})


def trim_name(ent: Span) -> Span | None:
    """A person or organisation span without the words the NER swallowed: a non-name word at its start
    (``Recent Samsung``), a word tagged as a verb and what follows it, post-nominal letters (``Paul Boateng
    MP``); an elided prefix it lost is put back (``O'`` + ``Neill``). None when nothing of a name is left."""
    if ent.label_ not in {"PERSON", "ORG"}:
        return ent
    doc = ent.doc
    start, end = ent.start, ent.end
    if ent.label_ == "PERSON" and len(ent) == 1 and _opens_list_item(ent):
        return None  # "6. Max out your retirement accounts": an imperative opening a numbered item
    while start < end - 1 and doc[start].pos_ in _NOT_NAME_POS and doc[start].tag_ not in {"NNP", "NNPS"}:
        start += 1
    if ent.label_ == "PERSON" and end - start > 1 and _verb_form(doc[start].lower_, "ing"):
        start += 1  # "Hosting Cook": a participle the tagger took for a name
    for i in range(start + 1, end):
        if doc[i].pos_ in {"VERB", "AUX"} and doc[i].tag_ in {"VBD", "VBZ", "VBG", "VBN"}:
            end = i
            break
        if ent.label_ == "PERSON" and i < end - 1 and _verb_form(doc[i].lower_, "ed"):
            end = i  # "Tom Nides Thanked Clinton": a capitalised past tense inside a headline-style span
            break
    while ent.label_ == "PERSON" and end - start > 1 and doc[end - 1].lower_.strip(".") in NAME_SUFFIXES:
        end -= 1
    if start > 0 and doc[start - 1].lower_ in _ELISION and doc[start - 1].whitespace_ == "":
        start -= 1
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(doc, start, end, label=ent.label_) if end > start else None


def _verb_form(word: str, ending: str) -> bool:
    """A word with a verb ending that is no known first name (``hosting``, ``thanked``; not ``ahmed``)."""
    return len(word) > len(ending) + 3 and word.endswith(ending) and word not in first_name_table()


def _opens_list_item(ent: Span) -> bool:
    """Whether only a list number ("6.", "2)") stands before ent on its line."""
    doc = ent.doc
    before = []
    for i in range(ent.start - 1, max(-1, ent.start - 5), -1):
        if "\n" in doc[i].text:
            break
        before.append(doc[i])
    else:
        if ent.start > 4:
            return False  # more than four tokens on the line before it
    return bool(before) and len(before) <= 3 and any(t.like_num for t in before) and all(
        t.like_num or t.is_punct or t.tag_ == "LS" for t in before
    )


def extend_org(ent: Span) -> Span:
    """Extend an organisation name the NER cut short on the left ("Finance and | Economy Ministry")."""
    if ent.label_ != "ORG":
        return ent
    doc = ent.doc
    start = ent.start
    while start > 0:
        prev = doc[start - 1]
        if prev.ent_type_ and prev.ent_iob_ != "O" and prev.ent_type_ != "ORG":
            break
        if prev.is_title and prev.pos_ in {"PROPN", "NOUN", "ADJ"} and not prev.is_sent_start:
            if prev.lower_ in HONORIFICS:
                break
            start -= 1
            continue
        if (
            prev.lower_ in _ORG_JOINERS
            and start >= 2
            and doc[start - 2].is_title
            and doc[start - 2].pos_ in {"PROPN", "NOUN"}
            and not doc[start - 2].is_sent_start
        ):
            start -= 2
            continue
        break
    return ent if start == ent.start else Span(doc, start, ent.end, label="ORG")


def missed_first_name(first: Token, surname: Token) -> bool:
    """Whether first is a known first name right before a surname (``gender.first_name_table``)."""
    return (
        first.dep_ == "compound"
        and first.head.i == surname.i
        and first.is_title
        and first.pos_ == "PROPN"
        and is_common_first_name(first.text)
    )


def missed_persons(doc: Doc) -> list[Span]:
    """``thinks Paolo Pescatore mobile industry specialist``: a known first name (``gender.first_name_table``)
    and one or two more capitalised proper nouns outside any entity are a person the NER missed."""
    found = []
    after = 0
    for tok in doc:
        if tok.i < after or tok.pos != PROPN or tok.ent_type or not is_common_first_name(tok.text):
            continue
        if not _bare_propn(tok):
            continue
        i = j = tok.i
        j += 1
        while j < len(doc) and j - i < 3 and _bare_propn(doc[j]) and doc[j].lower_ not in ORG_HEAD_WORDS:
            j += 1
        if j - i >= 2 and doc[j - 1].lower_ not in HONORIFICS and (j >= len(doc) or doc[j].pos_ != "PROPN"):
            found.append(Span(doc, i, j, label="PERSON"))
        after = j
    return found


def person_named_org(ent: Span) -> Span:
    """An ORG of two or three capitalised proper nouns opening with a known first name and no organisation word
    (``Paolo Pescatore``) is a person."""
    if ent.label_ != "ORG" or not 2 <= len(ent) <= 3 or not is_common_first_name(ent[0].text):
        return ent
    if not all(t.pos_ == "PROPN" and t.is_title and t.is_alpha for t in ent):
        return ent
    if any(t.lower_ in ORG_HEAD_WORDS or t.lower_ in _ORG_WORDS for t in ent):
        return ent
    return Span(ent.doc, ent.start, ent.end, label="PERSON")


def _bare_propn(tok: Token) -> bool:
    return tok.ent_type_ == "" and tok.pos_ == "PROPN" and tok.is_title and tok.is_alpha and len(tok) > 1
