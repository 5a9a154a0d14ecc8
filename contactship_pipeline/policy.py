"""What the calls asset does with records it cannot keep and with personal data."""

from typing import Literal

import pyarrow as pa
from dagster import ConfigurableResource
from pydantic import ConfigDict, Field, model_validator

from contactship_pipeline.privacy import (
    REDACTED,
    TranscriptRedactor,
    keyed_hash,
    personal_values,
)
from contactship_pipeline.schema import PERSONAL_COLUMNS

# Shown by id in logs; more than this many are summarised.
_LOGGED_IDS = 20
# An HMAC of a phone number is only as strong as its key: a short one can be guessed.
SHORTEST_HASH_KEY = 16


class RejectedCallsError(ValueError):
    """Calls arrived that cannot be stored, and the policy says to fail."""


class CallsPolicy(ConfigurableResource):
    """Rules for rejected records and personal fields (`from`, contact name, phone, email).

    `personal_data`: `keep` stores values as sent; `hash` replaces each with a keyed HMAC-SHA256
    (the same value gives the same hash on every day, so it still joins); `drop` stores null.
    In `hash` and `drop` modes `extra_fields` is dropped too, as it may hold personal data,
    `call_analysis_summary` has the call's personal values replaced, and
    the transcript tables' free text loses the personal values it holds (`transcript_redactor`).
    """

    # A validation error must not quote the settings: one of them is the hash key.
    model_config = ConfigDict(hide_input_in_errors=True)

    rejected_calls: Literal["fail", "warn"] = Field(
        default="fail", description="fail the day, or warn and store the calls that are fine"
    )
    personal_data: Literal["keep", "hash", "drop"] = "keep"
    hash_key: str | None = Field(default=None, description="Secret for hash mode.")

    @model_validator(mode="after")
    def _hash_needs_key(self) -> "CallsPolicy":
        if self.personal_data == "hash" and len(self.hash_key or "") < SHORTEST_HASH_KEY:
            raise ValueError(
                f"personal_data='hash' needs a secret of at least {SHORTEST_HASH_KEY} characters: "
                "set CONTACTSHIP_HASH_KEY, and keep it the same so hashes join across days"
            )
        return self

    def check_rejected(self, rejected: list[tuple[str | None, str]], partition: str, log) -> None:
        """Log rejected calls by id and reason, then fail or warn as configured.

        Raises:
            RejectedCallsError: when any call was rejected and the policy is `fail`.
        """
        if not rejected:
            return
        lines = [f"{call_id or '(no id)'}: {reason}" for call_id, reason in rejected[:_LOGGED_IDS]]
        more = len(rejected) - len(lines)
        summary = (
            f"{partition}: {len(rejected)} calls could not be stored: "
            + "; ".join(lines)
            + (f"; and {more} more" if more > 0 else "")
        )
        if self.rejected_calls == "fail":
            raise RejectedCallsError(
                summary + ". Nothing was written; set rejected_calls='warn' to store the rest."
            )
        log.warning(summary)

    def protect(self, table: pa.Table) -> pa.Table:
        """Apply the personal-data mode to the calls table; the schema stays the same."""
        if self.personal_data == "keep":
            return table
        # The analysis summary is free text about the call: it can name the caller.
        redactor = self.transcript_redactor(table)
        summaries, _ = redactor.redact_text(
            table["id"].to_pylist(), table["call_analysis_summary"].to_pylist()
        )
        index = table.schema.get_field_index("call_analysis_summary")
        table = table.set_column(index, table.schema.field(index), pa.array(summaries, pa.string()))
        for name in (*PERSONAL_COLUMNS, "extra_fields"):
            column = table[name]
            if self.personal_data == "hash" and name != "extra_fields":
                values = [self._hash(value) for value in column.to_pylist()]
            else:
                values = [None] * len(column)
            index = table.schema.get_field_index(name)
            table = table.set_column(index, table.schema.field(name), pa.array(values, column.type))
        return table

    def transcript_redactor(self, calls: pa.Table) -> TranscriptRedactor | None:
        """What protects the transcript tables of `calls` (the calls table before `protect`):
        each personal value in their text becomes its hash, the same as in the calls table,
        or `[redacted]`. None in `keep` mode, which leaves the transcripts as sent."""
        if self.personal_data == "keep":
            return None
        marker = self._hash if self.personal_data == "hash" else lambda _value: REDACTED
        return TranscriptRedactor(personal_values(calls), marker)

    def _hash(self, value: str | None) -> str | None:
        if value is None:
            return None
        return keyed_hash(self.hash_key or "", value)
