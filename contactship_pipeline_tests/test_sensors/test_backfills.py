"""Pins the Dagster internals the sensors rely on (see `contactship_pipeline/sensors/backfills.py`).

If a Dagster upgrade changes how a sensor asks for an asset backfill, this fails first. That
the daemon stores the request as a backfill, and `unfinished_backfills` follows its status, is
checked on the daemon's own code path in `test_daemon_path.py`.
"""

from dagster import AssetKey

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.sensors.backfills import asset_backfill_request
from contactship_pipeline.settings import Settings

CALLS = AssetKey(["contactship", "calls"])
SENTIMENT = AssetKey(["contactship", "sentiment_daily"])


def test_the_request_is_an_asset_backfill_of_exactly_those_partitions():
    graph = build_definitions(Settings(start_date="2026-03-10")).resolve_asset_graph()
    partitions = {CALLS: ["2026-03-13", "2026-03-11"], SENTIMENT: ["2026-03-13"]}

    request = asset_backfill_request(graph, partitions, {"contactship/request": "abc"})

    assert request.requires_backfill_daemon()
    assert (request.run_key, request.partition_key, request.asset_selection) == (None, None, None)
    assert request.tags == {"contactship/request": "abc"}
    subset = request.asset_graph_subset
    assert subset.non_partitioned_asset_keys == set()
    assert {
        key.to_user_string(): sorted(keys.get_partition_keys())
        for key, keys in subset.partitions_subsets_by_asset_key.items()
    } == {
        "contactship/calls": ["2026-03-11", "2026-03-13"],
        "contactship/sentiment_daily": ["2026-03-13"],
    }
