"""What each measured process does; `python -m bench.step NAME ...` runs one of them.

Every step runs in a process of its own, so its peak RSS is its own. Each times only its work
(imports and a warm-up are left out, alike for every step), samples the simulator's CPU time
over the same span, and reports the rows it wrote, read back from the files it wrote.
"""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import orjson
import psutil
import pyarrow.parquet as pq

from bench.raw import Window, fetch_pages
from bench.serve import API_KEY

QUIET_RUN = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
# A day the simulator holds no calls for: the warm-up materializes it first.
EMPTY_DAY_OFFSET = timedelta(days=20)


@dataclass
class StepArgs:
    """What every step is told: where the API is, which day, how to page, where to write,
    and the simulator's process id, whose CPU time the step samples around its timed work."""

    base_url: str
    day: date
    page_size: int
    concurrency: int
    work_dir: Path
    sim_pid: int | None = None


class Timer:
    """Wall time of the timed work, and the simulator's CPU seconds over the same span."""

    def __init__(self, sim_pid: int | None):
        self._sim = psutil.Process(sim_pid) if sim_pid else None

    def __enter__(self) -> "Timer":
        self._sim_start = self._sim_cpu()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.perf_counter() - self.started
        self.sim_cpu_s = self._sim_cpu() - self._sim_start

    def result(self, rows: int, **extra: object) -> dict:
        return {"seconds": self.seconds, "sim_cpu_s": self.sim_cpu_s, "rows": rows, **extra}

    def _sim_cpu(self) -> float:
        if self._sim is None:
            return 0.0
        times = self._sim.cpu_times()
        return times.user + times.system


def ceiling(args: StepArgs, decode=orjson.loads) -> dict:
    """Fetch every page raw and decode it (orjson by default), nothing else."""
    window = Window(args.base_url, args.day, args.page_size)
    with Timer(args.sim_pid) as timer:
        sizes = fetch_pages(window, args.concurrency, lambda body: len(decode(body)["data"]))
    return timer.result(sum(sizes))


def ceiling_stdlib(args: StepArgs) -> dict:
    """The ceiling with the standard library's `json.loads` as the decoder."""
    return ceiling(args, json.loads)


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
    with Timer(args.sim_pid) as timer:
        run(args.day)
    path = data_dir / "contactship" / "calls" / f"{args.day.isoformat()}.parquet"
    return timer.result(pq.read_metadata(path).num_rows)


def flatten(args: StepArgs) -> dict:
    """This project's flatten stage alone, as the asset runs it: runs of raw pages read
    together on `concurrency` threads, combined, written to one Parquet file."""
    from contactship_pipeline.api import WindowFetch
    from contactship_pipeline.api.window import MAX_RUN
    from contactship_pipeline.arrow_pages import ArrowCallsReader

    def stage(bodies: list[bytes], path: Path) -> int:
        reader = ArrowCallsReader()
        runs = [bodies[i : i + MAX_RUN] for i in range(0, len(bodies), MAX_RUN)]
        with ThreadPoolExecutor(args.concurrency) as threads:
            read = threads.map(lambda run: reader.read_many(run, "bench pages"), runs)
            pages = [page for run in read for page in run]
        fetch = WindowFetch()
        reader.combine(pages, fetch)
        pq.write_table(fetch.records.table, path, compression="zstd")
        return pq.read_metadata(path).num_rows

    return stage_step(args, stage)


def stage_step(args: StepArgs, stage) -> dict:
    """Fetch the raw pages, then time `stage(bodies, path) -> rows` apart from the fetch: the
    second of two runs over all the pages, the steady state of a process that loads day after
    day. The simulator works during the fetch."""
    window = Window(args.base_url, args.day, args.page_size)
    with Timer(args.sim_pid) as fetching:
        bodies = fetch_pages(window, args.concurrency, bytes)
    stage(bodies, args.work_dir / "warm-up.parquet")
    started = time.perf_counter()
    rows = stage(bodies, args.work_dir / "stage.parquet")
    stage_seconds = time.perf_counter() - started
    result = fetching.result(rows, stage_seconds=stage_seconds, fetch_seconds=fetching.seconds)
    return {**result, "seconds": fetching.seconds + stage_seconds}


def write_result(result: dict, rss_mb: float) -> None:
    """The last line a step prints: its result as JSON, read by the bench."""
    print("RESULT " + json.dumps({**result, "peak_rss_mb": round(rss_mb, 1)}), flush=True)
