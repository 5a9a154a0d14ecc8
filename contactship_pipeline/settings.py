"""Settings read from the environment when the definitions load."""

import os
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contactship_pipeline.policy import SHORTEST_HASH_KEY

DEFAULT_START_DATE = "2026-01-01"
PERSONAL_DATA_MODES = ("keep", "hash", "drop")
REJECTED_CALLS_MODES = ("fail", "warn")


class SettingsError(ValueError):
    """An environment variable holds a value the pipeline cannot use."""


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

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Read the `CONTACTSHIP_*` variables of the README's configuration table.

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
