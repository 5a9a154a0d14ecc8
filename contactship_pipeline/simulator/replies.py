"""What the server sends back, normal or faulty, and how the bytes go out on the socket."""

import dataclasses
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler

from contactship_pipeline.simulator.faults import Fault
from contactship_pipeline.simulator.query import CallQuery
from contactship_pipeline.simulator.store import CallStore

JSON_TYPE = "application/json"
_DEFAULT_MESSAGES = {
    400: "Bad Request",
    401: "Invalid or missing API key",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_GATEWAY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"


@dataclass
class Reply:
    """One answer: `delivery` says how it leaves (`whole`, `trickle`, `truncate`,
    `reset` or `hang`); `status` is None when nothing is sent at all."""

    status: int | None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": JSON_TYPE})
    delivery: str = "whole"
    fault: Fault | None = None


def json_reply(status: int, payload: object, headers: dict[str, str] | None = None) -> Reply:
    """A complete JSON answer."""
    return Reply(
        status, json.dumps(payload).encode(), {"Content-Type": JSON_TYPE, **(headers or {})}
    )


def fault_reply(fault: Fault, query: CallQuery, query_string: str, store: CallStore) -> Reply:
    """The answer `fault` gives to a valid request (`query`) instead of the real page."""
    kind = fault.kind
    if kind == "status":
        reply = _status_reply(fault)
    elif kind in ("reset", "hang"):
        reply = Reply(None, delivery=kind)
    elif kind in ("trickle", "truncate"):
        reply = Reply(200, store.page_body(query_string, query), delivery=kind)
    elif kind == "not_json":
        text = fault.body if isinstance(fault.body, str) else _GATEWAY_PAGE
        reply = Reply(200, text.encode(), {"Content-Type": "text/html; charset=utf-8"})
    elif kind == "error_body":
        reply = json_reply(200, fault.body or {"message": "Service temporarily unavailable"})
    else:
        reply = json_reply(200, _changed_page(fault, query, store))
    return dataclasses.replace(reply, fault=fault)


def send(handler: BaseHTTPRequestHandler, reply: Reply, stopping: threading.Event) -> None:
    """Write `reply` on the handler's connection the way its `delivery` says."""
    if reply.delivery == "reset":
        # Linger 0 makes close() send RST: the client sees "connection reset by peer".
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        return
    if reply.delivery == "hang":
        stopping.wait(reply.fault.seconds)
        handler.close_connection = True
        return
    handler.send_response(reply.status)
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    if reply.delivery == "truncate":
        # No Content-Length: the client reads to the close and cannot tell the body is cut.
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(reply.body[: len(reply.body) // 2])
        handler.close_connection = True
        return
    handler.send_header("Content-Length", str(len(reply.body)))
    handler.end_headers()
    if reply.delivery == "trickle":
        _trickle(handler, reply, stopping)
    else:
        handler.wfile.write(reply.body)


def _trickle(handler: BaseHTTPRequestHandler, reply: Reply, stopping: threading.Event) -> None:
    size = reply.fault.chunk_bytes
    for start in range(0, len(reply.body), size):
        handler.wfile.write(reply.body[start : start + size])
        if start + size < len(reply.body) and stopping.wait(reply.fault.interval):
            handler.close_connection = True
            return


def _status_reply(fault: Fault) -> Reply:
    headers = dict(fault.headers or {})
    if fault.retry_after_in is not None:
        headers["Retry-After"] = formatdate(time.time() + fault.retry_after_in, usegmt=True)
    body = fault.body
    if body is None:
        body = {"message": _DEFAULT_MESSAGES.get(fault.status, "Error")}
    if isinstance(body, str):
        return Reply(fault.status, body.encode(), {"Content-Type": "text/plain", **headers})
    return json_reply(fault.status, body, headers)


def _changed_page(fault: Fault, query: CallQuery, store: CallStore) -> dict:
    records, count = store.page(query)
    if fault.kind == "short_page":
        return {"data": records[: fault.keep], "count": count}
    if fault.kind == "duplicate":
        # The same call on two pages: the first record of the page before this one.
        previous = dataclasses.replace(query, offset=max(query.offset - query.limit, 0))
        earlier = store.page(previous)[0] if query.offset else records
        return {"data": earlier[:1] + records, "count": count}
    if fault.envelope == "data_null":
        return {"data": None, "count": count}
    if fault.envelope == "count_string":
        return {"data": records, "count": str(count)}
    return {"data": records}
