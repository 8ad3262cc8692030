"""Plain records produced by the NLP stage (no spaCy objects cross this boundary)."""

from __future__ import annotations

from dataclasses import dataclass, field

QUOTE_KINDS = ("direct", "partial", "indirect")
NAMED_SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
# A speaker mention that names nobody ("analysts", "the company", an unresolved "he"): speaker_name is None and
# speaker_text holds the mention.
DESCRIPTION = "DESCRIPTION"
SPEAKER_TYPES = (*NAMED_SPEAKER_TYPES, DESCRIPTION)


@dataclass(frozen=True, slots=True)
class Mention:
    """One named-entity mention in an article body."""

    text: str  # the mention exactly as written: body[start_char:end_char]
    label: str  # spaCy NER label: PERSON, ORG, GPE, NORP, ...
    start_char: int
    end_char: int
    canonical_name: str  # fullest form of the same entity in this article ("Lavrov" -> "Sergey Lavrov")


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation (direct or partial, inside quotation marks) or one piece of reported speech."""

    quote_text: str  # body[start_char:end_char], without enclosing quotation marks
    kind: str  # one of QUOTE_KINDS
    start_char: int
    end_char: int
    speaker_name: str | None  # fullest name in the article; None when no named source (never a pronoun)
    speaker_type: str | None = None  # NAMED_SPEAKER_TYPES with a name, DESCRIPTION with only speaker_text, else None
    speaker_role: str | None = None  # "Chinese Foreign Minister", "spokesman", ...
    cue: str | None = None  # the reporting verb as written ("said", "according to")
    speaker_start_char: int | None = None  # where the speaker is named in the body for this quote, if it is
    speaker_end_char: int | None = None
    speaker_text: str | None = None  # the speaker mention as written where the quote is attributed ("he", "Mr Glazer")


@dataclass(slots=True)
class DocAnalysis:
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
