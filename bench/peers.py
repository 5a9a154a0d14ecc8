"""What users would write instead: dlt's REST API source, and a hand-written pandas flatten.

dlt is configured the way its documentation shows for an offset API: an `offset` paginator
reading the total from `count`, `data` as the data selector, the key in a header, Parquet
files written by the filesystem destination. `limit` is the server's largest page size, so it
is not cut short by the clamp; `dlt_clamped` asks for more than that, as a user who does not
know the clamp would, to show what dlt's paginator then loses.
"""

import json
import os
from datetime import date
from pathlib import Path

import pyarrow.dataset as ds

from bench.raw import Window
from bench.serve import API_KEY
from bench.steps import EMPTY_DAY_OFFSET, StepArgs, Timer, stage_step


def dlt_rest_api(args: StepArgs, limit: int | None = None) -> dict:
    """dlt's `rest_api` source into Parquet, after one warm-up run on an empty day."""
    # dlt reports usage over the network unless told not to; this machine has no network.
    os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
    import dlt
    from dlt.sources.rest_api import rest_api_source

    limit = limit or args.page_size
    out = args.work_dir / "dlt"

    def run(day: date, name: str) -> None:
        window = Window(args.base_url, day, limit)
        params = {k: v for k, v in window.params(0, limit).items() if k not in ("offset", "limit")}
        source = rest_api_source(
            {
                "client": {
                    "base_url": args.base_url,
                    "auth": {
                        "type": "api_key",
                        "name": "x-api-key",
                        "api_key": API_KEY,
                        "location": "header",
                    },
                    "paginator": {
                        "type": "offset",
                        "limit": limit,
                        "offset_param": "offset",
                        "limit_param": "limit",
                        "total_path": "count",
                    },
                },
                "resources": [
                    {
                        "name": "calls",
                        "endpoint": {"path": "v1/calls", "params": params, "data_selector": "data"},
                    }
                ],
            }
        )
        pipeline = dlt.pipeline(
            pipeline_name=name,
            pipelines_dir=str(args.work_dir / "dlt_state"),
            destination=dlt.destinations.filesystem(bucket_url=str(out)),
            dataset_name=name,
        )
        pipeline.run(source, loader_file_format="parquet")

    run(args.day - EMPTY_DAY_OFFSET, "warmup")
    with Timer(args.sim_pid) as timer:
        run(args.day, "calls_day")
    files = sorted((out / "calls_day" / "calls").glob("*.parquet"))
    return timer.result(ds.dataset(files).count_rows() if files else 0, limit=limit)


def naive_flatten(args: StepArgs) -> dict:
    """`json.loads` every page, `pandas.json_normalize` the calls, `to_parquet`: the flatten
    stage is timed apart from fetching the same raw pages."""
    import pandas as pd

    def stage(bodies: list[bytes], path: Path) -> int:
        calls = [call for body in bodies for call in json.loads(body)["data"]]
        pd.json_normalize(calls).to_parquet(path)
        return ds.dataset(path).count_rows()

    return stage_step(args, stage)
