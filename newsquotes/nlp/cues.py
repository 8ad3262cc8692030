"""Cue verbs: which tokens report speech, and which cue subjects name several parties at once.

Rules
-----
* A cue is a reporting verb (``said``, ``told``, ``added``, ``warned``, ``insisted``, ``described ... as``,
  ``branded``, ``voiced``, ``expressed``, ...; see ``CUE_LEMMAS``) or the phrase ``according to``.
  ``voice`` and ``express`` count only in the active voice (``fears had been expressed`` and ``the disquiet
  voiced over …`` report nobody).
* A collective of parties (``Beijing and Moscow``, ``both sides``, ``the two countries``, ``they``) is not one
  source; generic sources (``analysts``, ``critics``) are not collectives.
"""

from __future__ import annotations

from spacy.tokens import Token

from newsquotes.nlp.lexicon import (
    _COLLECTIVE_DETERMINERS,
    ACTIVE_ONLY_CUE_LEMMAS,
    COLLECTIVE_NOUNS,
    CUE_LEMMAS,
    NAMED_LABELS,
)

__all__ = ["cue_text", "is_collective", "is_cue"]


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
