"""`make demo`: a week of simulated calls through the real pipeline, then a summary.

Starts the built-in simulator on a free loopback port, materializes the daily job (calls, the
aggregates and any transcript tables switched on) for the last complete days through Dagster,
and reports what landed where.
"""

import argparse
import logging
import os
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from dagster import DagsterInstance
from upath import UPath

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.io_manager import read_frame
from contactship_pipeline.settings import Settings
from contactship_pipeline.simulator import Simulator

log = logging.getLogger("contactship_pipeline.demo")
QUIET_RUN = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=7, help="complete days to load")
    parser.add_argument("--calls-per-day", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    log.addHandler(logging.StreamHandler(sys.stdout))
    log.setLevel(logging.INFO)

    env = Settings.from_env()
    start = (datetime.now(UTC) - timedelta(days=args.days + 1)).date()
    with Simulator(seed=args.seed, days=args.days + 1, calls_per_day=args.calls_per_day) as sim:
        log.info(f"Simulator serving {args.calls_per_day} calls a day on {sim.base_url}")
        os.environ["CONTACTSHIP_API_KEY"] = sim.api_key
        settings = replace(env, start_date=start.isoformat(), base_url=sim.base_url)
        defs = build_definitions(settings)
        job = defs.resolve_job_def("contactship_daily")
        days = job.partitions_def.get_partition_keys()[-args.days :]
        home = os.environ.get("DAGSTER_HOME")
        instance = DagsterInstance.get() if home else DagsterInstance.ephemeral()
        log.info(f"Runs recorded in {home or 'a temporary Dagster instance'}")
        for day in days:
            result = job.execute_in_process(
                partition_key=day, instance=instance, run_config=QUIET_RUN
            )
            log.info(
                f"  {day}: run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'}"
            )
            if not result.success:
                return 1
    keys = defs.resolve_asset_graph().get_all_asset_keys()
    _summarise(settings.data_dir, days, sorted(key.path[-1] for key in keys))
    return 0


def _summarise(data_dir: str, days: list[str], tables: list[str]) -> None:
    root = UPath(data_dir)
    log.info(
        "\nday         calls  positive neutral negative  other   none  top disconnection reasons"
    )
    for day in days:
        calls = read_frame(root / "contactship" / "calls" / f"{day}.parquet")
        sentiment = read_frame(root / "contactship" / "sentiment_daily" / f"{day}.parquet")
        reasons = read_frame(root / "contactship" / "disconnections_daily" / f"{day}.parquet")
        shares = dict(zip(sentiment["sentiment"].fillna("none"), sentiment["share"], strict=True))
        named = [shares.pop(label, 0.0) for label in ("positive", "neutral", "negative")]
        none = shares.pop("none", 0.0)
        mix = "  ".join(f"{share:7.1%}" for share in [*named, sum(shares.values()), none])
        top = ", ".join(
            f"{reason} {share:.0%}"
            for reason, share in zip(
                reasons["disconnection_reason"].fillna("none")[:3],
                reasons["share"][:3],
                strict=True,
            )
        )
        log.info(f"{day}  {len(calls):5d}  {mix}  {top}")
    log.info(f"\nParquet files under {root.absolute()}/contactship/")
    for asset in tables:
        log.info(f"  {asset}/<YYYY-MM-DD>.parquet ({len(days)} days loaded by this run)")
    log.info("Each folder reads as one dataset (pandas, pyarrow, DuckDB): see the README.")


if __name__ == "__main__":
    sys.exit(main())
