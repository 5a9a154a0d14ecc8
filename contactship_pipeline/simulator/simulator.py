"""`Simulator`: the Contactship calls API on a loopback port, with its data in reach of tests."""

import threading
from datetime import date

from contactship_pipeline.simulator.data import CallGenerator
from contactship_pipeline.simulator.faults import Fault, FaultPlan
from contactship_pipeline.simulator.journal import Journal, RequestHook
from contactship_pipeline.simulator.past import PastChanges
from contactship_pipeline.simulator.server import (
    Backend,
    IPv6SimulatorHTTPServer,
    SimulatorHTTPServer,
)
from contactship_pipeline.simulator.settings import date_range, require_loopback
from contactship_pipeline.simulator.store import CallStore


class Simulator:
    """A deterministic Contactship API; use it as a context manager or call start/stop.

    Args:
        seed: every call follows from it (and from the dates and counts).
        start_date: first UTC day with calls; give it with `end_date`, or give `days`.
        end_date: last UTC day with calls; its last hours hold calls still running.
        days: the D complete UTC days before `today` (default 7 when no dates are given).
        today: the day taken as today for `days`; the real UTC date when None.
        calls_per_day: generated calls per day (the vendor's example call comes on top).
        api_key: the `x-api-key` every request must send.
        max_page_size: larger `limit` values are clamped to it without a word.
        latency_ms: pause before every `/v1/calls` answer.
        host: a loopback address to bind.
        port: the port to bind; 0 picks a free one.

    Raises:
        ValueError: dates given together with `days`, one date alone, a non-loopback
            host, or non-positive sizes.
    """

    def __init__(
        self,
        *,
        seed: object = 42,
        start_date: date | None = None,
        end_date: date | None = None,
        days: int | None = None,
        today: date | None = None,
        calls_per_day: int = 50,
        api_key: str = "demo-key",
        max_page_size: int = 100,
        latency_ms: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        start_date, end_date = date_range(start_date, end_date, days, today)
        if max_page_size < 1 or latency_ms < 0:
            raise ValueError("max_page_size must be >= 1 and latency_ms >= 0")
        self.host = require_loopback(host)
        self.seed = seed
        self.start_date = start_date
        self.end_date = end_date
        self._port = port
        self._generator = CallGenerator(seed, start_date, end_date, calls_per_day)
        store = CallStore(self._generator)
        self._past = PastChanges(self._generator, store)
        self._backend = Backend(
            store, FaultPlan(), Journal(), api_key, max_page_size, latency_ms, past=self._past
        )
        self._server: SimulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def api_key(self) -> str:
        return self._backend.api_key

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`; only known once the server has started."""
        if self._server is None:
            raise RuntimeError("The simulator is not running: call start() or use `with`")
        port = self._server.server_address[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[dict]:
        """Every request so far (path, params, status, attempt, fault...), oldest first."""
        return self._backend.journal.entries()

    def start(self) -> "Simulator":
        """Bind the port and serve on a daemon thread; return self."""
        if self._server is not None:
            return self
        server_class = IPv6SimulatorHTTPServer if ":" in self.host else SimulatorHTTPServer
        self._backend.stopping.clear()
        self._server = server_class((self.host, self._port), self._backend)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="contactship-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake hung or trickling answers and close every connection."""
        if self._server is None:
            return
        self._backend.stopping.set()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def calls_for_day(self, day: date) -> list[dict]:
        """Deep copies of the calls created on `day` (UTC), ordered by (created_at, id)."""
        return self._backend.store.calls_for_day(day)

    def all_calls(self) -> list[dict]:
        """Deep copies of every call, ordered by (created_at, id)."""
        return self._backend.store.all_calls()

    def inject(self, fault: Fault) -> None:
        """Add `fault` to the plan; faults fire in the order they were injected."""
        self._backend.plan.add(fault)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._backend.plan.clear()

    def upsert_calls(self, calls: list[dict], day: date | None = None) -> int:
        """Add calls or replace them by id; they are served exactly as given.

        Args:
            calls: raw call dicts, malformed on purpose if the test wants.
            day: where calls with a missing or unreadable `created_at` are filed.

        Raises:
            ValueError: a call is not a dict, or cannot be placed on a day.
        """
        return self._backend.store.upsert(calls, day)

    def delete_calls(self, call_ids: list[str]) -> int:
        """Remove calls by id; return how many were there."""
        return self._backend.store.delete(call_ids)

    def on_request(self, callback: RequestHook) -> None:
        """Run `callback(index, params)` once each `/v1/calls` answer is decided.

        `index` is the request's position in `requests`. The callback runs before the
        answer is sent, so whatever it changes is seen by the client's next request.
        """
        self._backend.journal.add_hook(callback)

    def complete_in_progress(self, day: date) -> list[str]:
        """Finish every call of `day` still in progress, queued or scheduled.

        They become `completed`, with `finished_at`, `duration` and `call_analysis`.
        Returns the ids that changed. Over HTTP: `POST /_control/past/complete?day=...`.
        """
        return self._past.complete_in_progress(day)

    def add_late_call(self, day: date) -> str:
        """Add one completed call created on `day` that was not there before; return its id.

        Over HTTP: `POST /_control/past/late-call?day=...`.
        """
        return self._past.add_late_call(day)
