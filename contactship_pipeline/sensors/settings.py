"""How often the self-healing sensors look, and how much one tick may do."""

import os
from dataclasses import dataclass, fields

from contactship_pipeline.api.contract import NON_TERMINAL_STATUSES
from contactship_pipeline.settings import SettingsError

# One count of the day, then at most one count per non-terminal status.
REQUESTS_PER_DAY = 1 + len(NON_TERMINAL_STATUSES)

# The variable each setting is read from.
ENVIRONMENT = {
    "missing_days_per_tick": "CONTACTSHIP_MISSING_DAYS_PER_TICK",
    "missing_days_interval_s": "CONTACTSHIP_MISSING_DAYS_INTERVAL_S",
    "recheck_days": "CONTACTSHIP_RECHECK_DAYS",
    "recheck_requests_per_tick": "CONTACTSHIP_RECHECK_REQUESTS_PER_TICK",
    "recheck_interval_s": "CONTACTSHIP_RECHECK_INTERVAL_S",
    "analysis_recheck_s": "CONTACTSHIP_ANALYSIS_RECHECK_S",
}


@dataclass(frozen=True)
class HealingSettings:
    """Limits of `missing_days_sensor` and `late_changes_sensor`.

    Args:
        missing_days_per_tick: most days one missing-days backfill covers.
        missing_days_interval_s: least time between two missing-days ticks.
        recheck_days: how many of the last complete days are compared with the API.
        recheck_requests_per_tick: most API requests one reconciliation tick sends.
        recheck_interval_s: least time between two reconciliation ticks.
        analysis_recheck_s: how long a recent day with answered calls still lacking their
            analysis waits before it is loaded again (and again, while some still lack it).
    """

    missing_days_per_tick: int = 10
    missing_days_interval_s: int = 300
    recheck_days: int = 7
    recheck_requests_per_tick: int = 40
    recheck_interval_s: int = 1800
    analysis_recheck_s: int = 21600

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or value < 1:
                raise SettingsError(
                    f"{ENVIRONMENT[field.name]}={value!r} must be a whole number, at least 1"
                )
        if self.recheck_requests_per_tick < REQUESTS_PER_DAY:
            raise SettingsError(
                f"{ENVIRONMENT['recheck_requests_per_tick']}={self.recheck_requests_per_tick} "
                f"cannot check even one day: a day can take {REQUESTS_PER_DAY} requests"
            )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "HealingSettings":
        """Read the `CONTACTSHIP_MISSING_DAYS_*` and `CONTACTSHIP_RECHECK_*` variables.

        Raises:
            SettingsError: a variable is set to something other than a positive whole number.
        """
        env = os.environ if environ is None else environ
        values = {}
        for name, variable in ENVIRONMENT.items():
            text = (env.get(variable) or "").strip()
            if not text:
                continue
            if not text.isdigit():
                raise SettingsError(f"{variable}={text!r} must be a whole number, at least 1")
            values[name] = int(text)
        return cls(**values)
