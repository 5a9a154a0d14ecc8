"""A backfill of the daily job, one run at a time against two at a time.

`time_backfill` splits the days between worker processes (`python -m bench.backfill ...`);
each worker runs the whole daily job (every daily table and its checks) for its days, one after
another, through Dagster with the real resource and IO manager, as a backfill's runs would.
The time counted is from starting the workers to the last one ending.
"""

import argparse
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench.processes import ROOT, STEP_TIMEOUT_S
from bench.serve import API_KEY
from bench.steps import QUIET_RUN


def time_backfill(base_url: str, days: list[date], workers: int, data_dir: Path) -> float:
    """Seconds for `workers` processes to run the daily job over `days` (round robin)."""
    shares = [days[index::workers] for index in range(workers)]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.backfill",
                f"--base-url={base_url}",
                f"--data-dir={data_dir}",
                "--days=" + ",".join(day.isoformat() for day in share),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for share in shares
    ]
    failures = []
    for process in processes:
        _, errors = process.communicate(timeout=STEP_TIMEOUT_S)
        if process.returncode != 0:
            failures.append(errors[-2000:])
    if failures:
        raise RuntimeError("a backfill worker failed:\n" + "\n".join(failures))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backfill", description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--days", required=True, help="comma-separated partition keys")
    args = parser.parse_args(argv)
    from dagster import DagsterInstance

    from contactship_pipeline.definitions import build_definitions
    from contactship_pipeline.resources import ContactshipResource
    from contactship_pipeline.settings import Settings

    days = args.days.split(",")
    first = date.fromisoformat(min(days)) - timedelta(days=1)
    settings = Settings(
        data_dir=str(args.data_dir), start_date=first.isoformat(), base_url=args.base_url
    )
    resource = ContactshipResource(base_url=args.base_url, api_key=API_KEY)
    job = build_definitions(settings, contactship=resource).resolve_job_def("contactship_daily")
    instance = DagsterInstance.ephemeral()
    for day in days:
        job.execute_in_process(partition_key=day, instance=instance, run_config=QUIET_RUN)
    return 0


if __name__ == "__main__":
    sys.exit(main())
