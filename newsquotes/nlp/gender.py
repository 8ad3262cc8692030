"""The grammatical gender of a named person, for binding ``he`` and ``she`` (no name lists, no model).

Rules
-----
* An honorific right before or at the start of the name (``Mrs Kite``, ``Mr Lavrov``, ``Sir Alex``).
* A gendered role noun next to the name: a compound or apposition (``actress Cate Blanchett``, ``Linda
  Lamoureux, the mother of …``, ``spokeswoman Jane Doe``) or the noun a name is in apposition to (``the
  chairwoman, Ann Lee``). The words are ``FEMALE_NOUNS`` and ``MALE_NOUNS``.
* Otherwise unknown; the resolver also learns a gender from the pronouns it binds.
"""

from __future__ import annotations

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
