"""One stored call as the API sends it, with the transcript fields the request asked for."""

import toon_format

from contactship_pipeline.simulator import transcripts
from contactship_pipeline.simulator.query import CallQuery


def render_call(call: dict, query: CallQuery) -> dict:
    """A shallow copy of `call` with `chat_history` fields added or removed per `query`.

    A stored call that carries its own transcript fields (an odd shape injected on
    purpose) is served with them as stored; otherwise they are generated from the id.
    Per-word timing needs `include_transcript=true`, as the vendor page says.
    """
    record = {key: value for key, value in call.items() if key not in transcripts.TRANSCRIPT_FIELDS}
    words = query.include_transcript and query.include_words
    if query.include_transcript:
        record["chat_history"] = _field(call, "chat_history", words, query.transcript_format)
    if query.include_tools:
        record["chat_history_with_tools"] = _field(
            call, "chat_history_with_tools", words, query.transcript_format
        )
    return record


def _field(call: dict, name: str, words: bool, transcript_format: str) -> object:
    if name in call:
        return call[name]
    if name == "chat_history":
        value = transcripts.chat_history(call, words)
    else:
        value = transcripts.chat_history_with_tools(call, words)
    return toon_format.encode(value) if transcript_format == "toon" else value
