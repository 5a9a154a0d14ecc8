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

# Transcript tables: each row names its call by `call_id`, which joins to `calls.id`. `raw` holds
# what could not be read, as sent; it is null on every row the parser fully understood.
CALL_TURNS_SCHEMA = pa.schema(
    [
        pa.field("call_id", pa.string(), nullable=False),
        # Null only on the one row kept for a field that could not be read at all.
        pa.field("turn_index", pa.int32()),
        pa.field("role", pa.string()),
        pa.field("text", pa.string()),
        pa.field("start_s", pa.float64()),
        pa.field("end_s", pa.float64()),
        pa.field("raw", pa.string()),
    ]
)

CALL_WORDS_SCHEMA = pa.schema(
    [
        pa.field("call_id", pa.string(), nullable=False),
        pa.field("turn_index", pa.int32(), nullable=False),
        pa.field("word_index", pa.int32(), nullable=False),
        pa.field("word", pa.string(), nullable=False),
        pa.field("start_s", pa.float64()),
        pa.field("end_s", pa.float64()),
    ]
)

CALL_TOOL_EVENTS_SCHEMA = pa.schema(
    [
        pa.field("call_id", pa.string(), nullable=False),
        # Null only on the one row kept for a field that could not be read at all.
        pa.field("event_index", pa.int32()),
        pa.field("after_turn_index", pa.int32()),
        pa.field("kind", pa.string()),
        pa.field("tool_call_id", pa.string()),
        pa.field("tool_name", pa.string()),
        # JSON text, so `{}`, `[]` and plain text all fit one string column.
        pa.field("arguments", pa.string()),
        pa.field("result", pa.string()),
        pa.field("raw", pa.string()),
    ]
)

AGENT_DAILY_SCHEMA = pa.schema(
    [
        pa.field("day", pa.date32(), nullable=False),
        pa.field("agent_id", pa.string()),
        pa.field("calls", pa.int64(), nullable=False),
        pa.field("answered_share", pa.float64(), nullable=False),
        pa.field("mean_duration_s", pa.float64()),
        pa.field("p90_duration_s", pa.float64()),
        pa.field("positive_share", pa.float64(), nullable=False),
        pa.field("neutral_share", pa.float64(), nullable=False),
        pa.field("negative_share", pa.float64(), nullable=False),
        pa.field("other_sentiment_share", pa.float64(), nullable=False),
        pa.field("no_sentiment_share", pa.float64(), nullable=False),
        pa.field("top_disconnection_reason", pa.string()),
        pa.field("disconnection_reasons", pa.string(), nullable=False),
        # Null when transcripts are off, so every day has one schema whatever the setting was.
        pa.field("turns", pa.int64()),
        pa.field("agent_turn_share", pa.float64()),
        pa.field("agent_talk_share", pa.float64()),
    ]
)

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "contactship/calls": CALLS_SCHEMA,
    "contactship/sentiment_daily": SENTIMENT_DAILY_SCHEMA,
    "contactship/disconnections_daily": DISCONNECTIONS_DAILY_SCHEMA,
    "contactship/call_turns": CALL_TURNS_SCHEMA,
    "contactship/call_words": CALL_WORDS_SCHEMA,
    "contactship/call_tool_events": CALL_TOOL_EVENTS_SCHEMA,
    "contactship/agent_daily": AGENT_DAILY_SCHEMA,
}


def empty_table(schema: pa.Schema) -> pa.Table:
    """A table of no rows that still carries every column and type."""
    return schema.empty_table()
