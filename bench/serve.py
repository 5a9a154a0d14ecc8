"""The simulator in a process of its own, so its CPU is measured apart from the clients'.

`python -m bench.serve --first-day 2026-04-02 --days 1 --calls-per-day 100000` generates the
calls, encodes them ahead (the pages are then joins of ready JSON), prints
`ready <base_url> <pid>` and serves on 127.0.0.1 until its standard input closes or says `stop`.
A line `latency <ms>` changes the pause before every page while it serves. It also stops by
itself after `--lifetime-s`, so nothing is left running if the bench dies.
"""

import argparse
import sys
import threading
from datetime import date, timedelta

from contactship_pipeline.simulator import Simulator

API_KEY = "bench-key"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__)
    parser.add_argument("--first-day", type=date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--calls-per-day", type=int, required=True)
    parser.add_argument("--max-page-size", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--lifetime-s", type=float, default=3 * 3600)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    last_day = args.first_day + timedelta(days=args.days - 1)
    simulator = Simulator(
        seed=args.seed,
        start_date=args.first_day,
        end_date=last_day,
        calls_per_day=args.calls_per_day,
        api_key=API_KEY,
        max_page_size=args.max_page_size,
        latency_ms=args.latency_ms,
    )
    stopping = threading.Event()
    with simulator:
        # The window the pipeline asks for has a day either side.
        simulator.preserialise(args.first_day - timedelta(days=1), last_day + timedelta(days=1))
        print(f"ready {simulator.base_url}", flush=True)
        threading.Thread(target=_commands, args=(simulator, stopping), daemon=True).start()
        stopping.wait(args.lifetime_s)
    return 0


def _commands(simulator: Simulator, stopping: threading.Event) -> None:
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["latency"]:
            simulator.latency_ms = int(words[1])
            print(f"latency {simulator.latency_ms}", flush=True)
        elif words[:1] == ["stop"]:
            break
    stopping.set()


if __name__ == "__main__":
    sys.exit(main())
