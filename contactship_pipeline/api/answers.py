"""What an answer of the API means: its status as a typed error, its body as JSON.

A successful body is decoded once, by whoever reads it; the server's own message is read out
of a body only when the status is an error.
"""

import json
from dataclasses import dataclass
from typing import Any

from contactship_pipeline.api.errors import (
    ContactshipAuthError,
    ContactshipBadRequestError,
    ContactshipRateLimitedError,
    ContactshipResponseError,
    ContactshipServerError,
)


@dataclass
class Answer:
    """What came back for one request, after urllib3's own retries."""

    status: int
    headers: Any
    body: bytes | None = None
    read_error: str | None = None
    tries: int = 1


def checked_body(answer: Answer, what: str) -> bytes:
    """The body of a 2xx answer, or the error its status means."""
    status, headers, body = answer.status, answer.headers, answer.body
    if status in (401, 403):
        # 403 is not documented; a key without the right to read calls is the likely cause.
        raise ContactshipAuthError(
            f"{what}: the API rejected the key ({status}). Set CONTACTSHIP_API_KEY to a valid "
            "key from the Contactship dashboard (API settings)."
        )
    if status == 400:
        message = _server_message(body)
        raise ContactshipBadRequestError(f"{what}: the API rejected the query (400): {message}")
    if status == 429:
        raise ContactshipRateLimitedError(
            f"{what}: still rate limited (429, Retry-After {headers.get('Retry-After')!r}) "
            "after every retry; lower the request rate or raise max_attempts"
        )
    if status >= 300:
        message = _server_message(body)
        raise ContactshipServerError(f"{what}: the API answered {status}: {message}")
    if body is None:
        raise ContactshipResponseError(f"{what}: the body was cut off ({answer.read_error})")
    return body


def decode_json(body: bytes, what: str) -> Any:
    """A body as a JSON value.

    Raises:
        ContactshipResponseError: the body is not valid JSON.
    """
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
