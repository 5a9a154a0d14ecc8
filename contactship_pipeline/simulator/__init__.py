"""A loopback simulator of the Contactship calls API (`GET /v1/calls`), for tests and demos.

It shares no code with the pipeline on purpose: it is the other side of the contract.
"""

from contactship_pipeline.simulator.data import EXAMPLE_CALL
from contactship_pipeline.simulator.faults import ENVELOPE_CHANGES, FAULT_KINDS, Fault
from contactship_pipeline.simulator.simulator import Simulator

__all__ = ["ENVELOPE_CHANGES", "EXAMPLE_CALL", "FAULT_KINDS", "Fault", "Simulator"]
