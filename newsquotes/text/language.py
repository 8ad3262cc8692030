"""Offline language identification of article bodies (py3langid: a model of 97 languages shipped in the package).

``detect_language`` returns an ISO 639-1 code, or None when the text is too short to tell or the model is
unsure. Only the first ``SAMPLE_CHARS`` characters are classified: enough for a confident answer and it keeps
the cost per article at a few milliseconds (measured: 2,095 BBC articles in about 4 s, all ``en`` with
probability ≥ 0.99). Articles in another language are kept and flagged, but not run through the English
spaCy model.
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["ENGLISH", "MIN_LETTERS", "MIN_PROBABILITY", "SAMPLE_CHARS", "detect_language"]

ENGLISH = "en"
SAMPLE_CHARS = 2000
MIN_LETTERS = 20  # fewer letters than this: unknown
MIN_PROBABILITY = 0.8  # normalised probability the model must reach


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of text's language, or None when unsure (short text, low probability)."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code, probability = _identifier().classify(sample)
    return str(code) if float(probability) >= MIN_PROBABILITY else None
