"""Asset backfills asked for by a sensor: the only place the sensors use Dagster internals.

Dagster 1.13 gives sensors no public way to request an asset backfill, nor to look up a
backfill. The two functions below use the non-public pieces that Dagster's own declarative
automation uses, and `test_backfills.py` pins what they do, so an upgrade that changes them
fails there first.
"""

from collections.abc import Iterable, Mapping

from dagster import AssetKey, DagsterInstance, RunRequest
from dagster._core.definitions.assets.graph.asset_graph_subset import AssetGraphSubset
from dagster._core.definitions.events import AssetKeyPartitionKey
from dagster._core.execution.backfill import BulkActionsFilter, BulkActionStatus

# Which sensor asked, and which of its requests this is (the id is kept in its cursor).
HEALING_TAG = "contactship/healing"
REQUEST_TAG = "contactship/request"

_UNFINISHED = [BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING, BulkActionStatus.FAILING]


def asset_backfill_request(
    asset_graph, partitions: Mapping[AssetKey, Iterable[str]], tags: Mapping[str, str]
) -> RunRequest:
    """A request that the sensor daemon turns into one asset backfill over `partitions`.

    Args:
        asset_graph: the code location's asset graph (`context.repository_def.asset_graph`).
        partitions: the partition keys to materialize, per asset.
        tags: put on the backfill and on each of its runs.
    """
    wanted = {
        AssetKeyPartitionKey(key, partition)
        for key, keys in partitions.items()
        for partition in keys
    }
    subset = AssetGraphSubset.from_asset_partition_set(wanted, asset_graph)
    return RunRequest.for_asset_graph_subset(subset, tags=dict(tags))


def unfinished_backfills(instance: DagsterInstance, tags: Mapping[str, str]) -> list[str]:
    """Ids of the backfills carrying every one of `tags` that have not finished yet."""
    backfills = instance.get_backfills(
        filters=BulkActionsFilter(statuses=_UNFINISHED, tags=dict(tags))
    )
    return [backfill.backfill_id for backfill in backfills]
