"""Errors raised by the Contactship API client.

Every message says what went wrong and what to do about it, and none carries the API key or
a personal value from a call record.
"""


class ContactshipError(Exception):
    """Base class for every error raised by the Contactship client."""


class ContactshipConfigError(ContactshipError):
    """A setting or filter is invalid; raised before any request is sent."""


class ContactshipAuthError(ContactshipError):
    """The API answered 401: the key is missing, wrong or revoked."""


class ContactshipBadRequestError(ContactshipError):
    """The API answered 400: a query parameter was rejected."""


class ContactshipRateLimitedError(ContactshipError):
    """The API kept answering 429 after every retry the settings allow."""


class ContactshipServerError(ContactshipError):
    """The API kept failing (5xx, resets, timeouts) after every retry the settings allow."""


class ContactshipResponseError(ContactshipError):
    """A 2xx answer whose body is not a page of calls (not JSON, cut off, an error object)."""


class ContactshipDeadlineError(ContactshipError):
    """A request, with its retries, ran past its total deadline."""


class ContactshipIncompleteError(ContactshipError):
    """Paging ended with a different number of calls than the API's count."""
