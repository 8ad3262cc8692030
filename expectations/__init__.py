"""Great Expectations suites, one JSON file per warehouse table, versioned with the code."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def suite_names() -> tuple[str, ...]:
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name.removesuffix(".json") for f in files if f.name.endswith(".json")))


def suite_definition(name: str) -> dict:
    """The suite ``expectations/<name>.json`` as a dict (a fresh copy each call)."""
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)
