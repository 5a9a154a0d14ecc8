"""The loopback HTTP server: `GET /v1/calls` as the vendor documents it, plus control routes."""

import contextlib
import hmac
import json
import socket
import threading
import traceback
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from contactship_pipeline.simulator.faults import Fault, FaultPlan
from contactship_pipeline.simulator.journal import Journal
from contactship_pipeline.simulator.past import PastChanges
from contactship_pipeline.simulator.query import QueryError, parse_query
from contactship_pipeline.simulator.replies import Reply, fault_reply, json_reply, send
from contactship_pipeline.simulator.store import CallStore

CALLS_PATH = "/v1/calls"
_CONTROL_ROUTES = {
    ("POST", "/_control/faults"),
    ("POST", "/_control/reset"),
    ("POST", "/_control/calls"),
    ("DELETE", "/_control/calls"),
    ("POST", "/_control/past/complete"),
    ("POST", "/_control/past/late-call"),
}


@dataclass
class Backend:
    """Everything a request handler reads or changes."""

    store: CallStore
    plan: FaultPlan
    journal: Journal
    api_key: str
    max_page_size: int
    latency_ms: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    past: PastChanges | None = None


class SimulatorHTTPServer(ThreadingHTTPServer):
    """A threaded server that can also cut its open keep-alive connections on stop."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend: Backend):
        self.backend = backend
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, CallsHandler)

    def track(self, connection: socket.socket, open_now: bool) -> None:
        """Remember or forget a client connection."""
        with self._connections_lock:
            if open_now:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        """Shut every client connection, so idle keep-alive threads end with the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            # Already closed by its client or by a `reset` fault: nothing left to cut.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class IPv6SimulatorHTTPServer(SimulatorHTTPServer):
    """The same server on an IPv6 loopback address such as `::1`."""

    address_family = socket.AF_INET6


class CallsHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests (HTTP/1.1, so clients can keep it alive)."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection is dropped after this many seconds
    server: SimulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in separate writes; without this, delayed ACKs add 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the journal keeps the requests, and tests read that instead."""

    def _dispatch(self, method: str) -> None:
        backend = self.server.backend
        url = urlsplit(self.path)
        raw = parse_qs(url.query, keep_blank_values=True)
        params = {name: values[-1] for name, values in raw.items()}
        try:
            payload = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if method == "GET" and url.path == CALLS_PATH:
                reply = self._calls(url.query, raw, params)
            elif (method, url.path) in _CONTROL_ROUTES:
                reply = self._control(method, url.path, params, payload)
            else:
                reply = json_reply(404, {"message": f"No route for {method} {url.path}"})
        except Exception:
            traceback.print_exc()
            reply = json_reply(500, {"message": "Internal simulator error"})
        fault = reply.fault.kind if reply.fault else None
        index = backend.journal.record(method, url.path, params, reply.status, fault)
        if method == "GET" and url.path == CALLS_PATH:
            # Before the bytes go out, so a change made here is seen by the next request.
            backend.journal.run_hooks(index, params)
        try:
            send(self, reply, backend.stopping)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _authorised(self) -> bool:
        given = self.headers.get("x-api-key") or ""
        return hmac.compare_digest(given.encode(), self.server.backend.api_key.encode())

    def _calls(self, query_string: str, raw: dict, params: dict[str, str]) -> Reply:
        backend = self.server.backend
        if not self._authorised():
            return json_reply(401, {"message": "Invalid or missing API key"})
        try:
            query = parse_query(raw, backend.max_page_size)
        except QueryError as error:
            return json_reply(400, {"message": str(error)})
        if backend.latency_ms:
            backend.stopping.wait(backend.latency_ms / 1000)
        fault = backend.plan.pick(params)
        if fault is not None:
            return fault_reply(fault, query, query_string, backend.store)
        return Reply(200, backend.store.page_body(query_string, query))

    def _control(self, method: str, path: str, params: dict[str, str], payload: bytes) -> Reply:
        backend = self.server.backend
        if not self._authorised():
            return json_reply(401, {"message": "Invalid or missing API key"})
        if path == "/_control/reset":
            backend.plan.clear()
            return json_reply(200, {"message": "Faults cleared"})
        if path.startswith("/_control/past/"):
            return self._change_past(path, params)
        try:
            items = json.loads(payload or b"[]")
            if not isinstance(items, list):
                raise ValueError("The body must be a JSON list")
            if path == "/_control/faults":
                faults = [Fault.from_dict(item) for item in items]
                for fault in faults:
                    backend.plan.add(fault)
                return json_reply(200, {"faults": len(faults)})
            if method == "DELETE":
                return json_reply(200, {"deleted": backend.store.delete(items)})
            day = date.fromisoformat(params["day"]) if "day" in params else None
            return json_reply(200, {"upserted": backend.store.upsert(items, day)})
        except ValueError as error:
            return json_reply(400, {"message": str(error)})

    def _change_past(self, path: str, params: dict[str, str]) -> Reply:
        past = self.server.backend.past
        if past is None:
            return json_reply(404, {"message": "This server was started without past changes"})
        try:
            day = date.fromisoformat(params.get("day", ""))
        except ValueError:
            return json_reply(400, {"message": "Give the day to change as ?day=YYYY-MM-DD"})
        if path.endswith("/complete"):
            return json_reply(200, {"completed": past.complete_in_progress(day)})
        return json_reply(200, {"added": past.add_late_call(day)})
