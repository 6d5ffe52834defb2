"""The planner's state picks the task of `rolling` that carries it out."""

import pathlib

import pytest
import yaml

from rolling_maintenance.workflow import contract

WORKBOOK = pathlib.Path(__file__).resolve().parents[3] / "workbooks" / "maintenance.yaml"
PLANNED = (contract.SCALE_IN, contract.PREPARE_MAINTENANCE, contract.START_MAINTENANCE,
           contract.PLANNED_MAINTENANCE, contract.MAINTENANCE_COMPLETE, contract.MAINTENANCE_FAILED)


@pytest.mark.parametrize("workflow", contract.WORKFLOWS)
def test_every_planned_state_has_a_task_of_rolling(workflow):
    tasks = yaml.safe_load(WORKBOOK.read_text())["workflows"]["rolling"]["tasks"]
    branches = [next(iter(b)) for b in tasks[contract.DECIDE_TASK]["on-success"]]
    for state in PLANNED:
        assert contract.next_task(state, workflow) in branches, state


def test_the_vnf_workflow_asks_per_instance_only_in_the_moving_states():
    assert contract.next_task(contract.PREPARE_MAINTENANCE, "vnf") == "prepare_maintenance_vnf"
    assert contract.next_task(contract.PLANNED_MAINTENANCE, "vnf") == "planned_maintenance_vnf"
    assert contract.next_task(contract.START_MAINTENANCE, "vnf") == "start_maintenance"
    assert contract.next_task(contract.PREPARE_MAINTENANCE, "default") == "prepare_maintenance"
    assert contract.next_task(contract.MAINTENANCE_FAILED, "vnf") == contract.CANNOT_CONTINUE_TASK
