"""Each call's JSON text as served, made once and kept until the call changes.

A page body is then the texts of its calls joined, with the same bytes `json.dumps` would give
for the whole page, so the server spends its time on HTTP, not on encoding.
"""

import json

from contactship_pipeline.simulator.query import CallQuery
from contactship_pipeline.simulator.render import render_call


def render_mode(query: CallQuery) -> tuple:
    """What decides how a call is rendered: the transcript flags and their format."""
    return (
        query.include_transcript,
        query.include_words,
        query.include_tools,
        query.transcript_format,
    )


class EncodedCalls:
    """JSON texts of rendered calls by store key, one table per render mode (not thread-safe:
    the store calls it under its lock)."""

    def __init__(self) -> None:
        self._texts: dict[tuple, dict[str, bytes]] = {}

    def text(self, key: str, call: dict, query: CallQuery) -> bytes:
        """The call rendered for `query`, as JSON."""
        texts = self._texts.setdefault(render_mode(query), {})
        text = texts.get(key)
        if text is None:
            text = texts[key] = json.dumps(render_call(call, query)).encode()
        return text

    def forget(self, key: str) -> None:
        """Drop the texts of a call that changed or went away."""
        for texts in self._texts.values():
            texts.pop(key, None)


def page_body(texts: list[bytes], count: int) -> bytes:
    """`{"data": [...], "count": N}` from the calls' texts, as `json.dumps` spells it."""
    return b'{"data": [' + b", ".join(texts) + b'], "count": ' + str(count).encode() + b"}"
