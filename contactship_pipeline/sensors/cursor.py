"""A sensor's memory between ticks, and the one backfill request each tick may make."""

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from dagster import AssetKey, SensorEvaluationContext, SensorResult, SkipReason

from contactship_pipeline.sensors.backfills import (
    HEALING_TAG,
    REQUEST_TAG,
    asset_backfill_request,
    unfinished_backfills,
)


@dataclass
class HealingCursor:
    """What a self-healing sensor keeps in its Dagster cursor (as JSON).

    Attributes:
        request: the id (tag `contactship/request`) of the last backfill this sensor asked for.
        days: the days that backfill covers.
        requested: per day, the API counts a reconciliation backfill was asked for.
        checked: per day, when reconciliation last compared it (seconds since the epoch).
        analysis: per day with answered calls awaiting analysis, since when (or since its last
            reload for them) it has been waiting, in seconds since the epoch.
    """

    request: str | None = None
    days: list[str] = field(default_factory=list)
    requested: dict[str, dict] = field(default_factory=dict)
    checked: dict[str, float] = field(default_factory=dict)
    analysis: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, text: str | None) -> "HealingCursor":
        """Read a cursor; an empty or unreadable one starts afresh."""
        try:
            values = json.loads(text or "{}")
            return cls(**values)
        except (TypeError, ValueError):
            return cls()

    def dump(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def still_running(
    context: SensorEvaluationContext, sensor_name: str, cursor: HealingCursor
) -> SkipReason | None:
    """A reason to skip this tick if the sensor's last backfill has not finished yet."""
    if cursor.request is None:
        return None
    tags = {HEALING_TAG: sensor_name, REQUEST_TAG: cursor.request}
    running = unfinished_backfills(context.instance, tags)
    if not running:
        return None
    return SkipReason(
        f"backfill {cursor.request} ({', '.join(running)}) over {', '.join(cursor.days)} "
        "is still running"
    )


def request_backfill(
    context: SensorEvaluationContext,
    sensor_name: str,
    cursor: HealingCursor,
    partitions: Mapping[AssetKey, Iterable[str]],
) -> SensorResult:
    """One asset backfill over `partitions`, remembered in the cursor under a new id."""
    days = sorted({day for keys in partitions.values() for day in keys})
    cursor.request = uuid.uuid4().hex[:12]
    cursor.days = days
    tags = {HEALING_TAG: sensor_name, REQUEST_TAG: cursor.request}
    request = asset_backfill_request(context.repository_def.asset_graph, partitions, tags)
    assets = ", ".join(sorted(key.to_user_string() for key in partitions))
    context.log.info(
        f"requesting backfill {cursor.request} of {len(days)} days ({', '.join(days)}) for {assets}"
    )
    return SensorResult(run_requests=[request], cursor=cursor.dump())
