"""The role log and the simulator's own event log, held against each other."""

import warnings

import openstack

from vnfm_support import PROJECT, VM, wait_for
from rolling_maintenance.audit import downtime, events as ev, unavailable_intervals
from rolling_maintenance.audit.availability import MIGRATING


def admin(sim):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openstack.connect(**sim.admin_credentials())


def migrate_and_wait(sim, conn, server_id):
    seen = len(sim.events())
    conn.compute.live_migrate_server(server_id, host=None, block_migration="auto")
    wait_for(lambda: any(e["type"] == ev.MIGRATION_FINISHED and e["server"] == server_id
                         for e in sim.events(seen)), what="the migration of %s" % server_id)


def test_moving_the_active_costs_downtime_and_switching_first_does_not(make_vnfm, side, sim):
    initial = sim.state()
    vnfm = make_vnfm()
    conn = admin(sim)
    migrate_and_wait(sim, conn, VM["vm-a"])
    end = sim.state()["now"]
    [interval] = unavailable_intervals(initial, sim.events(), vnfm.role_log, end)
    assert interval["server"] == VM["vm-a"] and interval["reasons"] == [MIGRATING]
    lost = downtime(initial, sim.events(), vnfm.role_log, end)
    assert lost == interval["end"] - interval["start"] > 0

    side.instance_ids["s1"] = [VM["vm-a"]]
    side.notify(vnfm.url, "s1", PROJECT, "PLANNED_MAINTENANCE")
    assert vnfm.wait_idle(10)
    assert vnfm.active == VM["vm-b"]
    migrate_and_wait(sim, conn, VM["vm-a"])
    assert downtime(initial, sim.events(), vnfm.role_log, sim.state()["now"]) == lost
