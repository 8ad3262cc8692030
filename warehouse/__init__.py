"""SQL of the DuckDB warehouse, kept as .sql files beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql_text(name: str) -> str:
    """The text of ``warehouse/<name>.sql``."""
    return resources.files(__name__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def sql_statements(name: str) -> list[str]:
    """The statements of ``warehouse/<name>.sql``, in order (split on semicolons ending a line)."""
    body = "\n".join(line for line in sql_text(name).splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";\n") if s.strip().rstrip(";").strip()]
