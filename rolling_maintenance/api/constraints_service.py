"""The constraints API's rules: who may read, replace or delete which constraint.

Endpoints (Fenix-compatible), for `kind` `group` (`/v1/instance_group/{id}`)
and `instance` (`/v1/instance/{id}`):
- `PUT` creates or replaces (idempotent, 200 with the stored constraint);
- `GET` returns it, `DELETE` removes it (200 `{}`, as Fenix: Tacker retries on anything else); 404 for an unknown id;
- `GET` on the collection lists: everything for an admin (or with auth
  `none`), else the caller's project's constraints.
A project acts only on its own constraints; replacing another project's
constraint is refused even when the new body names the caller's project.
"""

from rolling_maintenance.api import auth
from rolling_maintenance.api import constraints_schema
from rolling_maintenance.api import errors

COLLECTIONS = {"group": "instance_groups", "instance": "instances"}
_PARSERS = {"group": constraints_schema.parse_group,
            "instance": constraints_schema.parse_instance}
_LABELS = {"group": "instance group", "instance": "instance"}


class ConstraintsService:
    """Constraints over a `constraints_store.ConstraintsStore`, with the `auth` mode of `auth.MODES`."""

    def __init__(self, store, auth_mode="none"):
        self.store = store
        self.auth_mode = auth.check_mode(auth_mode)

    def _stored(self, kind, item_id, environ):
        auth.identify(self.auth_mode, environ)
        # An id no PUT can store is not worth a trip to the store.
        valid = constraints_schema.valid_id(item_id)
        constraint = self.store.get(kind, item_id) if valid else None
        if constraint is None:
            raise errors.not_found("no %s constraint %s" % (_LABELS[kind], item_id))
        auth.authorize(self.auth_mode, environ, constraint.get("project_id"))
        return constraint

    def get(self, kind, item_id, environ):
        return self._stored(kind, item_id, environ)

    def put(self, kind, item_id, raw, environ):
        auth.identify(self.auth_mode, environ)
        constraint = _PARSERS[kind](raw, item_id)
        auth.authorize(self.auth_mode, environ, constraint["project_id"])
        existing = self.store.get(kind, item_id)
        if existing is not None and existing.get("project_id") != constraint["project_id"]:
            auth.authorize(self.auth_mode, environ, existing.get("project_id"))
        return self.store.put(kind, item_id, constraint)

    def delete(self, kind, item_id, environ):
        self._stored(kind, item_id, environ)
        if not self.store.delete(kind, item_id):
            raise errors.not_found("no %s constraint %s" % (_LABELS[kind], item_id))

    def list(self, kind, environ):
        caller, is_admin = auth.identify(self.auth_mode, environ)
        found = self.store.list(kind)
        if not is_admin:
            found = [c for c in found if c.get("project_id") == caller]
        return {COLLECTIONS[kind]: found}
