"""Fault injection for crash tests: kill the pipeline at a named point, as a power cut or OOM killer would.

Set ``NEWSQUOTES_FAULT_KILL_AT=<point>`` (or ``<point>:<n>`` for the n-th time the point is reached in one
process) and the pipeline's process group gets SIGKILL there: the flow and any worker processes die at once,
with no chance to clean up. Points: ``read``, ``nlp``, ``parquet-write``, ``validate``, ``load`` (inside the
load transaction), ``publish`` (the staging copy complete, not yet renamed over the warehouse), ``committed``
(published).
Only for a pipeline started in its own process group (the crash tests start ``newsquotes run`` with a new
session); unset, it does nothing.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

KILL_AT_ENV = "NEWSQUOTES_FAULT_KILL_AT"
POINTS = ("read", "nlp", "parquet-write", "validate", "load", "publish", "committed")

_reached: Counter[str] = Counter()


def checkpoint(point: str) -> None:
    """Die here if the environment asks for it."""
    wanted = os.environ.get(KILL_AT_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _reached[point] += 1
    if _reached[point] >= int(nth or 1):
        os.killpg(os.getpgrp(), signal.SIGKILL)
