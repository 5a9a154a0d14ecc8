"""The Contactship API as a Dagster resource: settings in, calls of a window out."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from dagster import ConfigurableResource
from pydantic import ConfigDict, Field, model_validator

from contactship_pipeline.api import CallFilters, ContactshipClient, RetryPolicy, WindowFetch
from contactship_pipeline.api.contract import check_filters
from contactship_pipeline.arrow_pages import ArrowCallsReader

DEFAULT_BASE_URL = "https://api.contactship.ai"


class ContactshipResource(ConfigurableResource):
    """Settings for `GET /v1/calls`; the key comes from `CONTACTSHIP_API_KEY` via `EnvVar`."""

    # A validation error must not quote the settings: one of them is the API key.
    model_config = ConfigDict(hide_input_in_errors=True)

    # No default here: run config that replaces this resource's settings must name the URL,
    # or it would silently fall back to the production API with whatever key it carries.
    base_url: str = Field(description="API root URL, such as https://api.contactship.ai.")
    api_key: str = Field(description="API key, sent in the x-api-key header only.")
    page_size: int = Field(default=100, ge=1, description="The limit asked per page.")
    connect_timeout_s: float = Field(default=5.0, gt=0)
    read_timeout_s: float = Field(default=30.0, gt=0, description="Per socket read.")
    request_deadline_s: float = Field(
        default=120.0, gt=0, description="Total time one page may take, retries included."
    )
    max_attempts: int = Field(default=5, ge=1, description="Attempts per page request.")
    backoff_factor_s: float = Field(default=0.5, ge=0)
    retry_after_min_s: float = Field(default=0.5, ge=0, description="Floor under Retry-After.")
    retry_after_max_s: float = Field(default=60.0, ge=0, description="Cap on Retry-After.")
    max_passes: int = Field(default=2, ge=1, description="Passes before a count mismatch fails.")
    max_concurrency: int = Field(
        default=4,
        ge=1,
        le=64,
        description="Pages fetched at once once the first page has given the count; 1 pages "
        "one after another.",
    )
    call_status: str | None = None
    call_result: str | None = None
    agent_id: str | None = None
    campaign_id: str | None = None
    phone_number: str | None = Field(default=None, description="E.164, sent as phoneNumber.")

    @model_validator(mode="after")
    def _filters_are_documented(self) -> "ContactshipResource":
        problems = check_filters(
            self.call_status, self.call_result, self.agent_id, self.campaign_id, self.phone_number
        )
        if problems:
            raise ValueError("Invalid Contactship filter: " + "; ".join(problems))
        return self

    def client(
        self, page_hook: Callable[[list[dict[str, Any]]], None] | None = None, **include: bool | str
    ) -> ContactshipClient:
        """A client with these settings; `include` takes the transcript include flags and
        `page_hook` sees each page's calls as they arrive (see `ContactshipClient`)."""
        policy = RetryPolicy(
            max_attempts=self.max_attempts,
            backoff_factor_s=self.backoff_factor_s,
            retry_after_min_s=self.retry_after_min_s,
            retry_after_max_s=self.retry_after_max_s,
            connect_timeout_s=self.connect_timeout_s,
            read_timeout_s=self.read_timeout_s,
            deadline_s=self.request_deadline_s,
        )
        filters = CallFilters(
            call_status=self.call_status,
            call_result=self.call_result,
            agent_id=self.agent_id,
            campaign_id=self.campaign_id,
            phone_number=self.phone_number,
            **include,
        )
        return ContactshipClient(
            base_url=self.base_url,
            api_key=self.api_key,
            page_size=self.page_size,
            filters=filters,
            policy=policy,
            max_passes=self.max_passes,
            max_concurrency=self.max_concurrency,
            page_hook=page_hook,
        )

    def fetch_window(
        self,
        date_from: date,
        date_to: date,
        page_hook: Callable[[list[dict[str, Any]]], None] | None = None,
        **include: bool | str,
    ) -> WindowFetch:
        """Every call created from `date_from` to `date_to`, inclusive, once each, as the dicts
        the API sent (`fetch.records`); `include` and `page_hook` as for `client`."""
        return self.client(page_hook, **include).fetch_window(date_from, date_to)

    def fetch_calls(
        self,
        date_from: date,
        date_to: date,
        window: tuple[datetime, datetime] | None = None,
        page_hook: Callable[[list[dict[str, Any]]], None] | None = None,
        **include: bool | str,
    ) -> WindowFetch:
        """The same calls flattened into the calls table as they arrive: `fetch.records` is a
        `FlatCalls`, the calls created in `window` (UTC) as an Arrow table, and its report.
        With transcripts included every page goes the careful way, `page_hook` seeing its
        dicts first."""
        reader = ArrowCallsReader(window, page_hook, fast=not include)
        return self.client(**include).fetch_window(date_from, date_to, reader)
