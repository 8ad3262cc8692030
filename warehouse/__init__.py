"""SQL of the DuckDB warehouse, kept as .sql files beside this module."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any


@cache
def sql_text(name: str) -> str:
    """The text of ``warehouse/<name>.sql``."""
    return resources.files(__name__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def sql_statements(name: str) -> list[str]:
    """The statements of ``warehouse/<name>.sql``, in order (split on semicolons ending a line)."""
    body = "\n".join(line for line in sql_text(name).splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";\n") if s.strip().rstrip(";").strip()]


@contextmanager
def registered(con: Any, tables: Mapping[str, Any]) -> Iterator[None]:
    """Arrow tables (or frames) visible to the DuckDB connection's SQL under the given names, for the block."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)
