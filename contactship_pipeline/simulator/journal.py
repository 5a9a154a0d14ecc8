"""Every request the simulator received, and the hooks that run after each calls page."""

import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable

RequestHook = Callable[[int, dict[str, str]], None]


class Journal:
    """Thread-safe log of requests; `attempt` counts identical requests (same path and query)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict] = []
        self._attempts: Counter = Counter()
        self._hooks: list[RequestHook] = []

    def record(
        self, method: str, path: str, params: dict[str, str], status: int | None, fault: str | None
    ) -> int:
        """Log one answered request and return its index in `entries()`."""
        with self._lock:
            key = (method, path, tuple(sorted(params.items())))
            self._attempts[key] += 1
            self._entries.append(
                {
                    "index": len(self._entries),
                    "method": method,
                    "path": path,
                    "params": dict(params),
                    "status": status,
                    "attempt": self._attempts[key],
                    "fault": fault,
                    # Wall-clock, so tests can measure the waits a client leaves between retries.
                    "time": time.time(),
                }
            )
            return len(self._entries) - 1

    def entries(self) -> list[dict]:
        """A copy of the log, oldest first."""
        with self._lock:
            return [{**entry, "params": dict(entry["params"])} for entry in self._entries]

    def add_hook(self, hook: RequestHook) -> None:
        """Run `hook(index, params)` after every `/v1/calls` request is answered."""
        with self._lock:
            self._hooks.append(hook)

    def run_hooks(self, index: int, params: dict[str, str]) -> None:
        """Call the hooks in order; one that raises is reported and does not stop the rest."""
        with self._lock:
            hooks = list(self._hooks)
        for hook in hooks:
            try:
                hook(index, dict(params))
            except Exception:
                traceback.print_exc()
