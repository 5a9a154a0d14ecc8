"""A client for Contactship's `GET /v1/calls`, free of Dagster and storage."""

from contactship_pipeline.api.client import ContactshipClient
from contactship_pipeline.api.errors import (
    ContactshipAuthError,
    ContactshipBadRequestError,
    ContactshipConfigError,
    ContactshipDeadlineError,
    ContactshipError,
    ContactshipIncompleteError,
    ContactshipRateLimitedError,
    ContactshipResponseError,
    ContactshipServerError,
)
from contactship_pipeline.api.filters import CallFilters
from contactship_pipeline.api.paging import Page, WindowFetch
from contactship_pipeline.api.transport import RetryPolicy

__all__ = [
    "CallFilters",
    "ContactshipAuthError",
    "ContactshipBadRequestError",
    "ContactshipClient",
    "ContactshipConfigError",
    "ContactshipDeadlineError",
    "ContactshipError",
    "ContactshipIncompleteError",
    "ContactshipRateLimitedError",
    "ContactshipResponseError",
    "ContactshipServerError",
    "Page",
    "RetryPolicy",
    "WindowFetch",
]
