"""The test bed's configuration files, written at `up` into the run directory.

Nova runs on its defaults. What is set here is only where things are
(databases, RabbitMQ vhost, Keystone, the other services, paths on disk), the
service users' credentials, the fake virt driver, and one worker per service
(`[conductor] workers`, `[scheduler] workers`: Nova's default is one per CPU,
which on a 2-core machine only costs memory). Nothing that changes how Nova
schedules or migrates: `[filter_scheduler]` keeps its defaults, including
`track_instance_changes = True`.
"""

import glob
import os
import pathlib
import shutil

ADMIN_PASSWORD = "admin"
DATABASES = ("keystone", "placement", "nova_api", "nova_cell0", "nova_cell1", "aodh")
RABBIT = "rabbit://guest:guest@127.0.0.1:5672/"
# clouds.yaml name -> (user, project); the users' passwords are their names.
MEMBER_CLOUDS = {"tenant-a": ("tenant-a-user", "tenant-a"),
                 "tenant-b": ("tenant-b-user", "tenant-b")}


def database_url(prefix, name, driver="postgresql+psycopg2"):
    return f"{driver}://postgres@127.0.0.1:5432/{prefix}_{name}"


def nova_args(run, with_db):
    """Command-line config files of nova-api/-conductor/-scheduler/-manage (with the databases)."""
    args = ["--config-file", str(run / "etc/nova/nova.conf")]
    if with_db:
        args += ["--config-file", str(run / "etc/nova/nova-db.conf")]
    return args


def compute_args(run, host):
    """A nova-compute gets no database (it goes through nova-conductor, as in devstack)."""
    return nova_args(run, with_db=False) + ["--config-file", str(run / f"etc/nova/compute-{host}.conf")]


def write_compute_conf(run, host, instance_sync_s=None):
    """`instance_sync_s`, when given, is how often the compute tells the scheduler its
    instances (`scheduler_instance_sync_interval`, Nova's default 120 s): the longest the
    scheduler's view of the host lags a live migration off it."""
    state = run / "state" / host
    state.mkdir(parents=True, exist_ok=True)
    default = {"host": host, "state_path": state}
    if instance_sync_s:
        default["scheduler_instance_sync_interval"] = int(instance_sync_s)
    _write(run / f"etc/nova/compute-{host}.conf", {"DEFAULT": default})


def write_all(run, venv, ports, prefix):
    keystone = f"http://127.0.0.1:{ports['keystone']}/v3"
    _write(run / "etc/keystone/keystone.conf", {
        "database": {"connection": database_url(prefix, "keystone")},
        # bcrypt's lowest cost: every token request costs CPU on a 2-core machine.
        "identity": {"password_hash_rounds": 4},
        # TESTBED_TOKEN_EXPIRATION_S: a short token life, to watch what outlives a token.
        "token": dict({"provider": "fernet"}, **_token_expiration()),
        "fernet_tokens": {"key_repository": run / "keystone/fernet-keys"},
        "fernet_receipts": {"key_repository": run / "keystone/fernet-keys"},
        "credential": {"key_repository": run / "keystone/credential-keys"},
        # Without a cache every token validation costs 160-580 ms here.
        "cache": {"enabled": True, "backend": "oslo_cache.dict"},
    })
    _write(run / "etc/placement/placement.conf", {
        "placement_database": {"connection": database_url(prefix, "placement")},
        "keystone_authtoken": _authtoken(keystone, "placement"),
    })
    _write(run / "etc/nova/nova.conf", {
        "DEFAULT": {"host": "controller", "my_ip": "127.0.0.1",
                    "state_path": run / "state/controller",
                    "transport_url": RABBIT + prefix,
                    "compute_driver": "testbed_driver.TestbedDriver"},
        "conductor": {"workers": 1},
        "scheduler": {"workers": 1},
        "keystone_authtoken": _authtoken(keystone, "nova"),
        "service_user": dict(_password(keystone, "nova"), send_service_user_token=True),
        "placement": dict(_password(keystone, "placement"), region_name="RegionOne"),
        "neutron": dict(_password(keystone, "nova"), region_name="RegionOne"),
        "glance": {"region_name": "RegionOne"},
        "cinder": {"os_region_name": "RegionOne"},
        "oslo_concurrency": {"lock_path": run / "lock"},
    })
    shutil.copy(venv / "etc/nova/api-paste.ini", run / "etc/nova/api-paste.ini")
    _write(run / "etc/nova/nova-db.conf", {
        "api_database": {"connection": database_url(prefix, "nova_api")},
        "database": {"connection": database_url(prefix, "nova_cell1")},
    })
    _write_aodh(run, venv, keystone, prefix)


def _write_aodh(run, venv, keystone, prefix):
    conf = run / "etc/aodh/aodh.conf"
    # keystonemiddleware in Aodh's paste pipeline reads only /etc/aodh/aodh.conf unless told.
    paste = pathlib.Path(glob.glob(str(venv / "lib/python3*/site-packages/aodh/api/api-paste.ini"))[0])
    (run / "etc/aodh").mkdir(parents=True, exist_ok=True)
    (run / "etc/aodh/api-paste.ini").write_text(paste.read_text().replace(
        "oslo_config_project = aodh", f"oslo_config_project = aodh\noslo_config_file = {conf}"))
    _write(conf, {
        # Aodh takes postgresql:// only, which SQLAlchemy 2.1 maps to psycopg 3.
        "database": {"connection": database_url(prefix, "aodh", driver="postgresql")},
        "api": {"paste_config": run / "etc/aodh/api-paste.ini"},
        "keystone_authtoken": _authtoken(keystone, "aodh"),
        "service_credentials": dict(_password(keystone, "aodh"), region_name="RegionOne"),
    })


def write_clouds_yaml(path, keystone_port):
    """Clouds `admin`, one member cloud per tenant project, and `maintenance` (the
    project's service identity: the API's and the actions' way into Mistral and
    Nova) (YAML is JSON's superset)."""
    import json
    auth_url = f"http://127.0.0.1:{keystone_port}/v3"

    def cloud(user, password, project):
        return {"auth": {"auth_url": auth_url, "username": user, "password": password,
                         "project_name": project, "user_domain_name": "Default",
                         "project_domain_name": "Default"},
                "region_name": "RegionOne", "identity_api_version": 3}

    clouds = {"admin": cloud("admin", ADMIN_PASSWORD, "admin")}
    for name, (user, project) in MEMBER_CLOUDS.items():
        clouds[name] = cloud(user, user, project)
    clouds["maintenance"] = cloud("maintenance", "maintenance", "service")
    path.write_text(json.dumps({"clouds": clouds}, indent=2))


def _token_expiration():
    seconds = os.environ.get("TESTBED_TOKEN_EXPIRATION_S")
    return {"expiration": int(seconds)} if seconds else {}


def _password(keystone, user):
    return {"auth_url": keystone, "auth_type": "password", "username": user, "password": user,
            "project_name": "service", "user_domain_name": "Default",
            "project_domain_name": "Default"}


def _authtoken(keystone, user):
    return dict(_password(keystone, user), www_authenticate_uri=keystone,
                memcached_servers="", memcache_use_advanced_pool=False)


def _write(path, sections):
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for section, options in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {value}" for key, value in options.items()]
        lines.append("")
    path.write_text("\n".join(lines))
