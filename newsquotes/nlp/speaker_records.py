"""Speakers as the rules resolve them, and the speech events pronouns and turns refer back to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved source: name None means an unnamed source ("analysts said")."""

    name: str | None
    type: str | None = None
    role: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    text: str | None = None  # the mention as written where it was attributed ("he", "the company")


UNNAMED = Speaker(None)


@dataclass(frozen=True, slots=True)
class SpeechEvent:
    """A place where someone was reported as speaking, for pronoun and continuation resolution."""

    char: int
    speaker: Speaker
