"""Keystone v3 under /identity: version discovery, tokens (password and
token methods) with a catalog, read-only projects, and the catalog's
services and endpoints (list, show, and create for an admin, as
`openstack service create` / `endpoint create` do)."""

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model.core import (
    DOMAIN_ID,
    DOMAIN_NAME,
    REGION,
    stable_uuid,
)
from rolling_maintenance.sim.model.identity import role_id
from rolling_maintenance.sim.web import front
from rolling_maintenance.sim.web.request import Response

UPDATED = "2023-09-27T00:00:00Z"
SERVICES = (("identity", "keystone", "/identity"),
            ("compute", "nova", "/compute/v2.1"),
            ("alarming", "aodh", "/alarming"),
            ("placement", "placement", "/placement"))
INTERFACES = ("public", "internal", "admin")
DOMAIN = {"id": DOMAIN_ID, "name": DOMAIN_NAME}


def _stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _own_entries(base_url):
    """`(services, endpoints)` of the simulator's own APIs, in Keystone's shapes."""
    services, endpoints = [], []
    for kind, name, path in SERVICES:
        service_id = stable_uuid("catalog", kind).replace("-", "")
        services.append({"id": service_id, "type": kind, "name": name, "description": "",
                         "enabled": True})
        endpoints.extend({"id": stable_uuid("endpoint", kind + interface).replace("-", ""),
                          "service_id": service_id, "interface": interface, "region": REGION,
                          "region_id": REGION, "url": base_url + path, "enabled": True}
                         for interface in INTERFACES)
    return services, endpoints


def entries(model, base_url):
    """Every service and endpoint: the simulator's own, then the registered ones."""
    services, endpoints = _own_entries(base_url)
    registered_services, registered_endpoints = model.registered_catalog()
    return services + registered_services, endpoints + registered_endpoints


def catalog(model, base_url):
    """A token's catalog: each enabled service with its enabled endpoints."""
    services, endpoints = entries(model, base_url)
    return [{
        "type": s["type"], "name": s["name"], "id": s["id"],
        "endpoints": [{"id": e["id"], "interface": e["interface"], "region": e["region"],
                       "region_id": e["region_id"], "url": e["url"]}
                      for e in endpoints if e["service_id"] == s["id"] and e["enabled"]],
    } for s in services if s["enabled"]]


