"""Run one measured step in this process: `python -m bench.step NAME --base-url ... --day ...`.

Prints `RESULT {json}` last: seconds of work, rows written, and this process's peak RSS.
"""

import argparse
import resource
import sys
from datetime import date
from pathlib import Path

from bench import peers, steps

STEPS = {
    "ceiling": steps.ceiling,
    "ceiling_stdlib": steps.ceiling_stdlib,
    "project": steps.project,
    "flatten": steps.flatten,
    "dlt": peers.dlt_rest_api,
    "dlt_clamped": lambda args: peers.dlt_rest_api(args, limit=10 * args.page_size),
    "naive": peers.naive_flatten,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.step", description=__doc__)
    parser.add_argument("name", choices=sorted(STEPS))
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--day", type=date.fromisoformat, required=True)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--sim-pid", type=int, default=None, help="the simulator's process")
    options = parser.parse_args(argv)
    options.work_dir.mkdir(parents=True, exist_ok=True)
    args = steps.StepArgs(
        options.base_url,
        options.day,
        options.page_size,
        options.concurrency,
        options.work_dir,
        options.sim_pid,
    )
    result = STEPS[options.name](args)
    # Linux reports the peak resident set in KiB.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    steps.write_result(result, peak_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
