"""What the full suite needs, and what happens when it is missing.

Some required tests need things outside the repository: ``../shared`` (gold and corpora), root with the
right to mount (the disk-full and read-only tests, see tests/output_faults.py) and Debian's Chromium (the
dashboard tests). On a developer's machine a missing precondition skips the test with the reason. Under
``NEWSQUOTES_TESTS_REQUIRE_ALL=1`` (set by ``.ci/run``) it fails the test with a message saying what is missing,
and so does any other skip: a required test never skips silently in CI.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_ALL_ENV = "NEWSQUOTES_TESTS_REQUIRE_ALL"


def require_all() -> bool:
    return os.environ.get(REQUIRE_ALL_ENV, "").strip().lower() in {"1", "true", "yes"}


def missing(what: str) -> NoReturn:
    """A precondition of the test is missing: skip it, or fail it under ``NEWSQUOTES_TESTS_REQUIRE_ALL``."""
    if require_all():
        pytest.fail(f"required precondition missing ({REQUIRE_ALL_ENV}=1): {what}", pytrace=False)
    pytest.skip(what)