class KeystoneFront(front.Front):
    prefix = "/identity"
    public_paths = ("", "/v3", "/v3/auth/tokens")

    def add_routes(self, router):
        router.add("GET", "", self.versions)
        router.add("GET", "/v3", self.version)
        router.add("POST", "/v3/auth/tokens", self.issue_token)
        router.add("GET", "/v3/auth/tokens", self.check_token)
        router.add("DELETE", "/v3/auth/tokens", self.revoke_token)
        router.add("GET", "/v3/auth/catalog", self.show_catalog)
        router.add("GET", "/v3/auth/projects", self.my_projects)
        router.add("GET", "/v3/projects", self.list_projects)
        router.add("GET", "/v3/projects/{project_id}", self.show_project)
        router.add("GET", "/v3/services", self.list_services)
        router.add("POST", "/v3/services", self.create_service)
        router.add("GET", "/v3/services/{service_id}", self.show_service)
        router.add("GET", "/v3/endpoints", self.list_endpoints)
        router.add("POST", "/v3/endpoints", self.create_endpoint)
        router.add("GET", "/v3/endpoints/{endpoint_id}", self.show_endpoint)
        router.add("PATCH", "/v3/endpoints/{endpoint_id}", self.update_endpoint)

    def _version_doc(self, request):
        return {
            "id": "v3.14", "status": "stable", "updated": UPDATED,
            "links": [{"rel": "self", "href": "%s/identity/v3/" % request.base_url}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.identity-v3+json"}],
        }

    def versions(self, request):
        return Response(300, {"versions": {"values": [self._version_doc(request)]}})

    def version(self, request):
        return Response(200, {"version": self._version_doc(request)})

    # tokens -------------------------------------------------------------------

    def issue_token(self, request):
        auth = request.json_object("auth")
        identity = auth.get("identity")
        if not isinstance(identity, dict) or not isinstance(identity.get("methods"), list):
            raise errors.BadRequest("auth.identity.methods is required")
        scope = self._scope(auth.get("scope"))
        model = request.model
        if "password" in identity["methods"]:
            user = (identity.get("password") or {}).get("user")
            if not isinstance(user, dict):
                raise errors.BadRequest("auth.identity.password.user is required")
            token = model.authenticate_password(
                user.get("password"), scope, user_id=user.get("id"), user_name=user.get("name"),
                user_domain=self._domain_ref(user.get("domain")))
        elif "token" in identity["methods"]:
            token_id = (identity.get("token") or {}).get("id")
            token = model.authenticate_token(token_id, scope)
        else:
            raise errors.Unauthorized("Unsupported authentication methods %s" % identity["methods"])
        return Response(201, self._token_body(request, token), {"X-Subject-Token": token.id})

    @staticmethod
    def _domain_ref(domain):
        if domain is None:
            return None
        if not isinstance(domain, dict):
            raise errors.BadRequest("a domain must be an object with id or name")
        return domain.get("id") or domain.get("name")

    def _scope(self, scope):
        if scope is None:
            return None
        if not isinstance(scope, dict) or not isinstance(scope.get("project"), dict):
            raise errors.Unauthorized("Only project scope is supported by the simulated Keystone")
        project = scope["project"]
        if project.get("id"):
            return {"project_id": project["id"]}
        return {"project_name": project.get("name"), "domain": self._domain_ref(project.get("domain"))}

    def _token_body(self, request, token, with_catalog=True):
        model = request.model
        user = model.users[token.user_id]
        project = model.projects[token.project_id]
        body = {
            "methods": list(token.methods),
            "user": {"id": user.id, "name": user.name, "domain": dict(DOMAIN),
                     "password_expires_at": None},
            "audit_ids": [token.audit_id],
            "expires_at": _stamp(token.expires_at),
            "issued_at": _stamp(token.issued_at),
            "project": {"id": project.id, "name": project.name, "domain": dict(DOMAIN)},
            "is_domain": False,
            "roles": [{"id": role_id(name), "name": name} for name in token.roles],
        }
        if with_catalog:
            body["catalog"] = catalog(request.model, request.base_url)
        return {"token": body}

    def _subject(self, request):
        self.authenticate(request)
        subject = request.header("x-subject-token")
        if not subject:
            raise errors.BadRequest("X-Subject-Token header is required")
        if subject != request.token.id and not request.actor.is_admin:
            raise errors.Forbidden("You are not authorized to perform the requested action.")
        try:
            return request.model.validate_token(subject)
        except errors.Unauthorized:
            raise errors.NotFound("Could not find token: %s." % subject) from None

    def check_token(self, request):
        token = self._subject(request)
        with_catalog = request.arg("nocatalog") is None
        return Response(200, self._token_body(request, token, with_catalog), {"X-Subject-Token": token.id})

    def revoke_token(self, request):
        token = self._subject(request)
        request.model.revoke_token(token.id)
        return Response(204)

    def show_catalog(self, request):
        return Response(200, {"catalog": catalog(request.model, request.base_url),
                              "links": {"self": request.base_url + request.path}})

    # projects -----------------------------------------------------------------

    @staticmethod
    def _project_view(project):
        return {"id": project.id, "name": project.name, "domain_id": project.domain_id,
                "enabled": True, "is_domain": False, "parent_id": project.domain_id,
                "description": "", "tags": []}

    def my_projects(self, request):
        user = request.model.users[request.token.user_id]
        projects = [request.model.projects[p] for p in user.roles]
        return Response(200, {"projects": [self._project_view(p) for p in projects]})

    def list_projects(self, request):
        if not request.actor.is_admin:
            raise errors.Forbidden("You are not authorized to perform the requested action: "
                                   "identity:list_projects.")
        name = request.arg("name")
        projects = [p for p in request.model.projects.values() if name is None or p.name == name]
        return Response(200, {"projects": [self._project_view(p) for p in projects]})

    def show_project(self, request):
        project = request.model.projects.get(request.params["project_id"])
        if project is None or not (request.actor.is_admin or project.id == request.actor.project_id):
            raise errors.NotFound("Could not find project: %s." % request.params["project_id"])
        return Response(200, {"project": self._project_view(project)})

    # services and endpoints ----------------------------------------------------

    @staticmethod
    def _require_admin(request, what):
        if not request.actor.is_admin:
            raise errors.Forbidden("You are not authorized to perform the requested action: "
                                   "identity:%s." % what)

    @staticmethod
    def _linked(request, collection, entry):
        return dict(entry, links={"self": "%s/identity/v3/%s/%s" % (request.base_url, collection,
                                                                   entry["id"])})

    def _listed(self, request, collection, found):
        return Response(200, {collection: [self._linked(request, collection, e) for e in found],
                              "links": {"self": request.base_url + request.path,
                                        "previous": None, "next": None}})

    def list_services(self, request):
        self._require_admin(request, "list_services")
        services, _ = entries(request.model, request.base_url)
        kind = request.arg("type")
        return self._listed(request, "services",
                            [s for s in services if kind is None or s["type"] == kind])

    def show_service(self, request):
        self._require_admin(request, "get_service")
        services, _ = entries(request.model, request.base_url)
        found = [s for s in services if s["id"] == request.params["service_id"]]
        if not found:
            raise errors.NotFound("Could not find service: %s." % request.params["service_id"])
        return Response(200, {"service": self._linked(request, "services", found[0])})

    def create_service(self, request):
        self._require_admin(request, "create_service")
        service = request.model.add_catalog_service(request.json_object("service"))
        return Response(201, {"service": self._linked(request, "services", service)})

    def list_endpoints(self, request):
        self._require_admin(request, "list_endpoints")
        _, endpoints = entries(request.model, request.base_url)
        wanted = {name: request.arg(name) for name in ("service_id", "interface", "region_id")}
        return self._listed(request, "endpoints", [
            e for e in endpoints
            if all(value is None or e[name] == value for name, value in wanted.items())])

    def show_endpoint(self, request):
        self._require_admin(request, "get_endpoint")
        _, endpoints = entries(request.model, request.base_url)
        found = [e for e in endpoints if e["id"] == request.params["endpoint_id"]]
        if not found:
            raise errors.NotFound("Could not find endpoint: %s." % request.params["endpoint_id"])
        return Response(200, {"endpoint": self._linked(request, "endpoints", found[0])})

    def create_endpoint(self, request):
        self._require_admin(request, "create_endpoint")
        endpoint = request.model.add_catalog_endpoint(request.json_object("endpoint"))
        return Response(201, {"endpoint": self._linked(request, "endpoints", endpoint)})

    def update_endpoint(self, request):
        self._require_admin(request, "update_endpoint")
        endpoint = request.model.update_catalog_endpoint(request.params["endpoint_id"],
                                                         request.json_object("endpoint"))
        return Response(200, {"endpoint": self._linked(request, "endpoints", endpoint)})
