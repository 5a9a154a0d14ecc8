"""One GET against the API with retries, timeouts and a total deadline, on urllib3."""

import json
import time
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError

from contactship_pipeline.api.contract import API_KEY_HEADER
from contactship_pipeline.api.deadline import DeadlineRetry, DeadlineTimeout, read_body
from contactship_pipeline.api.errors import (
    ContactshipAuthError,
    ContactshipBadRequestError,
    ContactshipDeadlineError,
    ContactshipError,
    ContactshipRateLimitedError,
    ContactshipResponseError,
    ContactshipServerError,
)
from contactship_pipeline.api.redact import scrub, scrub_urllib3_logs

RETRY_STATUSES = (429, 500, 502, 503, 504)
scrub_urllib3_logs()


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


@dataclass
class _Answer:
    status: int
    headers: Any
    body: bytes | None = None
    read_error: str | None = None
    tries: int = 1


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
        self._secrets = (headers.get(API_KEY_HEADER, ""),)

    def get_json(self, path: str, params: dict[str, str], what: str, parse=None) -> Response:
        """GET `path` and return its JSON body, retrying what is worth retrying.

        Args:
            path: the API path, such as `/v1/calls`.
            params: the query parameters.
            what: words naming the request in error messages (window, offset).
            parse: checks and converts the decoded body; a ContactshipResponseError it raises
                is retried like a failed request.

        Raises:
            ContactshipAuthError, ContactshipBadRequestError: at once, no retry.
            ContactshipRateLimitedError, ContactshipServerError, ContactshipResponseError,
            ContactshipDeadlineError: when the attempts or the deadline run out.
            Every message is scrubbed of the key, e-mail addresses and phone numbers, since
            it may quote the server.
        """
        try:
            return self._get_json(path, params, what, parse)
        except ContactshipError as error:
            raise type(error)(scrub(str(error), self._secrets)) from None

    def _get_json(self, path: str, params: dict[str, str], what: str, parse) -> Response:
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
                body = _decode(answer, what)
                return Response(parse(body) if parse else body, used)
            except ContactshipResponseError:
                if attempts_left <= 0:
                    raise
            pause = min(policy.backoff_factor_s * 2 ** (used - 1), policy.backoff_max_s)
            if time.monotonic() + pause > deadline:
                raise ContactshipDeadlineError(
                    f"{what}: the request deadline ran out; raise request_deadline_s "
                    "or try again later"
                )
            time.sleep(pause)

    def _retry(self, attempts_left: int, deadline: float) -> DeadlineRetry:
        policy = self.policy
        retry = DeadlineRetry(
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
        policy = self.policy
        timeout = DeadlineTimeout(policy.connect_timeout_s, policy.read_timeout_s, deadline)
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
                f"{what}: no answer after {policy.max_attempts} attempts "
                f"({type(exc.reason).__name__}); check CONTACTSHIP_BASE_URL and the API's status"
            ) from None
        except ContactshipDeadlineError as exc:
            raise ContactshipDeadlineError(f"{what}: {exc}") from None
        except HTTPError as exc:
            # Named by type only: urllib3's texts can carry the URL and its query.
            raise ContactshipServerError(
                f"{what}: the request failed ({type(exc).__name__}); "
                "check CONTACTSHIP_BASE_URL and the API's status"
            ) from None
        answer = _Answer(response.status, response.headers)
        answer.tries = 1 + len(response.retries.history) if response.retries else 1
        try:
            answer.body = read_body(response, deadline, policy.read_timeout_s, what)
        except HTTPError as exc:
            answer.read_error = type(exc).__name__
        finally:
            response.release_conn()
        return answer


def _decode(answer: "_Answer", what: str) -> Any:
    """Turn an answer into a JSON value, or raise the error its status means."""
    status, headers, body = answer.status, answer.headers, answer.body
    message = _server_message(body)
    if status in (401, 403):
        # 403 is not documented; a key without the right to read calls is the likely cause.
        raise ContactshipAuthError(
            f"{what}: the API rejected the key ({status}). Set CONTACTSHIP_API_KEY to a valid "
            "key from the Contactship dashboard (API settings)."
        )
    if status == 400:
        raise ContactshipBadRequestError(f"{what}: the API rejected the query (400): {message}")
    if status == 429:
        raise ContactshipRateLimitedError(
            f"{what}: still rate limited (429, Retry-After {headers.get('Retry-After')!r}) "
            "after every retry; lower the request rate or raise max_attempts"
        )
    if status >= 300:
        raise ContactshipServerError(f"{what}: the API answered {status}: {message}")
    if body is None:
        raise ContactshipResponseError(f"{what}: the body was cut off ({answer.read_error})")
    try:
        return json.loads(body)
    except ValueError:
        raise ContactshipResponseError(
            f"{what}: the body is not valid JSON (cut off, or not JSON at all)"
        ) from None


def _server_message(body: bytes | None) -> str:
    """The server's own message, short, for an error."""
    if not body:
        return "(empty body)"
    try:
        value = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    if isinstance(value, dict):
        for key in ("message", "error", "detail"):
            if key in value:
                return str(value[key])[:500]
    return str(value)[:200]
