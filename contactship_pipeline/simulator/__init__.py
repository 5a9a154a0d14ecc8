"""A loopback simulator of the Contactship calls API (`GET /v1/calls`), for tests and demos.

It shares no code with the pipeline on purpose: it is the other side of the contract.

    with Simulator(seed=7, start_date=date(2026, 3, 10), end_date=date(2026, 3, 16)) as sim:
        sim.inject(Fault("status", status=429, headers={"Retry-After": "2"}))
        sim.inject(Fault("short_page", keep=3, match={"offset": "100"}))
        ...  # point the client at sim.base_url with sim.api_key

Over HTTP (the same key required): `POST /_control/faults` takes a JSON list of `Fault`
fields, `POST /_control/reset` clears the faults, `POST /_control/calls` upserts a JSON
list of calls (`?day=YYYY-MM-DD` files those without a readable `created_at`), and
`DELETE /_control/calls` removes a JSON list of ids.
"""

from contactship_pipeline.simulator.data import EXAMPLE_CALL
from contactship_pipeline.simulator.faults import ENVELOPE_CHANGES, FAULT_KINDS, Fault
from contactship_pipeline.simulator.simulator import Simulator

__all__ = ["ENVELOPE_CHANGES", "EXAMPLE_CALL", "FAULT_KINDS", "Fault", "Simulator"]
