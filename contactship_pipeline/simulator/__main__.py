"""Run the simulator until SIGINT or SIGTERM: `python -m contactship_pipeline.simulator --help`."""

import argparse
import signal
import sys
import threading

from contactship_pipeline.simulator.simulator import Simulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line; every option has the same default as `Simulator`."""
    parser = argparse.ArgumentParser(
        prog="python -m contactship_pipeline.simulator",
        description="Serve a deterministic Contactship calls API on a loopback port.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=8765, help="port to bind; 0 picks a free one")
    parser.add_argument("--seed", default="42", help="seed of the generated calls")
    parser.add_argument("--days", type=int, default=7, help="complete UTC days before today")
    parser.add_argument("--calls-per-day", type=int, default=50)
    parser.add_argument("--api-key", default="demo-key", help="the x-api-key to require")
    parser.add_argument("--max-page-size", type=int, default=100, help="limit is clamped to it")
    parser.add_argument("--latency-ms", type=int, default=0, help="pause before each page")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve until a stop signal arrives; return the exit status."""
    args = parse_args(argv)
    # A number given on the command line seeds the same data as that number in Python.
    seed = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed
    try:
        simulator = Simulator(
            seed=seed,
            days=args.days,
            calls_per_day=args.calls_per_day,
            api_key=args.api_key,
            max_page_size=args.max_page_size,
            latency_ms=args.latency_ms,
            host=args.host,
            port=args.port,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stopping = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stopping.set())
    try:
        simulator.start()
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    try:
        print(f"Contactship simulator listening on {simulator.base_url}", flush=True)
        # A short wait in a loop lets the signal handler run promptly on every platform.
        while not stopping.wait(0.2):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
