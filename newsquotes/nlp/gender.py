"""The grammatical gender of a named person, for binding ``he`` and ``she``.

Rules
-----
* An honorific right before or at the start of the name (``Mrs Kite``, ``Mr Lavrov``, ``Sir Alex``).
* A gendered role noun next to the name: a compound or apposition (``actress Cate Blanchett``, ``Linda
  Lamoureux, the mother of …``, ``spokeswoman Jane Doe``) or the noun a name is in apposition to (``the
  chairwoman, Ann Lee``). The words are ``FEMALE_NOUNS`` and ``MALE_NOUNS``.
* Otherwise the first name's: a first name that at least ``MIN_NAME_COUNT`` people bear, ``MIN_NAME_SHARE`` or more
  of them of one gender, in the name data of the ``nomquamgender`` package (read from site-packages, offline;
  accents folded: ``José`` → ``jose``). A single word (``Trump``) is taken for a surname and has none.
* Otherwise unknown; the resolver also learns a gender from the pronouns it binds.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

from spacy.tokens import Span

FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "lady", "mrs.", "ms.", "madam", "madame", "mme"})
MALE_HONORIFICS = frozenset({"mr", "mr.", "sir", "lord", "monsieur"})
FEMALE_NOUNS = frozenset(
    {
        "actress", "spokeswoman", "chairwoman", "businesswoman", "congresswoman", "councilwoman", "sportswoman",
        "policewoman", "woman", "girl", "mother", "mum", "mom", "wife", "daughter", "sister", "grandmother",
        "widow", "aunt", "niece", "queen", "princess", "duchess", "countess", "baroness", "heiress", "waitress",
        "hostess", "stewardess", "girlfriend", "bride", "nun", "lady", "granddaughter", "stepmother",
    }
)  # fmt: skip
MALE_NOUNS = frozenset(
    {
        "actor", "spokesman", "chairman", "businessman", "congressman", "councilman", "sportsman", "policeman",
        "man", "boy", "father", "dad", "husband", "son", "brother", "grandfather", "widower", "uncle", "nephew",
        "king", "prince", "duke", "count", "baron", "boyfriend", "groom", "monk", "grandson", "stepfather",
        "frontman",
    }
)  # fmt: skip
_NEXT_TO_NAME = frozenset({"compound", "appos", "amod", "nmod"})


def mention_gender(span: Span) -> str | None:
    """'f', 'm' or None for a person's name span (see the module docstring)."""
    doc = span.doc
    for tok in (span[0], doc[span.start - 1] if span.start > 0 else None):
        if tok is None:
            continue
        if tok.lower_ in FEMALE_HONORIFICS:
            return "f"
        if tok.lower_ in MALE_HONORIFICS:
            return "m"
    root = span.root
    words = [c.lemma_.lower() for c in root.children if c.dep_ in _NEXT_TO_NAME and not (span.start <= c.i < span.end)]
    if root.dep_ == "appos" or (
        root.head.dep_ != "ROOT" and any(c.i == root.i for c in root.head.children if c.dep_ == "appos")
    ):
        words.append(root.head.lemma_.lower())
    words += [c.lower_ for c in root.children if c.dep_ in _NEXT_TO_NAME]
    female = any(w in FEMALE_NOUNS for w in words)
    male = any(w in MALE_NOUNS for w in words)
    if female != male:
        return "f" if female else "m"
    return None


MIN_NAME_COUNT = 20
MIN_NAME_SHARE = 0.9
_NAME_ROW_RE = re.compile(rb'"([a-z]+)": \[(\d+), (\d+), ([0-9.]+)')
COMMON_NAME_COUNT = 5000
COMMON_NAME_SOURCES = 20
NAME_PREFIXES = frozenset(
    {"al", "el", "abu", "bin", "ibn", "san", "santa", "saint", "st", "van", "von", "de", "la", "le", "di", "da", "du"}
)  # fmt: skip
_NOT_FIRST_NAMES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "rev", "prof"})


@functools.cache
def _name_data() -> tuple[dict[str, str], frozenset[str]]:
    """(first name -> 'f' or 'm', common first names), from the ``nomquamgender`` name data (loaded once per
    process, about a second; the package is located without being imported, which would parse its data again)."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        return {}, frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    table: dict[str, str] = {}
    common = set()
    for m in _NAME_ROW_RE.finditer(path.read_bytes()):
        sources, count, share = int(m[2]), int(m[3]), float(m[4])
        if count >= MIN_NAME_COUNT and (share >= MIN_NAME_SHARE or share <= 1 - MIN_NAME_SHARE):
            name = m[1].decode()
            table[name] = "f" if share >= MIN_NAME_SHARE else "m"
            if count >= COMMON_NAME_COUNT and sources >= COMMON_NAME_SOURCES and name not in NAME_PREFIXES:
                common.add(name)
    return table, frozenset(common)


def first_name_table() -> dict[str, str]:
    """First name -> 'f' or 'm' (see ``_name_data``)."""
    return _name_data()[0]


def is_common_first_name(word: str) -> bool:
    """A first name borne by at least ``COMMON_NAME_COUNT`` people in ``COMMON_NAME_SOURCES`` sources, mostly of
    one gender, and no name particle or place prefix (``Al``, ``San``, ``Van``): enough to call a name a person's."""
    return word.lower() in _name_data()[1]


def first_name_gender(name: str) -> str | None:
    """'f', 'm' or None for a person's full name by its first name (``Linda Lamoureux`` → 'f')."""
    words = [w.strip(".,") for w in name.split()]
    while words and words[0].lower() in _NOT_FIRST_NAMES:
        words.pop(0)
    if len(words) < 2:
        return None
    first = unicodedata.normalize("NFKD", words[0]).encode("ascii", "ignore").decode().lower()
    return first_name_table().get(first)
