"""Set-up steps of the test bed that go through the APIs (openstacksdk, cloud `admin`).

    python bootstrap.py identity PORTS_JSON    projects, users, roles, the service catalog
    python bootstrap.py compute N NOVA_MANAGE  wait for N nova-computes, map them, flavors, quotas

Run by tools/testbed inside the test bed's virtualenv, with OS_CLIENT_CONFIG_FILE set.
"""

import json
import shlex
import subprocess
import sys
import time
import warnings

import openstack

from config import MEMBER_CLOUDS

SERVICE_USERS = ("nova", "placement", "aodh", "maintenance", "mistral")
# service type -> (name, port key, path); `maintenance` is the project's own API,
# listed with its version as Fenix's clients expect (they append `/instance/<id>`).
CATALOG = {"compute": ("nova", "nova", "/v2.1"), "placement": ("placement", "placement", ""),
           "image": ("glance", "glance", ""), "network": ("neutron", "neutron", ""),
           "alarming": ("aodh", "aodh", ""), "maintenance": ("rolling-maintenance", "maintenance", "/v1")}
FLAVORS = (("m1.tiny", 1, 512), ("m1.small", 1, 1024), ("m1.medium", 2, 2048),
           ("m1.large", 4, 4096))


def identity(ports):
    idn = connect().identity
    roles = {role.name: role for role in idn.roles()}
    for name in ("admin", "member", "reader", "service"):
        if name not in roles:
            roles[name] = idn.create_role(name=name)
    domain = idn.find_domain("default")
    service = idn.create_project(name="service", domain_id=domain.id)
    for user in SERVICE_USERS:
        created = idn.create_user(name=user, password=user, domain_id=domain.id,
                                  default_project_id=service.id)
        for role in ("admin", "service"):
            idn.assign_project_role_to_user(service, created, roles[role])
    for user, project_name in MEMBER_CLOUDS.values():
        project = idn.create_project(name=project_name, domain_id=domain.id)
        created = idn.create_user(name=user, password=user, domain_id=domain.id,
                                  default_project_id=project.id)
        for role in ("member", "reader"):
            idn.assign_project_role_to_user(project, created, roles[role])
    for service_type, (name, port_key, path) in CATALOG.items():
        created = idn.create_service(type=service_type, name=name)
        for interface in ("public", "internal", "admin"):
            idn.create_endpoint(service_id=created.id, interface=interface, region_id="RegionOne",
                                url=f"http://127.0.0.1:{ports[port_key]}{path}")


def compute(count, nova_manage):
    conn = connect()
    hosts = wait_for(lambda: {s.host for s in conn.compute.services(binary="nova-compute")
                              if s.state == "up"}, count, "nova-compute services up")
    subprocess.run(shlex.split(nova_manage) + ["cell_v2", "discover_hosts"], check=True,
                   capture_output=True)
    wait_for(lambda: {h.name for h in conn.compute.hypervisors()}, count, "hypervisors")
    for flavor_id, (name, vcpus, ram) in enumerate(FLAVORS, start=1):
        conn.compute.create_flavor(id=str(flavor_id), name=name, vcpus=vcpus, ram=ram, disk=1)
    # Nova's default quota (10 instances, 20 cores per project) is below what the tests boot.
    for _, project in MEMBER_CLOUDS.values():
        project_id = conn.identity.find_project(project).id
        conn.compute.put(f"/os-quota-sets/{project_id}",
                         json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}})
    print(json.dumps({"hosts": sorted(hosts)}))


def wait_for(read, count, what, timeout=300):
    deadline = time.monotonic() + timeout
    found = set()
    while time.monotonic() < deadline:
        try:
            found = read()
        except openstack.exceptions.SDKException:
            found = set()
        if len(found) >= count:
            return found
        time.sleep(1)
    raise SystemExit(f"only {len(found)} of {count} {what} after {timeout} s: {sorted(found)}")


def connect():
    warnings.filterwarnings("ignore")
    return openstack.connect(cloud="admin")


if __name__ == "__main__":
    if sys.argv[1] == "identity":
        identity(json.loads(sys.argv[2]))
    else:
        compute(int(sys.argv[2]), sys.argv[3])
