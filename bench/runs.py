"""Running each step of a bench round, the same number of times, and keeping the best run."""

import argparse
import shutil
from datetime import date
from pathlib import Path

from bench.processes import Simulator, run_step

# Steps that only show an effect (the clamp): one run is enough.
ONCE = {"dlt_clamped"}


def measure(
    sim: Simulator,
    steps: tuple[str, ...],
    day: date,
    args: argparse.Namespace,
    concurrency: int,
    repeat: int,
    work: Path,
) -> dict[str, dict]:
    """Each step's fastest run of `repeat`, the steps taking turns so they share the load."""
    best: dict[str, dict] = {}
    for attempt in range(repeat):
        for name in steps:
            if name in ONCE and name in best:
                continue
            folder = work / f"{name}-{concurrency}-{attempt}"
            print(f"  {name:15s} c={concurrency:<3d}", end="", flush=True)
            result = run_step(name, sim, day, args.max_page_size, concurrency, folder)
            shutil.rmtree(folder, ignore_errors=True)
            timed = "stage_seconds" if "stage_seconds" in result else "seconds"
            print(f" {result[timed]:7.2f}s  {result['rows']:>9,} rows", flush=True)
            if name not in best or result[timed] < best[name][timed]:
                best[name] = result
    return best
