"""Keeping the API key and personal values out of every text the client passes on.

A server's error message is untrusted text: a gateway may echo the request, a key or a phone
number. urllib3 logs request URLs when it retries, and the `phoneNumber` filter is in the query.
"""

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# The query value of the phone filter, raw or percent-encoded, up to the next separator.
_PHONE_PARAMETER = re.compile(r"(phoneNumber=)[^&\s'\"]*")
REDACTED = "<redacted>"
# Shorter "secrets" (a test's "k") would garble ordinary words and protect nothing.
_SHORTEST_SECRET = 8


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` without the given secrets, e-mail addresses or E.164 phone numbers."""
    for secret in secrets:
        if len(secret) >= _SHORTEST_SECRET:
            # An echo may change the case (a header printed in lower case, say).
            text = re.sub(re.escape(secret), REDACTED, text, flags=re.IGNORECASE)
    text = _PHONE_PARAMETER.sub(r"\1" + REDACTED, text)
    text = _EMAIL.sub(REDACTED, text)
    return _E164.sub(REDACTED, text)


class ScrubUrllib3Records(logging.Filter):
    """Rewrites urllib3's log records (which carry request URLs) through `scrub`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


def scrub_urllib3_logs() -> None:
    """Put the filter on the urllib3 loggers that print URLs; calling it again adds nothing."""
    for name in ("urllib3.connectionpool", "urllib3.util.retry"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubUrllib3Records) for f in logger.filters):
            logger.addFilter(ScrubUrllib3Records())
