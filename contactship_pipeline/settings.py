"""Settings read from the environment when the definitions load."""

import os
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contactship_pipeline.policy import SHORTEST_HASH_KEY

DEFAULT_START_DATE = "2026-01-01"
PERSONAL_DATA_MODES = ("keep", "hash", "drop")
REJECTED_CALLS_MODES = ("fail", "warn")
_SWITCHES = {"on": True, "true": True, "1": True, "yes": True}
_SWITCHES |= {"off": False, "false": False, "0": False, "no": False, "": False}
TRANSCRIPT_FORMATS = ("json", "toon")


class SettingsError(ValueError):
    """An environment variable holds a value the pipeline cannot use."""


@dataclass(frozen=True)
class TranscriptOptions:
    """Which transcript tables exist and how the API is asked for them.

    They shape the asset graph (no transcript assets at all when `enabled` is off), so they are
    read when the definitions load, like the time zone, and not changed per run.
    """

    enabled: bool = False
    words: bool = False
    tools: bool = False
    transcript_format: str = "json"

    @classmethod
    def from_env(cls, env: dict[str, str]) -> "TranscriptOptions":
        """Read `CONTACTSHIP_TRANSCRIPTS`, `_TRANSCRIPT_WORDS`, `_TOOLS` and `_FORMAT`.

        Raises:
            SettingsError: a switch that is not on/off, an unknown format, or words or tools
                asked for while transcripts are off.
        """
        options = cls(
            enabled=_switch(env, "CONTACTSHIP_TRANSCRIPTS"),
            words=_switch(env, "CONTACTSHIP_TRANSCRIPT_WORDS"),
            tools=_switch(env, "CONTACTSHIP_TRANSCRIPT_TOOLS"),
            transcript_format=(env.get("CONTACTSHIP_TRANSCRIPT_FORMAT") or "json").strip().lower(),
        )
        options.check()
        return options

    def check(self) -> None:
        if self.transcript_format not in TRANSCRIPT_FORMATS:
            raise SettingsError(
                f"CONTACTSHIP_TRANSCRIPT_FORMAT={self.transcript_format!r} is not json or toon"
            )
        for name, wanted in (("WORDS", self.words), ("TOOLS", self.tools)):
            if wanted and not self.enabled:
                raise SettingsError(
                    f"CONTACTSHIP_TRANSCRIPT_{name}=on needs CONTACTSHIP_TRANSCRIPTS=on"
                )


def _switch(env: dict[str, str], name: str) -> bool:
    value = (env.get(name) or "").strip().lower()
    if value not in _SWITCHES:
        raise SettingsError(f"{name}={value!r} is not a switch: use on or off")
    return _SWITCHES[value]


@dataclass(frozen=True)
class Settings:
    """What shapes the definitions themselves: where data goes and how days are cut.

    The API key and the hash key are not here: they stay `EnvVar`s so Dagster resolves them at
    run time and the UI shows only the variables' names.
    """

    data_dir: str = "./data"
    timezone: str = "UTC"
    start_date: str = DEFAULT_START_DATE
    base_url: str | None = None
    personal_data: str = "keep"
    rejected_calls: str = "fail"
    transcripts: TranscriptOptions = field(default_factory=TranscriptOptions)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Read the `CONTACTSHIP_*` variables of the README's configuration table, the
        transcript switches among them (`TranscriptOptions.from_env`).

        Raises:
            SettingsError: a value is invalid, or hash mode has no `CONTACTSHIP_HASH_KEY`.
        """
        env = os.environ if environ is None else environ
        settings = cls(
            data_dir=env.get("CONTACTSHIP_DATA_DIR") or cls.data_dir,
            timezone=env.get("CONTACTSHIP_TIMEZONE") or cls.timezone,
            start_date=env.get("CONTACTSHIP_START_DATE") or cls.start_date,
            base_url=env.get("CONTACTSHIP_BASE_URL") or None,
            personal_data=env.get("CONTACTSHIP_PERSONAL_DATA") or cls.personal_data,
            rejected_calls=env.get("CONTACTSHIP_REJECTED_CALLS") or cls.rejected_calls,
            transcripts=TranscriptOptions.from_env(env),
        )
        settings.check()
        hash_key = env.get("CONTACTSHIP_HASH_KEY") or ""
        if settings.personal_data == "hash" and len(hash_key) < SHORTEST_HASH_KEY:
            raise SettingsError(
                "CONTACTSHIP_PERSONAL_DATA=hash needs CONTACTSHIP_HASH_KEY: a random secret of "
                f"at least {SHORTEST_HASH_KEY} characters, the same on every run so hashed "
                "values join across days"
            )
        return settings

    def check(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(
                f"CONTACTSHIP_TIMEZONE={self.timezone!r} is not an IANA time zone "
                "(for example UTC or America/New_York)"
            ) from None
        for name, value, modes in (
            ("CONTACTSHIP_PERSONAL_DATA", self.personal_data, PERSONAL_DATA_MODES),
            ("CONTACTSHIP_REJECTED_CALLS", self.rejected_calls, REJECTED_CALLS_MODES),
        ):
            if value not in modes:
                raise SettingsError(f"{name}={value!r} is not one of {', '.join(modes)}")
        try:
            date.fromisoformat(self.start_date)
        except ValueError:
            raise SettingsError(
                f"CONTACTSHIP_START_DATE={self.start_date!r} is not a date like 2026-01-31"
            ) from None
