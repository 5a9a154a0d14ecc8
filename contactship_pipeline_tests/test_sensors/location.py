"""The code location the sensor tests load: the project's definitions, steps in one process.

Built from the environment on every load, the way `contactship_pipeline.definitions` is; the
in-process executor only saves the tests a Python process per step.
"""

from dagster import Definitions, in_process_executor

from contactship_pipeline.definitions import build_definitions
from contactship_pipeline.sensors import HealingSettings
from contactship_pipeline.settings import Settings


def sensor_test_location() -> Definitions:
    project = build_definitions(Settings.from_env(), HealingSettings.from_env())
    return Definitions.merge(project, Definitions(executor=in_process_executor))
