"""`make dev`: the simulator and `dagster dev` together, the UI on 127.0.0.1:3000.

The simulator listens on 127.0.0.1:8765 with the key `demo-key`, so commands run in another
terminal reach it with the exports this prints. Stop everything with Ctrl-C or SIGTERM.
"""

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys

from contactship_pipeline.settings import Settings
from contactship_pipeline.simulator import Simulator

log = logging.getLogger("contactship_pipeline.dev")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=3000, help="port of the Dagster UI")
    parser.add_argument("--sim-port", type=int, default=8765, help="port of the simulator")
    parser.add_argument("--days", type=int, default=14, help="recent days with simulated calls")
    parser.add_argument("--calls-per-day", type=int, default=300)
    args = parser.parse_args(argv)
    log.addHandler(logging.StreamHandler(sys.stdout))
    log.setLevel(logging.INFO)

    settings = Settings.from_env()
    with Simulator(days=args.days, calls_per_day=args.calls_per_day, port=args.sim_port) as sim:
        # Every setting this was started with, so CLI commands load the same code location;
        # secrets other than the simulator's own demo key are left for the user to export.
        settings_given = {
            name: value
            for name, value in os.environ.items()
            if name.startswith("CONTACTSHIP_") and not name.endswith("_KEY")
        }
        exports = {
            **settings_given,
            "CONTACTSHIP_START_DATE": settings.start_date,
            "CONTACTSHIP_BASE_URL": sim.base_url,
            "CONTACTSHIP_API_KEY": sim.api_key,
            "DAGSTER_HOME": os.environ.get("DAGSTER_HOME", ""),
        }
        log.info(f"Simulator on {sim.base_url}: the last {args.days} days have calls.")
        log.info(
            f"Partitions from {settings.start_date}; Dagster UI on http://127.0.0.1:{args.port}"
        )
        log.info("For CLI commands in another terminal:")
        log.info("  export " + " ".join(f"{name}={value}" for name, value in exports.items()))
        command = [
            "dagster",
            "dev",
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(args.port),
        ]
        server = subprocess.Popen(
            command,
            env={**os.environ, **exports},
            # Its own process group, so one signal reaches dagster and every child it starts;
            # SIGINT reset to default, since a shell may have started this one ignoring it.
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            return server.wait()
        except KeyboardInterrupt:
            return _stop(server)


def _interrupt(*_) -> None:
    """SIGTERM unwinds like Ctrl-C, so the same clean stop runs outside the handler."""
    raise KeyboardInterrupt


def _stop(server: subprocess.Popen) -> int:
    """SIGTERM the whole group, SIGKILL what is left after a grace period."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    try:
        code = server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        code = None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    return code if code is not None else server.wait()


if __name__ == "__main__":
    sys.exit(main())
