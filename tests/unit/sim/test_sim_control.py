"""The /_sim control API, the event log and the Python API around them."""

import openstack
import pytest
from openstack import exceptions as sdk_exceptions
import yaml
from simcloud import sid

from rolling_maintenance.sim.errors import SimError


def compute_service(conn, host):
    return next(conn.compute.services(binary="nova-compute", host=host))


def test_events_are_stamped_with_their_scheduled_time_in_order(cloud):
    cloud.admin.compute.live_migrate_server(sid("vm1"), host=None, block_migration="auto")
    cloud.admin.compute.live_migrate_server(sid("vm3"), host=None, block_migration="auto")
    cloud.advance(60)  # nothing observed in between: the log still has the true times
    events = cloud.http("GET", "/_sim/events").json()
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [(e["type"], e["server"], e["t"]) for e in events] == [
        ("migration.started", sid("vm1"), 0.0),
        ("migration.started", sid("vm3"), 0.0),
        ("migration.finished", sid("vm1"), 4.3),
        ("migration.finished", sid("vm3"), 19.8),
    ]
    assert cloud.http("GET", "/_sim/events?since=3").json() == events[3:]
    assert cloud.sim.events(since=2) == events[2:]


def test_events_since_must_be_a_count(cloud):
    answer = cloud.http("GET", "/_sim/events?since=-1")
    assert answer.status_code == 400 and "since" in answer.json()["error"]["message"]


def test_state_shows_hosts_servers_groups_and_migrations(cloud):
    cloud.admin.compute.disable_service(compute_service(cloud.admin, "compute-0"), disabled_reason="m")
    cloud.admin.compute.live_migrate_server(sid("vm3"), host=None, block_migration="auto")
    cloud.advance(1)
    state = cloud.http("GET", "/_sim/state").json()
    assert state == cloud.sim.state()
    hosts = {h["name"]: h for h in state["hosts"]}
    assert (hosts["compute-0"]["status"], hosts["compute-0"]["disabled_reason"], hosts["compute-0"]["state"]) == (
        "disabled", "m", "up")
    assert (hosts["compute-0"]["vcpus_used"], hosts["compute-0"]["ram_mb_used"]) == (3, 5120)
    servers = {s["name"]: s for s in state["servers"]}
    assert (servers["vm3"]["status"], servers["vm3"]["host"], servers["vm3"]["project"]) == (
        "MIGRATING", "compute-0", "p1")
    assert servers["vm1"]["group"] == state["groups"][0]["id"]
    [moving] = state["migrations"]
    assert (moving["server"], moving["type"], moving["status"]) == (sid("vm3"), "live", "preparing")
    assert state["now"] == 1.0 and state["speed"] is None


@pytest.mark.parametrize("body, field", [
    ({"type": "meteor"}, "type"),
    ({"type": "migration_error", "host": "compute-9"}, "host"),
    ({"type": "migration_error", "host": "compute-0", "count": 0}, "count"),
    ({"type": "api_unavailable", "seconds": "soon"}, "seconds"),
    (["migration_error"], "object"),
])
def test_bad_faults_are_400_naming_the_field(cloud, body, field):
    answer = cloud.http("POST", "/_sim/faults", json=body)
    assert answer.status_code == 400
    assert field in answer.json()["error"]["message"]


def test_host_that_does_not_come_back(cloud):
    conn = cloud.admin
    assert cloud.http("POST", "/_sim/faults", json={"type": "host_no_return", "host": "compute-2"}).status_code == 201
    service = compute_service(conn, "compute-2")
    conn.compute.disable_service(service, disabled_reason="maintenance")
    assert compute_service(conn, "compute-2").state == "up"
    cloud.http("POST", "/_sim/hosts/compute-2/work", json={"label": "upgrade", "duration_s": 0})
    conn.compute.enable_service(service)
    after = compute_service(conn, "compute-2")
    assert (after.status, after.state) == ("enabled", "down")
    with pytest.raises(sdk_exceptions.BadRequestException, match="No valid host was found"):
        conn.compute.live_migrate_server(sid("vm1"), host=None, block_migration="auto")
    assert [m.status for m in conn.compute.migrations(server_id=sid("vm1"))] == ["error"]
    assert cloud.http("GET", "/_sim/faults").json()["lost_hosts"] == ["compute-2"]
    assert cloud.http("DELETE", "/_sim/faults").status_code == 200
    assert compute_service(conn, "compute-2").state == "up"
    types = [e["type"] for e in cloud.sim.events()]
    assert types[:7] == ["fault.injected", "service.disabled", "host.work.started", "service.down",
                         "host.work.finished", "service.enabled", "migration.started"]
    assert types[-2:] == ["service.up", "fault.cleared"]


