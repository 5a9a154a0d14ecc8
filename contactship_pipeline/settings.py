"""Settings read from the environment when the definitions load."""

import os
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_START_DATE = "2026-01-01"
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

    The API key is not here: it stays an `EnvVar` so Dagster resolves it at run time and the
    UI shows only the variable's name.
    """

    data_dir: str = "./data"
    timezone: str = "UTC"
    start_date: str = DEFAULT_START_DATE
    base_url: str | None = None
    transcripts: TranscriptOptions = field(default_factory=TranscriptOptions)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Read `CONTACTSHIP_DATA_DIR`, `_TIMEZONE`, `_START_DATE`, `_BASE_URL` and the
        transcript switches (`TranscriptOptions.from_env`)."""
        env = os.environ if environ is None else environ
        settings = cls(
            data_dir=env.get("CONTACTSHIP_DATA_DIR") or cls.data_dir,
            timezone=env.get("CONTACTSHIP_TIMEZONE") or cls.timezone,
            start_date=env.get("CONTACTSHIP_START_DATE") or cls.start_date,
            base_url=env.get("CONTACTSHIP_BASE_URL") or None,
            transcripts=TranscriptOptions.from_env(env),
        )
        settings.check()
        return settings

    def check(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(
                f"CONTACTSHIP_TIMEZONE={self.timezone!r} is not an IANA time zone "
                "(for example UTC or America/New_York)"
            ) from None
        try:
            date.fromisoformat(self.start_date)
        except ValueError:
            raise SettingsError(
                f"CONTACTSHIP_START_DATE={self.start_date!r} is not a date like 2026-01-31"
            ) from None
