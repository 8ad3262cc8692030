"""``newsquotes <args>`` as a real child process that starts with the pipeline already imported.

A plain ``python -m newsquotes.cli`` spends about 10 s of CPU importing Prefect, Great Expectations and spaCy
before it reads its arguments; the suite runs dozens of them. Here a multiprocessing forkserver imports all of
that once (and loads the spaCy model), and each command is a child forked from it:

- its own process and its own session (``os.setsid``), so a fault kill (``NEWSQUOTES_FAULT_KILL_AT``) takes
  the command and its pool workers and nothing else, and its exit status is ``-SIGKILL`` as for a subprocess;
- its own environment (``NEWSQUOTES_*`` settings are read when the command runs);
- stdout and stderr captured, ``newsquotes.cli.main`` run exactly as the console script runs it, exit
  statuses (argparse's 2 included) and an uncaught exception's traceback and status 1 as the interpreter gives.

Prefect reads its own settings when it is imported, so the forkserver starts with the session server's
``PREFECT_API_URL`` in its environment, and a command cannot change ``PREFECT_*`` settings: tests that need
another Prefect configuration (the temporary-server path, ``serve``) start ``python -m newsquotes.cli`` itself.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

PRELOAD = ["tests.cli_preload"]

_context: multiprocessing.context.ForkServerContext | None = None
_api_url: str | None = None


def start(api_url: str) -> None:
    """Start the forkserver (once per session) with the pipeline imported and Prefect pointed at ``api_url``."""
    global _context, _api_url
    if _context is not None:
        if api_url != _api_url:
            raise RuntimeError(f"the CLI forkserver reports to {_api_url}, not {api_url}")
        return
    os.environ["PREFECT_API_URL"] = api_url  # read by the forkserver's import of Prefect
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    from multiprocessing import forkserver

    forkserver.ensure_running()
    _context, _api_url = context, api_url


def _child(argv: list[str], env: dict[str, str], out: str, err: str) -> None:
    os.setsid()
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    code = 1
    try:
        from newsquotes.cli import main

        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
    os._exit(code)


class Command:
    """One forked ``newsquotes`` command, started; ``wait()`` gives its CompletedProcess."""

    def __init__(self, args: Sequence[str | Path], env: dict[str, str] | None = None) -> None:
        if _context is None:
            raise RuntimeError("tests.cli_process.start() first (the cli fixture does)")
        full_env = {**os.environ, **(env or {})}
        changed = sorted(k for k in full_env if k.startswith("PREFECT_") and full_env[k] != os.environ.get(k))
        if changed:
            raise ValueError(f"a forked command keeps the forkserver's Prefect settings; cannot change {changed}")
        self.args = ["newsquotes", *map(str, args)]
        self._tmp = tempfile.TemporaryDirectory(prefix="newsquotes-cli-")
        self._out, self._err = os.path.join(self._tmp.name, "stdout"), os.path.join(self._tmp.name, "stderr")
        self._child = _context.Process(target=_child, args=(self.args[1:], full_env, self._out, self._err))
        self._child.start()
        self.pid = self._child.pid

    def poll(self) -> int | None:
        """The exit status, or None while the command runs."""
        return self._child.exitcode

    def wait(self, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        self._child.join(timeout)
        if self._child.exitcode is None:
            self.kill()
            raise subprocess.TimeoutExpired(self.args, timeout)
        try:
            stdout = Path(self._out).read_text(encoding="utf-8", errors="replace")
            stderr = Path(self._err).read_text(encoding="utf-8", errors="replace")
        finally:
            self._tmp.cleanup()
        return subprocess.CompletedProcess(self.args, self._child.exitcode, stdout, stderr)

    def kill(self) -> None:
        """SIGKILL the command's session (it and its pool workers), if it is still running."""
        if self._child.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._child.pid, signal.SIGKILL)
            self._child.join()


def run(
    args: Sequence[str | Path], *, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``newsquotes <args>`` in a forked child; like ``subprocess.run(..., capture_output=True, text=True)``."""
    return Command(args, env).wait(timeout)