def test_python_api_faults_match_the_http_ones(cloud):
    armed = cloud.sim.inject_fault({"type": "api_unavailable", "seconds": 5})
    assert armed == {"fault": "api_unavailable", "seconds": 5.0, "until": 5.0}
    assert cloud.http("GET", "/compute/v2.1").status_code == 503
    with pytest.raises(SimError, match="fault field 'host'"):
        cloud.sim.inject_fault({"type": "host_no_return"})
    cloud.sim.clear_faults()
    assert cloud.http("GET", "/compute/v2.1").status_code == 200


def test_clear_one_hosts_faults(cloud):
    cloud.http("POST", "/_sim/faults", json={"type": "migration_error", "host": "compute-0", "count": 3})
    cloud.http("POST", "/_sim/faults", json={"type": "migration_error", "host": "compute-1"})
    cloud.http("POST", "/_sim/faults", json={"type": "clear", "host": "compute-0"})
    assert cloud.http("GET", "/_sim/faults").json()["migration_error"] == {"compute-1": 1}


def test_host_work_runs_for_its_duration(cloud):
    assert cloud.http("GET", "/_sim/hosts/compute-1/work").json()["state"] == "idle"
    started = cloud.http("POST", "/_sim/hosts/compute-1/work",
                         json={"label": "upgrade", "duration_s": 30, "key": "s-1"})
    assert started.status_code == 202
    assert started.json() == {"host": "compute-1", "state": "running", "label": "upgrade",
                              "started_at": 0.0, "ends_at": 30.0, "key": "s-1"}
    assert cloud.http("POST", "/_sim/hosts/compute-1/work", json={"label": "again"}).status_code == 409
    cloud.advance(29.9)
    assert cloud.http("GET", "/_sim/hosts/compute-1/work").json()["state"] == "running"
    cloud.advance(0.1)
    assert cloud.http("GET", "/_sim/hosts/compute-1/work").json()["state"] == "done"
    events = [(e["type"], e["t"], e["label"]) for e in cloud.sim.events()]
    assert events == [("host.work.started", 0.0, "upgrade"), ("host.work.finished", 30.0, "upgrade")]
    default = cloud.http("POST", "/_sim/hosts/compute-1/work", json={})
    assert default.json()["ends_at"] == 30.0 + 30.0  # host_maintenance_s


def test_host_work_input_is_checked(cloud):
    assert cloud.http("POST", "/_sim/hosts/compute-7/work", json={}).status_code == 404
    bad = cloud.http("POST", "/_sim/hosts/compute-1/work", json={"duration_s": -5})
    assert bad.status_code == 400 and "duration_s" in bad.json()["error"]["message"]


def test_clock_endpoints(cloud):
    assert cloud.http("GET", "/_sim/clock").json() == {"now": 0.0, "speed": None}
    moved = cloud.http("POST", "/_sim/clock/advance", json={"seconds": 4.0})
    assert moved.json()["now"] == 4.0
    assert cloud.http("POST", "/_sim/clock/advance", json={"seconds": -1}).status_code == 400


def test_clouds_yaml_works_with_openstacksdk(cloud, tmp_path):
    path = cloud.sim.clouds_yaml(str(tmp_path / "clouds.yaml"))
    with open(path) as written:
        clouds = yaml.safe_load(written)["clouds"]
    assert set(clouds) == {"sim-admin", "sim-p1", "sim-p2"}
    assert clouds["sim-p1"]["auth"]["username"] == "demo1-user"
    config = openstack.config.OpenStackConfig(config_files=[path])
    member = openstack.connection.Connection(config=config.get_one("sim-p1"))
    assert sorted(s.name for s in member.compute.servers()) == ["vm1", "vm2", "vm3"]


def test_admin_credentials_shape(cloud):
    creds = cloud.sim.admin_credentials()
    assert creds == {"auth_url": cloud.url + "/identity/v3", "username": "admin", "password": "secret",
                     "project_name": "admin", "user_domain_name": "Default",
                     "project_domain_name": "Default", "region_name": "RegionOne"}
    with pytest.raises(KeyError, match="no project 'p9'"):
        cloud.sim.project_credentials("p9")
