"""Constraints PUT to the embedded stack's API live in Mistral and outlive a restart of it."""

import os

from rolling_maintenance.mistral.constraints import load_constraints
from rolling_maintenance.embedded import stack

from conftest import http_call

GROUP = {"group_id": "3f1c2a9e-pair", "project_id": "p1", "group_name": "vnf-pair",
         "anti_affinity_group": True, "max_instances_per_host": 1, "max_impacted_members": 1,
         "recovery_time": 10, "resource_mitigation": False}
INSTANCE = {"instance_id": "7d2b0c11-vm-a", "project_id": "p1", "group_id": "3f1c2a9e-pair",
            "instance_name": "vm-a", "max_interruption_time": 1, "migration_type": "LIVE_MIGRATE",
            "resource_mitigation": False, "lead_time": 0}


def test_constraints_survive_a_restart_of_mistral_and_the_api(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "ROLLING_MAINTENANCE_"))}
    group_path = "/v1/instance_group/%s" % GROUP["group_id"]
    instance_path = "/v1/instance/%s" % INSTANCE["instance_id"]
    with stack.EmbeddedMistral(str(tmp_path), env=env) as mistral:
        api = mistral.reply_api_url
        assert http_call("PUT", api + group_path, GROUP) == (200, GROUP)
        assert http_call("PUT", api + instance_path, INSTANCE) == (200, INSTANCE)
        assert http_call("PUT", api + instance_path, INSTANCE) == (200, INSTANCE)
        other = dict(INSTANCE, instance_id="vm-gone", group_id=None)
        assert http_call("PUT", api + "/v1/instance/vm-gone", other) == (200, other)
        assert http_call("DELETE", api + "/v1/instance/vm-gone") == (200, {})
        names = sorted(e.name for e in mistral.client().environments.list())
        assert names == ["maintenance-instance-%s" % INSTANCE["instance_id"],
                         "maintenance-instance-group-%s" % GROUP["group_id"]]
    with stack.EmbeddedMistral(str(tmp_path), env=env) as mistral:
        api = mistral.reply_api_url
        assert http_call("GET", api + group_path) == (200, GROUP)
        assert http_call("GET", api + instance_path) == (200, INSTANCE)
        assert http_call("GET", api + "/v1/instance_group") == (200, {"instance_groups": [GROUP]})
        assert http_call("GET", api + "/v1/instance") == (200, {"instances": [INSTANCE]})
        assert http_call("GET", api + "/v1/instance/vm-gone")[0] == 404
        assert load_constraints(mistral.client()) == {
            "groups": {GROUP["group_id"]: GROUP}, "instances": {INSTANCE["instance_id"]: INSTANCE}}
