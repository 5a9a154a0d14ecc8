"""Starting the simulator and the measured steps as processes of their own."""

import json
import subprocess
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

# Child processes run from the repository root, where `bench` and the pipeline import from.
ROOT = Path(__file__).resolve().parent.parent
STEP_TIMEOUT_S = 1800


class Simulator:
    """A running `bench.serve` process: its URL and pid, and a way to change its latency."""

    def __init__(self, process: subprocess.Popen, base_url: str):
        self.process = process
        self.base_url = base_url

    @property
    def pid(self) -> int:
        return self.process.pid

    def set_latency(self, latency_ms: int) -> None:
        self.process.stdin.write(f"latency {latency_ms}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split()
        if answer != ["latency", str(latency_ms)]:
            raise RuntimeError(f"the simulator did not take the latency: {answer}")


@contextmanager
def simulator(first_day: date, days: int, calls_per_day: int, max_page_size: int, latency_ms=0):
    """Start `bench.serve`, wait until its calls are generated and encoded, stop it at the end."""
    command = [
        sys.executable,
        "-m",
        "bench.serve",
        f"--first-day={first_day.isoformat()}",
        f"--days={days}",
        f"--calls-per-day={calls_per_day}",
        f"--max-page-size={max_page_size}",
        f"--latency-ms={latency_ms}",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        words = process.stdout.readline().split()
        if words[:1] != ["ready"]:
            raise RuntimeError(f"the simulator did not start: {words}")
        yield Simulator(process, words[1])
    finally:
        if process.poll() is None:
            process.stdin.write("stop\n")
            process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_step(name: str, sim: Simulator, day: date, page_size: int, concurrency: int, work: Path):
    """Run `bench.step NAME` in a fresh process and return its result (see `bench.steps`)."""
    work.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "bench.step",
        name,
        f"--base-url={sim.base_url}",
        f"--day={day.isoformat()}",
        f"--page-size={page_size}",
        f"--concurrency={concurrency}",
        f"--work-dir={work}",
        f"--sim-pid={sim.pid}",
    ]
    with open(work / "log.txt", "w") as log:
        done = subprocess.run(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            timeout=STEP_TIMEOUT_S,
            check=False,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"step {name} failed ({done.returncode}); see {work / 'log.txt'}")
    return json.loads(lines[-1].removeprefix("RESULT "))
