"""The VNFM's own small client of the cloud's public APIs, as its project's member.

A VNFM is a tenant application: it reaches Keystone, Nova and Aodh over the
wire, the way any application manager would, and shares nothing with the
admin side of this project (`rolling_maintenance.cloud`). It logs in with a
keystoneauth1 session (clouds.yaml and credentials read by openstacksdk's
config loader) and speaks Nova's and Aodh's REST APIs through keystoneauth1
adapters, so the catalog, the token and the microversion header are the
libraries' business, and the requests are the documented ones.
"""

import contextlib
import time
import urllib.parse
import warnings

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exc
from openstack import config as os_config
from openstack import exceptions as sdk_exc

# 2.64: a server group has one `policy`; servers show their flavor inline
# (2.47) and must say which networks they want (2.37).
NOVA_MICROVERSION = "2.64"
ANTI_AFFINITY = "anti-affinity"
GONE = ("DELETED", "SOFT_DELETED")


class TenantCloudError(Exception):
    """A cloud call the VNFM could not make: a stable `code` and a readable message."""

    def __init__(self, code, message):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message


def _code(status):
    if isinstance(status, int) and status >= 500:
        return "unavailable"
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            409: "conflict"}.get(status, "cloud_error")


def _reason(exc):
    """Nova's own words (`{"badRequest": {"message": ...}}`), which keystoneauth does not read."""
    try:
        body = exc.response.json()
        (fault,) = body.values()
        return fault["message"]
    except (AttributeError, ValueError, TypeError, KeyError):
        return exc.message or str(exc)


@contextlib.contextmanager
def _translated(what):
    """Client-library exceptions become `TenantCloudError`s naming `what` was tried."""
    try:
        yield
    except ks_exc.HttpError as exc:
        raise TenantCloudError(_code(exc.http_status), "%s: %s" % (what, _reason(exc))) from exc
    except ks_exc.MissingRequiredOptions as exc:
        names = ", ".join(sorted(opt.dest for opt in exc.options))
        raise TenantCloudError("no_credentials", "%s: missing %s" % (what, names)) from exc
    except (ks_exc.ConnectionError, ks_exc.DiscoveryFailure, ks_exc.EndpointNotFound) as exc:
        raise TenantCloudError("unavailable", "%s: %s" % (what, exc)) from exc
    except sdk_exc.ConfigException as exc:
        raise TenantCloudError("no_credentials", "%s: %s" % (what, exc)) from exc


