"""The one published schema of every table the pipeline writes.

The calls table flattens the API's nested objects into `contact_*` and `call_analysis_*` columns.
Every day's file carries exactly these columns and types, whatever the day held: no calls, a
column that is null all day, a whole nested object missing, numbers sent as text.
"""

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")

# (column, path in the API's call object, type). The path is the source of truth for flattening.
CALL_COLUMNS: tuple[tuple[str, tuple[str, ...], pa.DataType], ...] = (
    ("id", ("id",), pa.string()),
    ("created_at", ("created_at",), TIMESTAMP),
    ("start_at", ("start_at",), TIMESTAMP),
    ("finished_at", ("finished_at",), TIMESTAMP),
    ("duration", ("duration",), pa.int64()),
    ("direction", ("direction",), pa.string()),
    ("type", ("type",), pa.string()),
    ("call_status", ("call_status",), pa.string()),
    ("call_result", ("call_result",), pa.string()),
    ("disconnection_reason", ("disconnection_reason",), pa.string()),
    ("call_analysis_summary", ("call_analysis", "summary"), pa.string()),
    ("call_analysis_sentiment", ("call_analysis", "sentiment"), pa.string()),
    ("agent_id", ("agent_id",), pa.string()),
    ("campaign_id", ("campaign_id",), pa.string()),
    ("from", ("from",), pa.string()),
    ("call_record", ("call_record",), pa.string()),
    ("contact_id", ("contact", "id"), pa.string()),
    ("contact_full_name", ("contact", "full_name"), pa.string()),
    ("contact_phone_number", ("contact", "phone_number"), pa.string()),
    ("contact_email", ("contact", "email"), pa.string()),
    ("contact_country", ("contact", "country"), pa.string()),
)

CALLS_SCHEMA = pa.schema(
    [
        pa.field(name, dtype, nullable=name not in ("id", "created_at"))
        for name, _, dtype in CALL_COLUMNS
    ]
    + [pa.field("extra_fields", pa.string())]
)

# Values that identify a person: never logged, hashed or dropped on request.
PERSONAL_COLUMNS = ("from", "contact_full_name", "contact_phone_number", "contact_email")

# Fields of a call that feed other tables, never the calls table's `extra_fields`.
TRANSCRIPT_FIELDS = ("chat_history", "chat_history_with_tools")

SENTIMENT_DAILY_SCHEMA = pa.schema(
    [
        pa.field("day", pa.date32(), nullable=False),
        pa.field("sentiment", pa.string()),
        pa.field("calls", pa.int64(), nullable=False),
        pa.field("share", pa.float64(), nullable=False),
    ]
)

DISCONNECTIONS_DAILY_SCHEMA = pa.schema(
    [
        pa.field("day", pa.date32(), nullable=False),
        pa.field("disconnection_reason", pa.string()),
        pa.field("calls", pa.int64(), nullable=False),
        pa.field("share", pa.float64(), nullable=False),
        pa.field("mean_duration_s", pa.float64()),
    ]
)

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "contactship/calls": CALLS_SCHEMA,
    "contactship/sentiment_daily": SENTIMENT_DAILY_SCHEMA,
    "contactship/disconnections_daily": DISCONNECTIONS_DAILY_SCHEMA,
}


def empty_table(schema: pa.Schema) -> pa.Table:
    """A table of no rows that still carries every column and type."""
    return schema.empty_table()
