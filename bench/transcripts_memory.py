"""Peak memory of one day of 5,000 calls with transcripts, words and tool calls.

Runs the simulator in its own process (so its memory is not counted), materializes one day
of `contactship/calls`, the transcript tables and `contactship/agent_daily` through Dagster in
this process, and prints this process's peak resident memory.

    python -m bench.transcripts_memory [--calls-per-day 5000] [--format json|toon]
        [--personal-data keep|hash|drop]
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

API_KEY = "bench-key"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls-per-day", type=int, default=5000)
    parser.add_argument("--format", choices=("json", "toon"), default="json")
    parser.add_argument("--no-tools", action="store_true", help="leave tool calls out")
    parser.add_argument("--baseline", action="store_true", help="transcripts off, to compare with")
    parser.add_argument("--budget-mib", type=float, help="exit 1 when the peak is above this")
    parser.add_argument(
        "--personal-data", choices=("keep", "hash", "drop"), default="keep", help="the policy"
    )
    args = parser.parse_args(argv)

    # Imported here so that the figure after imports is taken once they are all loaded.
    from dagster import DagsterInstance, materialize

    from contactship_pipeline.definitions import build_definitions
    from contactship_pipeline.policy import CallsPolicy
    from contactship_pipeline.resources import ContactshipResource
    from contactship_pipeline.settings import Settings, TranscriptOptions

    today = datetime.now(UTC).date()
    day = (today - timedelta(days=2)).isoformat()  # the middle of three simulated days
    options = TranscriptOptions(True, True, not args.no_tools, args.format)
    if args.baseline:
        options = TranscriptOptions()
    with _simulator(args.calls_per_day) as base_url, tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            data_dir=data_dir,
            start_date=(today - timedelta(days=3)).isoformat(),
            base_url=base_url,
            transcripts=options,
        )
        key = "bench-hash-key-0123456789" if args.personal_data == "hash" else None
        defs = build_definitions(
            settings,
            contactship=ContactshipResource(base_url=base_url, api_key=API_KEY),
            calls_policy=CallsPolicy(personal_data=args.personal_data, hash_key=key),
        )
        after_imports = _peak_mib()
        started = time.monotonic()
        result = materialize(
            list(defs.assets),
            resources=defs.resources,
            partition_key=day,
            instance=DagsterInstance.ephemeral(),
        )
        seconds = time.monotonic() - started
        peak = _peak_mib()
        rows = _rows(Path(data_dir), day)

    switches = f"format {options.transcript_format}, words on, tools {_on(options.tools)}"
    switches += f", personal data {args.personal_data}"
    print(
        f"transcripts memory: {args.calls_per_day} calls a day, "
        + (switches if options.enabled else "transcripts off (baseline)")
    )
    print("rows: " + ", ".join(f"{name} {count}" for name, count in rows.items()))
    print(f"run: {seconds:.1f} s, {'succeeded' if result.success else 'FAILED'}")
    print(f"peak RSS: {peak:.0f} MiB ({after_imports:.0f} MiB after imports)")
    if args.budget_mib is not None and peak > args.budget_mib:
        print(f"over the budget of {args.budget_mib:.0f} MiB")
        return 1
    return 0 if result.success else 1


class _simulator:
    """The simulator in a child process on a free loopback port; stopped on exit."""

    def __init__(self, calls_per_day: int):
        self.command = [
            sys.executable,
            "-m",
            "contactship_pipeline.simulator",
            "--port=0",
            "--days=3",
            f"--calls-per-day={calls_per_day}",
            f"--api-key={API_KEY}",
        ]

    def __enter__(self) -> str:
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "listening on " not in line:
            self.__exit__()
            raise RuntimeError(f"the simulator did not start: {line!r}")
        return line.rsplit(" ", 1)[1].strip()

    def __exit__(self, *exc_info: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def _on(switch: bool) -> str:
    return "on" if switch else "off"


def _peak_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(data_dir: Path, day: str) -> dict[str, int]:
    import pyarrow.parquet as pq

    tables = ("calls", "call_turns", "call_words", "call_tool_events", "agent_daily")
    return {
        name: pq.read_metadata(data_dir / "contactship" / name / f"{day}.parquet").num_rows
        for name in tables
        if (data_dir / "contactship" / name / f"{day}.parquet").exists()
    }


if __name__ == "__main__":
    sys.exit(main())
