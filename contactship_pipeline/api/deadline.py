"""A total deadline for one request: every attempt, every wait and every body read fit in it.

urllib3's timeouts are per socket operation: a body that trickles in a few bytes at a time
never trips them, and a retry can start just before the deadline and run a whole read timeout
past it. Here each attempt's timeouts shrink to the time that is left, and the body is read in
pieces with the deadline checked between them.
"""

import time
from typing import Any

from urllib3 import BaseHTTPResponse
from urllib3.exceptions import InvalidHeader, ReadTimeoutError
from urllib3.util.retry import Retry
from urllib3.util.timeout import Timeout

from contactship_pipeline.api.errors import ContactshipDeadlineError

_CHUNK = 1 << 16
# A socket timeout of zero would mean non-blocking; this is the least a last attempt gets.
_SHORTEST_WAIT_S = 0.01


class DeadlineTimeout(Timeout):
    """Connect and read timeouts that never reach past `deadline` (a `time.monotonic()` value).

    urllib3 clones the timeout at the start of every attempt, retries included, so the
    clone is where the time left is worked out.
    """

    def __init__(self, connect: float, read: float, deadline: float):
        super().__init__(connect=connect, read=read)
        self.deadline = deadline

    def clone(self) -> Timeout:
        left = max(self.deadline - time.monotonic(), _SHORTEST_WAIT_S)
        return Timeout(connect=self._connect, read=self._read, total=left)


class DeadlineRetry(Retry):
    """urllib3's Retry with a floor under Retry-After and a deadline no wait may cross."""

    retry_after_min: float = 0.0
    deadline: float | None = None

    def new(self, **kw: Any) -> "DeadlineRetry":
        retry = super().new(**kw)
        retry.retry_after_min = self.retry_after_min
        retry.deadline = self.deadline
        return retry

    def parse_retry_after(self, retry_after: str) -> float:
        try:
            seconds = super().parse_retry_after(retry_after)
        except InvalidHeader:
            # "soon", "1.5", "-3": a header that says nothing usable; back off as if absent.
            seconds = self.get_backoff_time()
        return max(seconds, self.retry_after_min)

    def sleep(self, response: Any = None) -> None:
        wait = (self.get_retry_after(response) if response is not None else None) or (
            self.get_backoff_time()
        )
        if self.deadline is not None and time.monotonic() + wait > self.deadline:
            raise ContactshipDeadlineError(
                f"the request deadline ran out (the next attempt would wait {wait:.1f}s); "
                "raise request_deadline_s or try again later"
            )
        super().sleep(response)


def read_body(response: BaseHTTPResponse, deadline: float, read_timeout: float, what: str) -> bytes:
    """Read the whole body, giving up at `deadline` however slowly the bytes come.

    Raises:
        ContactshipDeadlineError: the body was still arriving at the deadline; the connection
            is closed rather than drained, since draining would wait for the rest.
        urllib3.exceptions.HTTPError: the body was cut off or one read timed out.
    """
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _give_up(response, what)
        _limit_next_read(response, min(read_timeout, left))
        try:
            chunk = response.read1(_CHUNK)
        except ReadTimeoutError:
            if time.monotonic() >= deadline:
                _give_up(response, what)
            raise
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _give_up(response: BaseHTTPResponse, what: str) -> None:
    response.close()
    raise ContactshipDeadlineError(
        f"{what}: the body was still arriving at the request deadline; "
        "raise request_deadline_s or try again later"
    )


def _limit_next_read(response: BaseHTTPResponse, seconds: float) -> None:
    """Let the next socket read wait at most `seconds`."""
    connection = getattr(response, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, _SHORTEST_WAIT_S))
