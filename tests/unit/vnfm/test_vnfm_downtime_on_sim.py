"""The role log and the simulator's own event log, held against each other."""

import warnings

import openstack

from vnfm_support import PROJECT, VM, wait_for
from rolling_maintenance.vnfm.availability import MIGRATING, downtime, unavailable_intervals


def admin(sim):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openstack.connect(**sim.admin_credentials())


def migrate_and_wait(sim, conn, server_id):
    seen = len(sim.events())
    conn.compute.live_migrate_server(server_id, host=None, block_migration="auto")
    wait_for(lambda: any(e["type"] == "migration.finished" and e["server"] == server_id
                         for e in sim.events(seen)), what="the migration of %s" % server_id)


def test_moving_the_active_costs_downtime_and_switching_first_does_not(make_vnfm, side, sim):
    vnfm = make_vnfm()
    conn = admin(sim)
    migrate_and_wait(sim, conn, VM["vm-a"])
    end = sim.state()["now"]
    [interval] = unavailable_intervals(vnfm.role_log, sim.events(), end)
    assert interval["server"] == VM["vm-a"] and interval["reasons"] == [MIGRATING]
    lost = downtime(vnfm.role_log, sim.events(), end)
    assert lost == interval["end"] - interval["start"] > 0

    side.instance_ids["s1"] = [VM["vm-a"]]
    side.notify(vnfm.url, "s1", PROJECT, "PLANNED_MAINTENANCE")
    assert vnfm.wait_idle(10)
    assert vnfm.active == VM["vm-b"]
    migrate_and_wait(sim, conn, VM["vm-a"])
    assert downtime(vnfm.role_log, sim.events(), sim.state()["now"]) == lost
