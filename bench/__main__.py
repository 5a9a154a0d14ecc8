"""`make bench`: this project, dlt and a naive flatten on the same simulated day, side by side.

Starts the simulator in its own process with one day of `--calls` calls, runs every step in a
fresh process against it (loopback, then `--latency-ms` per page), then a backfill of the daily
job one run at a time and two at a time. Prints the tables, keeps the numbers in
bench/results.json, and rewrites bench/RESULTS.md and the README's bench section from them.
`--calls 1000000` is the scale run: loopback only, kept beside the default run's results.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from datetime import date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from bench import render
from bench.backfill import time_backfill
from bench.processes import simulator
from bench.raw import day_count
from bench.report import README, RESULTS_JSON, RESULTS_MD, relative, save, write_files
from bench.runs import measure

DAY = date(2026, 4, 2)
BACKFILL_FIRST_DAY = date(2026, 5, 1)
SCALE_CALLS = 1_000_000
SMALL_CALLS = 100_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000, help="calls in the measured day")
    parser.add_argument("--latency-ms", type=int, default=20, help="per page; 0 skips that run")
    parser.add_argument("--max-page-size", type=int, default=100, help="the server's clamp")
    parser.add_argument("--concurrency", type=int, default=4, help="pages at a time, loopback")
    parser.add_argument("--latency-concurrency", type=int, default=16, help="with latency")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each step; best kept")
    parser.add_argument("--backfill-days", type=int, default=30, help="0 skips the backfill")
    parser.add_argument("--backfill-calls-per-day", type=int, default=5_000)
    parser.add_argument(
        "--render-only", action="store_true", help="rewrite the tables from results.json"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.render_only:
        stored = json.loads(RESULTS_JSON.read_text())
        write_files(render.results_markdown(stored), render.readme_section(stored))
        return 0
    scale = args.calls >= SCALE_CALLS
    work = Path(tempfile.mkdtemp(prefix="contactship-bench-"))
    run = {
        "command": " ".join(["make bench", *([f'ARGS="{" ".join(argv)}"'] if argv else [])]),
        "date": datetime.now().strftime("%Y-%m-%d"),
        "machine": _machine(),
        "calls": args.calls,
        "page_size": args.max_page_size,
        "concurrency": args.concurrency,
        "latency_concurrency": args.latency_concurrency,
        "latency_ms": args.latency_ms,
        "repeat": 1 if scale else args.repeat,
    }
    try:
        _day_runs(args, run, work, scale)
        if args.backfill_days and not scale:
            run["backfill"] = _backfill(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stored = save("scale" if scale else "default", run)
    print(render.render_run(run), "\n", "\n".join(render.targets(stored)), sep="\n")
    write_files(render.results_markdown(stored), render.readme_section(stored))
    print(f"\nWritten: {relative(RESULTS_MD)}, {relative(README)}")
    return 0


def _day_runs(args: argparse.Namespace, run: dict, work: Path, scale: bool) -> None:
    if scale:
        # The cost per call is compared with a default-sized day measured in this same run.
        print(f"Generating {SMALL_CALLS:,} calls in the simulator...", flush=True)
        with simulator(DAY, 1, SMALL_CALLS, args.max_page_size) as sim:
            steps = ("ceiling", "project")
            run["small"] = measure(sim, steps, DAY, args, args.concurrency, 2, work)
    print(f"Generating {args.calls:,} calls in the simulator...", flush=True)
    with simulator(DAY, 1, args.calls, args.max_page_size) as sim:
        expected = day_count(sim.base_url, DAY)
        if expected != args.calls:
            raise RuntimeError(f"the simulator holds {expected} calls, not {args.calls}")
        steps = render.SCALE_STEPS if scale else render.LOOPBACK_STEPS
        run["loopback"] = measure(sim, steps, DAY, args, args.concurrency, run["repeat"], work)
        if args.latency_ms and not scale:
            sim.set_latency(args.latency_ms)
            concurrency = args.latency_concurrency
            steps = render.LATENCY_STEPS
            run["latency"] = measure(sim, steps, DAY, args, concurrency, run["repeat"], work)


def _backfill(args: argparse.Namespace, work: Path) -> dict:
    days = [BACKFILL_FIRST_DAY + timedelta(days=n) for n in range(args.backfill_days)]
    calls = args.backfill_calls_per_day
    print(f"Backfill: {len(days)} days of {calls:,} calls, {args.latency_ms} ms...", flush=True)
    with simulator(days[0], len(days), calls, args.max_page_size, args.latency_ms) as sim:
        one = time_backfill(sim.base_url, days, 1, work / "backfill-1")
        two = time_backfill(sim.base_url, days, 2, work / "backfill-2")
    return {
        "days": len(days),
        "calls_per_day": calls,
        "latency_ms": args.latency_ms,
        "one": one,
        "two": two,
    }


def _machine() -> str:
    versions = ", ".join(f"{name} {version(name)}" for name in ("dagster", "pyarrow", "dlt"))
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {versions}"


if __name__ == "__main__":
    sys.exit(main())
