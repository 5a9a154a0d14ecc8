"""`make dev`: the simulator and `dagster dev` together, the UI on 127.0.0.1:3000.

Point the UI at the real API instead by running `dagster dev -w workspace.yaml` yourself with
`CONTACTSHIP_API_KEY` and `CONTACTSHIP_BASE_URL` set.
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from contactship_pipeline.simulator import Simulator

log = logging.getLogger("contactship_pipeline.dev")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=3000, help="port of the Dagster UI")
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--calls-per-day", type=int, default=300)
    args = parser.parse_args(argv)
    log.addHandler(logging.StreamHandler(sys.stdout))
    log.setLevel(logging.INFO)

    with Simulator(days=args.days, calls_per_day=args.calls_per_day) as sim:
        start = (datetime.now(UTC) - timedelta(days=args.days)).date()
        env = {
            **os.environ,
            "CONTACTSHIP_BASE_URL": sim.base_url,
            "CONTACTSHIP_API_KEY": sim.api_key,
            "CONTACTSHIP_START_DATE": os.environ.get("CONTACTSHIP_START_DATE", start.isoformat()),
        }
        log.info(f"Simulator on {sim.base_url}; Dagster UI on http://127.0.0.1:{args.port}")
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
        # Its own process group, so one signal stops dagster and every child it started.
        server = subprocess.Popen(command, env=env, start_new_session=True)
        signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGINT))
        try:
            return server.wait()
        except KeyboardInterrupt:
            return _stop(server)


def _stop(server: subprocess.Popen) -> int:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        return server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        return server.wait()


if __name__ == "__main__":
    sys.exit(main())
