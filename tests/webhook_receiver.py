"""A local HTTP server that records every POST: the receiving end of the alert automation in tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Recorder(BaseHTTPRequestHandler):
    calls: list[dict[str, Any]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.calls.append({"path": self.path, "type": self.headers.get("Content-Type"), "body": body.decode()})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def webhook_receiver(path: str = "/newsquotes-alert") -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve on a free 127.0.0.1 port for the block: yields (the URL to call, the calls recorded so far)."""
    calls: list[dict[str, Any]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Recorder", (_Recorder,), {"calls": calls}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}", calls
    finally:
        server.shutdown()
        server.server_close()
