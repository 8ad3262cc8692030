"""A run that cannot write its output (the Parquet lake, the DuckDB warehouse) stops with one clear error.

The error names the path, the reason in plain words ("read-only file system", "no space left on device") and
what state the output was left in. The original exception stays chained as ``__cause__`` for the traceback.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# errno values that mean "this place cannot take the write", as opposed to a bug or bad data
WRITE_FAILURE_ERRNOS: tuple[int, ...] = (
    errno.EROFS,
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EFBIG,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
)


class OutputWriteError(RuntimeError):
    """The run could not write the lake or the warehouse at ``path``; ``reason`` is the plain cause."""

    def __init__(self, message: str, *, path: Path, reason: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:  # survives pickling (process-pool and Dask workers)
        return (_rebuild, (str(self), str(self.path), self.reason))


def _rebuild(message: str, path: str, reason: str) -> OutputWriteError:
    return OutputWriteError(message, path=Path(path), reason=reason)


@contextmanager
def writing(what: str, path: Path, detail: str = "") -> Iterator[None]:
    """Turn an I/O failure inside the block into ``OutputWriteError("cannot write <what> at <path>: <reason>")``.

    ``what`` is e.g. "the Parquet lake"; ``detail`` is appended in brackets (which file, which part). Errors that
    are not write failures pass through unchanged.
    """
    try:
        yield
    except OSError as exc:
        reason = write_failure_reason(exc)
        if reason is None:
            raise
        raise OutputWriteError(
            f"cannot write {what} at {path}: {reason}{f' ({detail})' if detail else ''}", path=Path(path), reason=reason
        ) from exc


def write_failure_reason(exc: BaseException) -> str | None:
    """The plain reason of an I/O failure ("no space left on device"), or None when ``exc`` is not one.

    Understands OSError (its errno) and libraries that only keep the C library's text in their message (DuckDB:
    ``Could not write file "x.wal": No space left on device``), looking through chained causes as well.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = getattr(current, "errno", None)
        if isinstance(current, OSError) and code in WRITE_FAILURE_ERRNOS:
            return os.strerror(code).lower()
        text = str(current).lower()
        for candidate in WRITE_FAILURE_ERRNOS:
            reason = os.strerror(candidate).lower()
            if reason in text:
                return reason
        current = current.__cause__ or current.__context__
    return None


def retry_unless_unwritable(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry a failed task, except when its output cannot be written.

    A read-only folder or a full disk fails the same way a few seconds later, and the retry would report a
    different, earlier step (opening the warehouse) than the one that failed; so the run stops at once.
    """
    try:
        state.result()
    except OutputWriteError:
        return False
    except BaseException:
        return True
    return True
