"""Transcript switches from the environment, and the assets they put in the definitions."""

import pytest
from dagster import Definitions

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.settings import Settings, SettingsError, TranscriptOptions

BASE = {"CONTACTSHIP_START_DATE": "2026-03-01"}


def _asset_keys(environ: dict[str, str]) -> set[str]:
    defs = build_definitions(Settings.from_env({**BASE, **environ}))
    Definitions.validate_loadable(defs)
    return {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}


def test_transcripts_are_off_unless_switched_on():
    assert Settings.from_env(BASE).transcripts == TranscriptOptions(False, False, False, "json")
    assert not {"contactship/call_turns", "contactship/call_words"} & _asset_keys({})


def test_each_switch_adds_its_table():
    on = {"CONTACTSHIP_TRANSCRIPTS": "on"}
    words = {**on, "CONTACTSHIP_TRANSCRIPT_WORDS": "true"}
    tools = {**on, "CONTACTSHIP_TRANSCRIPT_TOOLS": "yes", "CONTACTSHIP_TRANSCRIPT_FORMAT": "TOON"}
    transcript_keys = {"contactship/call_turns", "contactship/call_words"}
    transcript_keys |= {"contactship/call_tool_events"}
    assert _asset_keys(on) & transcript_keys == {"contactship/call_turns"}
    assert _asset_keys(words) & transcript_keys == {
        "contactship/call_turns",
        "contactship/call_words",
    }
    assert _asset_keys(tools) & transcript_keys == {
        "contactship/call_turns",
        "contactship/call_tool_events",
    }
    assert Settings.from_env({**BASE, **tools}).transcripts == TranscriptOptions(
        True, False, True, "toon"
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"CONTACTSHIP_TRANSCRIPTS": "maybe"},
            "CONTACTSHIP_TRANSCRIPTS='maybe' is not a switch: use on or off",
        ),
        (
            {"CONTACTSHIP_TRANSCRIPT_WORDS": "on"},
            "CONTACTSHIP_TRANSCRIPT_WORDS=on needs CONTACTSHIP_TRANSCRIPTS=on",
        ),
        (
            {"CONTACTSHIP_TRANSCRIPTS": "on", "CONTACTSHIP_TRANSCRIPT_FORMAT": "xml"},
            "CONTACTSHIP_TRANSCRIPT_FORMAT='xml' is not json or toon",
        ),
    ],
)
def test_a_bad_switch_is_refused_with_the_variable_to_fix(environ, message):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({**BASE, **environ})
    assert str(raised.value) == message
