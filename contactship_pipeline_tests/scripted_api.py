"""A loopback HTTP server that answers `/v1/calls` from a script, for the field cases.

It shares nothing with the pipeline: it is the other side of the contract, written for tests.
"""

import json
import threading
from collections.abc import Callable
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# (status, headers, body): body is JSON-encoded unless it is bytes.
Answer = tuple[int, dict[str, str], Any]
Responder = Callable[[dict[str, str]], Answer]


class ScriptedApi:
    """Serves a responder on 127.0.0.1 at a free port; records every request's parameters."""

    def __init__(self, responder: Responder, api_key: str = "case-key"):
        self.responder = responder
        self.api_key = api_key
        self.requests: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "ScriptedApi":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query, keep_blank_values=True))
                if self.headers.get("x-api-key") != api.api_key:
                    status, headers, body = 401, {}, {"message": "Invalid or missing API key"}
                else:
                    api.requests.append(params)
                    status, headers, body = api.responder(params)
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        return Handler


def serve_records(records: list[dict], params: dict[str, str]) -> Answer:
    """Answer like the documented API over a fixed set of calls: window, order, offset, limit."""
    first = date.fromisoformat(params["date_from"])
    last = date.fromisoformat(params["date_to"])
    chosen = [r for r in records if first <= date.fromisoformat(r["created_at"][:10]) <= last]
    chosen.sort(key=lambda r: (r["created_at"], r["id"]), reverse=params.get("order") == "desc")
    offset, limit = int(params.get("offset", 0)), int(params.get("limit", 20))
    return 200, {}, {"data": chosen[offset : offset + limit], "count": len(chosen)}


def middle_day(params: dict[str, str]) -> str:
    """The partition a request is for, when it asks a window with a day either side."""
    first = date.fromisoformat(params["date_from"])
    last = date.fromisoformat(params["date_to"])
    return (first + (last - first) / 2).isoformat()


def load_case(name: str) -> dict:
    from pathlib import Path

    return json.loads((Path(__file__).parent / "cases" / name).read_text())


def case_records(case: dict) -> list[dict]:
    """Every call in a case's pages, whatever shape the pages take."""
    records = []
    for page in case["api_pages"]:
        body = page.get("body", page)
        if isinstance(body, dict) and isinstance(body.get("data"), list):
            records.extend(body["data"])
    return records


__all__ = ["ScriptedApi", "case_records", "load_case", "middle_day", "serve_records"]
