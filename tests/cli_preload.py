"""Imported once by the CLI forkserver (tests/cli_process.py): everything a command imports, the model and the
first-name table."""

from __future__ import annotations

import flows.ingest
import flows.serve  # noqa: F401
import newsquotes.cli
import newsquotes.revalidate  # noqa: F401
from newsquotes.nlp.gender import first_name_table
from newsquotes.nlp.model import load_model
from newsquotes.settings import Settings

load_model(Settings().spacy_model)
first_name_table()
