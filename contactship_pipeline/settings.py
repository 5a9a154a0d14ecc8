"""Settings read from the environment when the definitions load."""

import os
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_START_DATE = "2026-01-01"


class SettingsError(ValueError):
    """An environment variable holds a value the pipeline cannot use."""


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

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Read `CONTACTSHIP_DATA_DIR`, `_TIMEZONE`, `_START_DATE` and `_BASE_URL`."""
        env = os.environ if environ is None else environ
        settings = cls(
            data_dir=env.get("CONTACTSHIP_DATA_DIR") or cls.data_dir,
            timezone=env.get("CONTACTSHIP_TIMEZONE") or cls.timezone,
            start_date=env.get("CONTACTSHIP_START_DATE") or cls.start_date,
            base_url=env.get("CONTACTSHIP_BASE_URL") or None,
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
