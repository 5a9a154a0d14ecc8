"""What each measured process does; `python -m bench.step NAME ...` runs one of them.

Every step runs in a process of its own, so its peak RSS is its own. Each times only its work
(imports and a warm-up on an empty day are left out, alike for every step) and reports the
rows it wrote, read back from the files it wrote.
"""

import json
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from bench.raw import Window, fetch_pages
from bench.serve import API_KEY

QUIET_RUN = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
# A day the simulator holds no calls for: the warm-up materializes it first.
EMPTY_DAY_OFFSET = timedelta(days=20)


@dataclass
class StepArgs:
    """What every step is told: where the API is, which day, how to page, where to write."""

    base_url: str
    day: date
    page_size: int
    concurrency: int
    work_dir: Path


def ceiling(args: StepArgs) -> dict:
    """Fetch every page raw and decode it with orjson, nothing else."""
    window = Window(args.base_url, args.day, args.page_size)
    started = time.perf_counter()
    sizes = fetch_pages(window, args.concurrency, lambda body: len(orjson.loads(body)["data"]))
    return {"seconds": time.perf_counter() - started, "rows": sum(sizes)}


def project(args: StepArgs) -> dict:
    """This project's calls asset, materialized through Dagster with its resource and IO
    manager, after one warm-up run on an empty day."""
    from dagster import DagsterInstance, materialize

    from contactship_pipeline.definitions import build_definitions
    from contactship_pipeline.resources import ContactshipResource
    from contactship_pipeline.settings import Settings

    data_dir = args.work_dir / "project"
    settings = Settings(
        data_dir=str(data_dir),
        start_date=(args.day - 2 * EMPTY_DAY_OFFSET).isoformat(),
        base_url=args.base_url,
    )
    resource = ContactshipResource(
        base_url=args.base_url,
        api_key=API_KEY,
        page_size=args.page_size,
        max_concurrency=args.concurrency,
    )
    defs = build_definitions(settings, contactship=resource)
    assets = list(defs.assets)
    # The instance is there before any run in a deployment; made once here, like there.
    instance = DagsterInstance.ephemeral()

    def run(day: date) -> None:
        materialize(
            assets,
            resources=defs.resources,
            partition_key=day.isoformat(),
            selection="contactship/calls",
            run_config=QUIET_RUN,
            instance=instance,
        )

    run(args.day - EMPTY_DAY_OFFSET)
    started = time.perf_counter()
    run(args.day)
    seconds = time.perf_counter() - started
    path = data_dir / "contactship" / "calls" / f"{args.day.isoformat()}.parquet"
    return {"seconds": seconds, "rows": pq.read_metadata(path).num_rows}


def flatten(args: StepArgs) -> dict:
    """This project's flatten stage alone: the same raw pages to one Parquet file."""
    from contactship_pipeline.api import WindowFetch
    from contactship_pipeline.arrow_pages import ArrowCallsReader

    bodies = fetch_pages(Window(args.base_url, args.day, args.page_size), args.concurrency, bytes)
    path = args.work_dir / "flatten.parquet"
    started = time.perf_counter()
    reader = ArrowCallsReader()
    fetch = WindowFetch()
    reader.combine([reader.read(body, "bench page") for body in bodies], fetch)
    pq.write_table(fetch.records.table, path, compression="zstd")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": pq.read_metadata(path).num_rows}


def write_result(result: dict, rss_mb: float) -> None:
    """The last line a step prints: its result as JSON, read by the bench."""
    print("RESULT " + json.dumps({**result, "peak_rss_mb": round(rss_mb, 1)}), flush=True)
