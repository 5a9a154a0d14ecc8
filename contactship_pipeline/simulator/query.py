"""The query parameters of `GET /v1/calls`, read strictly as the vendor page lists them."""

import re
from dataclasses import dataclass
from datetime import date, datetime

CALL_STATUSES = (
    "in-progress",
    "completed",
    "no-answer",
    "failed",
    "in-queue",
    "incomplete",
    "busy",
    "answering-machine",
    "scheduled",
    "voice_mail",
)
CALL_RESULTS = ("answered", "voicemail", "no_answer", "busy", "failed")
ORDERS = ("asc", "desc")
TRANSCRIPT_FORMATS = ("json", "toon")
_FLAGS = ("include_transcript", "include_words", "include_tools")
_TEXT_FILTERS = ("agent_id", "campaign_id", "phoneNumber")
ALLOWED_PARAMETERS = (
    "limit",
    "offset",
    "order",
    "date_from",
    "date_to",
    "call_status",
    "call_result",
    *_TEXT_FILTERS,
    *_FLAGS,
    "transcript_format",
)
_DIGITS = re.compile(r"[0-9]+")


class QueryError(ValueError):
    """A query parameter the API rejects with 400; the message names it."""


@dataclass(frozen=True)
class CallQuery:
    """One validated request; `limit` is already clamped to the largest page size."""

    limit: int = 20
    offset: int = 0
    order: str = "desc"
    date_from: date | None = None
    date_to: date | None = None
    call_status: str | None = None
    call_result: str | None = None
    agent_id: str | None = None
    campaign_id: str | None = None
    phone_number: str | None = None
    include_transcript: bool = False
    include_words: bool = False
    include_tools: bool = False
    transcript_format: str = "json"

    def filters(self) -> tuple:
        """The record filters other than dates, as a hashable key (all None: no filter)."""
        return (
            self.call_status,
            self.call_result,
            self.agent_id,
            self.campaign_id,
            self.phone_number,
        )

    def matches(self, call: dict) -> bool:
        """Whether a stored call passes the record filters (dates are handled by day)."""
        checks = (
            ("call_status", self.call_status),
            ("call_result", self.call_result),
            ("agent_id", self.agent_id),
            ("campaign_id", self.campaign_id),
        )
        if any(wanted is not None and call.get(name) != wanted for name, wanted in checks):
            return False
        if self.phone_number is None:
            return True
        contact = call.get("contact")
        contact_number = contact.get("phone_number") if isinstance(contact, dict) else None
        return self.phone_number in (call.get("from"), contact_number)


def parse_query(raw: dict[str, list[str]], max_page_size: int) -> CallQuery:
    """Validate the query string of one request.

    Args:
        raw: parameters as `urllib.parse.parse_qs(..., keep_blank_values=True)` gives them.
        max_page_size: the largest `limit` served; larger ones are clamped silently.

    Raises:
        QueryError: an unknown, repeated or invalid parameter.
    """
    for name, values in raw.items():
        if name not in ALLOWED_PARAMETERS:
            allowed = ", ".join(ALLOWED_PARAMETERS)
            raise QueryError(f"Unknown query parameter '{name}'; allowed: {allowed}")
        if len(values) > 1:
            raise QueryError(f"Query parameter '{name}' given {len(values)} times; give it once")
    params = {name: values[0] for name, values in raw.items()}
    text = {name: _text(params, name) for name in _TEXT_FILTERS}
    return CallQuery(
        limit=min(_count(params, "limit", 20), max_page_size),
        offset=_count(params, "offset", 0),
        order=_choice(params, "order", ORDERS, "desc"),
        date_from=_date(params, "date_from"),
        date_to=_date(params, "date_to"),
        call_status=_choice(params, "call_status", CALL_STATUSES, None),
        call_result=_choice(params, "call_result", CALL_RESULTS, None),
        agent_id=text["agent_id"],
        campaign_id=text["campaign_id"],
        phone_number=text["phoneNumber"],
        include_transcript=_flag(params, "include_transcript"),
        include_words=_flag(params, "include_words"),
        include_tools=_flag(params, "include_tools"),
        transcript_format=_choice(params, "transcript_format", TRANSCRIPT_FORMATS, "json"),
    )


def _count(params: dict[str, str], name: str, default: int) -> int:
    if name not in params:
        return default
    if not _DIGITS.fullmatch(params[name]):
        raise QueryError(f"Invalid '{name}': must be an integer >= 0, got {params[name]!r}")
    return int(params[name])


def _choice(params: dict[str, str], name: str, allowed: tuple, default: str | None) -> str | None:
    if name not in params:
        return default
    if params[name] not in allowed:
        raise QueryError(f"Invalid '{name}': must be one of {', '.join(allowed)}")
    return params[name]


def _date(params: dict[str, str], name: str) -> date | None:
    if name not in params:
        return None
    value = params[name]
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value).date()
    except ValueError:
        raise QueryError(f"Invalid '{name}': must be an ISO 8601 date such as 2026-01-01") from None


def _flag(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise QueryError(f"Invalid '{name}': must be true or false")
    return value == "true"


def _text(params: dict[str, str], name: str) -> str | None:
    if name in params and not params[name]:
        raise QueryError(f"Invalid '{name}': must not be empty")
    return params.get(name)
