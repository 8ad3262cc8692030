"""Processes the tests start and stop by id, bounded waits, and the session's Prefect server.

The session has one real Prefect server (``prefect server start``: API, UI and its services, SQLite in its own
``PREFECT_HOME``, 127.0.0.1 only). Every test that talks to Prefect uses it: in-process flows, CLI children,
the dashboard's served flow, workers and browser. It is started by process id and stopped the same way
(SIGTERM, then SIGKILL after a bounded wait, descendants included).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import httpx
import pytest

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT_S = 180.0

T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (Linux /proc; children that started their own session included)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def stop_process(proc: subprocess.Popen[bytes], grace_s: float = 20.0) -> None:
    """SIGTERM the process, SIGKILL it after ``grace_s``; then the same for any descendant left behind."""
    family = _descendants(proc.pid) if proc.poll() is None else []
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    leftover = [pid for pid in family if _alive(pid)]
    for pid in leftover:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in leftover) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in leftover:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def run_bounded(args: list[str], env: dict[str, str], cwd: Path, log: Path, timeout_s: float) -> int:
    """Run a command to its end with output in ``log``; stop it (and its children) after ``timeout_s``."""
    with log.open("ab") as out:
        proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        stop_process(proc)
        pytest.fail(f"{' '.join(args)} did not finish within {timeout_s:.0f} s\n{log_tail(log)}")


def log_tail(path: Path | None, chars: int = 4000) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def wait_for(
    check: Callable[[], T | None],
    *,
    timeout_s: float,
    what: str,
    interval_s: float = 1.0,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> T:
    """Poll ``check`` until it returns something other than None; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{what}: the process exited with {proc.returncode}\n{log_tail(log)}")
        result = check()
        if result is not None:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}\n{log_tail(log)}")
        time.sleep(interval_s)


def base_env() -> dict[str, str]:
    """The environment of subprocesses: no inherited Prefect settings, no telemetry, the repository importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


@dataclass(frozen=True, slots=True)
class PrefectServer:
    url: str  # http://127.0.0.1:<port>: the UI; the API is under /api
    home: Path
    log: Path

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    def client(self) -> SyncPrefectClient:
        """A client of this server, whatever the test session's own Prefect settings say."""
        from prefect.client.orchestration import SyncPrefectClient

        return SyncPrefectClient(api=self.api_url)

    def client_env(self, name: str) -> dict[str, str]:
        """The environment of a Prefect client subprocess (CLI, runner, worker) of this server."""
        home = self.home.parent / f"client-{name}"
        home.mkdir(exist_ok=True)
        return {**base_env(), "PREFECT_API_URL": self.api_url, "PREFECT_HOME": str(home)}

    def healthy(self) -> bool | None:
        try:
            response = httpx.get(f"{self.api_url}/health", timeout=10.0)
        except httpx.HTTPError:
            return None
        return True if response.status_code == 200 else None


def prefect_cli() -> list[str]:
    return [sys.executable, "-m", "prefect"]


def start_prefect_server(root: Path) -> tuple[PrefectServer, subprocess.Popen[bytes]]:
    """``prefect server start`` on a free 127.0.0.1 port with its own PREFECT_HOME under ``root``, once its
    /api/health answers (a slow answer while it migrates its database is waited for, not an error)."""
    home = root / "home"
    home.mkdir(parents=True)
    port = free_port()
    server = PrefectServer(url=f"http://127.0.0.1:{port}", home=home, log=root / "server.log")
    # --host/--port bind the server; the UI learns its API address from these two settings
    env = {
        **base_env(),
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
    }
    with server.log.open("wb") as log:
        proc = subprocess.Popen(
            [*prefect_cli(), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        wait_for(
            server.healthy,
            timeout_s=SERVER_START_TIMEOUT_S,
            what="the Prefect server's /api/health",
            interval_s=0.25,
            proc=proc,
            log=server.log,
        )
    except BaseException:
        stop_process(proc)
        raise
    return server, proc
