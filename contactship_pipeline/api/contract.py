"""What the vendor's page documents about `GET /v1/calls`, as data."""

import re

CALLS_PATH = "/v1/calls"
API_KEY_HEADER = "x-api-key"

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
TRANSCRIPT_FORMATS = ("json", "toon")

# A call in one of these states will change later, so its day may need a re-fetch.
NON_TERMINAL_STATUSES = ("in-progress", "in-queue", "scheduled")

_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def check_filters(
    call_status: str | None = None,
    call_result: str | None = None,
    agent_id: str | None = None,
    campaign_id: str | None = None,
    phone_number: str | None = None,
    transcript_format: str = "json",
) -> list[str]:
    """Return one message per filter that the API documents no such value for.

    Values are never echoed for the phone number, which is personal data.
    """
    problems = []
    if call_status is not None and call_status not in CALL_STATUSES:
        problems.append(f"call_status {call_status!r} is not one of {', '.join(CALL_STATUSES)}")
    if call_result is not None and call_result not in CALL_RESULTS:
        problems.append(f"call_result {call_result!r} is not one of {', '.join(CALL_RESULTS)}")
    for name, value in (("agent_id", agent_id), ("campaign_id", campaign_id)):
        if value is not None and not _UUID.match(value):
            problems.append(f"{name} {value!r} is not a UUID")
    if phone_number is not None and not _E164.match(phone_number):
        problems.append("phone_number is not in E.164 format (for example +12124567890)")
    if transcript_format not in TRANSCRIPT_FORMATS:
        problems.append(
            f"transcript_format {transcript_format!r} is not one of {', '.join(TRANSCRIPT_FORMATS)}"
        )
    return problems
