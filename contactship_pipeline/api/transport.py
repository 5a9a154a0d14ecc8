"""One GET against the API with retries, timeouts and a total deadline, on urllib3."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError
from urllib3.util.retry import Retry

from contactship_pipeline.api.answers import Answer, checked_body, decode_json
from contactship_pipeline.api.errors import (
    ContactshipDeadlineError,
    ContactshipResponseError,
    ContactshipServerError,
)

RETRY_STATUSES = (429, 500, 502, 503, 504)
_CHUNK = 1 << 18
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one request tries before it gives up."""

    max_attempts: int = 5
    backoff_factor_s: float = 0.5
    backoff_max_s: float = 30.0
    retry_after_min_s: float = 0.5
    retry_after_max_s: float = 60.0
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0
    deadline_s: float = 120.0


class _DeadlineRetry(Retry):
    """urllib3's Retry with a floor under Retry-After and a deadline no wait may cross."""

    retry_after_min: float = 0.0
    deadline: float | None = None

    def new(self, **kw: Any) -> "_DeadlineRetry":
        retry = super().new(**kw)
        retry.retry_after_min = self.retry_after_min
        retry.deadline = self.deadline
        return retry

    def parse_retry_after(self, retry_after: str) -> float:
        return max(super().parse_retry_after(retry_after), self.retry_after_min)

    def sleep(self, response: Any = None) -> None:
        wait = (self.get_retry_after(response) if response is not None else None) or (
            self.get_backoff_time()
        )
        if self.deadline is not None and time.monotonic() + wait > self.deadline:
            raise ContactshipDeadlineError(
                f"the next retry would wait {wait:.1f}s, past the request deadline; "
                "raise deadline_s or try again later"
            )
        super().sleep(response)


@dataclass
class Response:
    """A decoded 2xx answer and how many attempts it took."""

    body: Any
    attempts: int


class Transport:
    """Sends GET requests with one pooled connection set, shared by threads."""

    def __init__(self, base_url: str, headers: dict[str, str], policy: RetryPolicy, pool_size=4):
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self._pool = urllib3.PoolManager(num_pools=2, maxsize=pool_size, headers=headers)

    def get(self, path: str, params: dict[str, str], what: str, read: Callable[[bytes], T]):
        """GET `path` and return `read` of its raw 2xx body, retrying what is worth retrying.

        Args:
            path: the API path, such as `/v1/calls`.
            params: the query parameters.
            what: words naming the request in error messages (window, offset).
            read: decodes and checks the body; a ContactshipResponseError it raises is
                retried like a failed request.

        Returns:
            A `Response` whose `body` is what `read` returned.

        Raises:
            ContactshipAuthError, ContactshipBadRequestError: at once, no retry.
            ContactshipRateLimitedError, ContactshipServerError, ContactshipResponseError,
            ContactshipDeadlineError: when the attempts or the deadline run out.
        """
        policy = self.policy
        deadline = time.monotonic() + policy.deadline_s
        attempts_left = policy.max_attempts
        used = 0
        while True:
            retry = self._retry(attempts_left, deadline)
            answer = self._send(path, params, retry, deadline, what)
            used += answer.tries
            attempts_left -= answer.tries
            try:
                return Response(read(checked_body(answer, what)), used)
            except ContactshipResponseError:
                if attempts_left <= 0:
                    raise
            pause = min(policy.backoff_factor_s * 2 ** (used - 1), policy.backoff_max_s)
            if time.monotonic() + pause > deadline:
                raise ContactshipDeadlineError(f"{what}: the request deadline ran out")
            time.sleep(pause)

    def get_json(self, path: str, params: dict[str, str], what: str, parse=None) -> "Response":
        """`get` with the body decoded as JSON, then checked and converted by `parse`."""

        def read(body: bytes) -> Any:
            value = decode_json(body, what)
            return parse(value) if parse else value

        return self.get(path, params, what, read)

    def _retry(self, attempts_left: int, deadline: float) -> _DeadlineRetry:
        policy = self.policy
        retry = _DeadlineRetry(
            total=attempts_left - 1,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=policy.backoff_factor_s,
            backoff_max=policy.backoff_max_s,
            retry_after_max=policy.retry_after_max_s,
            respect_retry_after_header=True,
            raise_on_status=False,
            redirect=0,
        )
        retry.retry_after_min = policy.retry_after_min_s
        retry.deadline = deadline
        return retry

    def _send(self, path, params, retry, deadline, what):
        """Send once through urllib3 (which retries), then read the body within the deadline."""
        timeout = urllib3.Timeout(
            connect=self.policy.connect_timeout_s, read=self.policy.read_timeout_s
        )
        try:
            response = self._pool.request(
                "GET",
                self.base_url + path,
                fields=params,
                retries=retry,
                timeout=timeout,
                preload_content=False,
                redirect=False,
            )
        except MaxRetryError as exc:
            raise ContactshipServerError(
                f"{what}: no answer after {self.policy.max_attempts} attempts "
                f"({type(exc.reason).__name__}); check CONTACTSHIP_BASE_URL and the API's status"
            ) from None
        answer = Answer(response.status, response.headers)
        answer.tries = 1 + len(response.retries.history) if response.retries else 1
        try:
            answer.body = _read_within(response, deadline, what)
        except HTTPError as exc:
            answer.read_error = type(exc).__name__
        finally:
            response.release_conn()
        return answer


def _read_within(response, deadline: float, what: str) -> bytes:
    chunks = []
    while chunk := response.read(_CHUNK):
        chunks.append(chunk)
        if time.monotonic() > deadline:
            response.drain_conn()
            raise ContactshipDeadlineError(
                f"{what}: the body was still arriving at the request deadline"
            )
    return b"".join(chunks)