class TenantCloud:
    """Nova and Aodh as one project sees them, over a keystoneauth1 session."""

    def __init__(self, session, interface="public", region_name=None):
        self.session = session
        self.interface = interface
        self.region_name = region_name
        self.compute = adapter.Adapter(session, service_type="compute", interface=interface,
                                       region_name=region_name,
                                       default_microversion=NOVA_MICROVERSION)
        self.alarming = adapter.Adapter(session, service_type="alarming", interface=interface,
                                        region_name=region_name)

    @classmethod
    def from_region(cls, region):
        """From an openstacksdk `CloudRegion` (its session, interface and region)."""
        return cls(region.get_session(), interface=region.get_interface(),
                   region_name=region.get_region_name())

    @classmethod
    def from_credentials(cls, **credentials):
        """Logged in with `openstack.connect`-style keyword arguments."""
        with warnings.catch_warnings(), _translated("log in"):
            warnings.simplefilter("ignore")
            return cls.from_region(os_config.get_cloud_region(
                load_yaml_config=False, load_envvars=False, **credentials))

    @classmethod
    def from_clouds_yaml(cls, cloud, clouds_yaml=None):
        """Logged in as `cloud` of clouds.yaml (`clouds_yaml`, or the usual files)."""
        files = [clouds_yaml] if clouds_yaml else None
        with warnings.catch_warnings(), _translated("cloud %s" % cloud):
            warnings.simplefilter("ignore")
            loader = os_config.OpenStackConfig(config_files=files)
            return cls.from_region(loader.get_one(cloud=cloud))

    # Keystone -------------------------------------------------------------

    @property
    def project_id(self):
        with _translated("log in"):
            return self.session.get_project_id()

    def token(self):
        with _translated("get a token"):
            return self.session.get_token()

    def maintenance_url(self):
        """The maintenance API's URL from the catalog (service type `maintenance`),
        found the way Tacker finds it; None when the catalog does not list it."""
        with _translated("find the maintenance API in the catalog"):
            try:
                return self.session.get_endpoint(service_type="maintenance",
                                                 interface=self.interface,
                                                 region_name=self.region_name)
            except ks_exc.EndpointNotFound:
                return None

    # Nova -----------------------------------------------------------------

    def _call(self, service, method, path, what, ok_missing=False, **kwargs):
        """One request; the decoded JSON body (None without one, or 404 with `ok_missing`)."""
        with _translated(what):
            try:
                response = service.request(path, method, **kwargs)
            except ks_exc.NotFound:
                if ok_missing:
                    return None
                raise
        return response.json() if response.content else None

    def own_servers(self):
        """The project's servers, oldest first: `[{"id","name","status","created_at","flavor","image"}]`."""
        found, path = [], "/servers/detail"
        while path:
            body = self._call(self.compute, "GET", path, "list the servers")
            found += body["servers"]
            path = next((link["href"] for link in body.get("servers_links", [])
                         if link.get("rel") == "next"), None)
        views = [_server_view(server) for server in found if server.get("status") not in GONE]
        return sorted(views, key=lambda view: (view["created_at"], view["name"] or "", view["id"]))

    def anti_affinity_groups(self):
        """The project's anti-affinity groups: `[{"id","name","member_ids"}]`."""
        body = self._call(self.compute, "GET", "/os-server-groups", "list the server groups")
        return [{"id": group["id"], "name": group["name"], "member_ids": list(group["members"])}
                for group in body["server_groups"] if group.get("policy") == ANTI_AFFINITY]

    def create_anti_affinity_group(self, name):
        """A new anti-affinity server group; returns its id."""
        body = self._call(self.compute, "POST", "/os-server-groups",
                          "create server group %s" % name,
                          json={"server_group": {"name": name, "policy": ANTI_AFFINITY}})
        return body["server_group"]["id"]

    def flavor_id(self, flavor):
        """The id of a flavor given by id or name."""
        what = "find flavor %s" % flavor
        found = self._call(self.compute, "GET", "/flavors/%s" % urllib.parse.quote(str(flavor), safe=""),
                           what, ok_missing=True)
        if found is not None:
            return found["flavor"]["id"]
        listing = self._call(self.compute, "GET", "/flavors/detail", what)
        for candidate in listing["flavors"]:
            if candidate["name"] == flavor:
                return candidate["id"]
        raise TenantCloudError("not_found", "no flavor %r (by id or name)" % (flavor,))

    def boot(self, name, flavor, image, group_id=None, timeout=300.0, poll=0.2, network=None):
        """Boot one server and wait until it is ACTIVE; returns its id.

        Nova needs an `image` (without one it answers 400 "Missing imageRef attribute").
        `network` is the id of the network to plug it in; without one Nova picks
        the one network the project sees ("auto"), and refuses when it sees none
        and Neutron cannot allocate one, or sees several.
        """
        networks = [{"uuid": network}] if network else "auto"
        request = {"server": {"name": name, "flavorRef": flavor, "imageRef": image or "",
                              "networks": networks}}
        if group_id:
            request["os:scheduler_hints"] = {"group": group_id}
        body = self._call(self.compute, "POST", "/servers", "boot %s" % name, json=request)
        server_id = body["server"]["id"]
        deadline = time.monotonic() + timeout
        while True:
            status = self._server_status(server_id)
            if status == "ACTIVE":
                return server_id
            if status in ("ERROR", None):
                raise TenantCloudError("server_error", "server %s (%s) went to %s"
                                       % (name, server_id, status or "nowhere"))
            if time.monotonic() >= deadline:
                raise TenantCloudError("timeout", "server %s not ACTIVE after %s s (status %s)"
                                       % (server_id, timeout, status))
            time.sleep(poll)

    def delete_and_wait(self, server_id, timeout=300.0, poll=0.2):
        """Delete a server and wait until the cloud no longer knows it."""
        self._call(self.compute, "DELETE", "/servers/%s" % server_id,
                   "delete server %s" % server_id, ok_missing=True)
        deadline = time.monotonic() + timeout
        while self._server_status(server_id) not in (None, *GONE):
            if time.monotonic() >= deadline:
                raise TenantCloudError("timeout", "server %s still exists %s s after its deletion"
                                       % (server_id, timeout))
            time.sleep(poll)

    def _server_status(self, server_id):
        """The server's status, None once it is gone."""
        body = self._call(self.compute, "GET", "/servers/%s" % server_id,
                          "read server %s" % server_id, ok_missing=True)
        return None if body is None else body["server"]["status"]

    # Aodh -----------------------------------------------------------------

    def subscribe(self, name, event_type, webhook_url):
        """The project's event alarm `name` calling `webhook_url` on `event_type`.

        Kept when it is there as wanted, re-created when it pointed elsewhere.
        `repeat_actions` is on, or Aodh would call the webhook only once.
        """
        query = {"q.field": ["name", "type"], "q.op": ["eq", "eq"], "q.value": [name, "event"]}
        alarms = self._call(self.alarming, "GET", "/v2/alarms?" + urllib.parse.urlencode(query, doseq=True),
                            "list alarm %s" % name)
        for alarm in alarms:
            rule = alarm.get("event_rule") or {}
            if alarm.get("alarm_actions") == [webhook_url] and rule.get("event_type") == event_type:
                return alarm
            self.unsubscribe(alarm["alarm_id"])
        return self._call(self.alarming, "POST", "/v2/alarms", "create alarm %s" % name, json={
            "name": name, "type": "event",
            "event_rule": {"event_type": event_type, "query": []},
            "alarm_actions": [webhook_url], "repeat_actions": True, "enabled": True})

    def unsubscribe(self, alarm_id):
        """Delete the alarm; False when it was already gone."""
        with _translated("delete alarm %s" % alarm_id):
            try:
                self.alarming.delete("/v2/alarms/%s" % alarm_id)
            except ks_exc.NotFound:
                return False
        return True


def _server_view(server):
    flavor = server.get("flavor") or {}
    image = server.get("image") or {}
    return {
        "id": server["id"],
        "name": server.get("name"),
        "status": server.get("status"),
        "created_at": server.get("created") or "",
        "flavor": flavor.get("original_name") or flavor.get("id"),
        "image": image.get("id"),
    }
