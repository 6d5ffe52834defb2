"""Where tenant constraints live: Mistral environments, one per constraint.

Mistral's database is already the durable state of every maintenance session
(SQLite in the embedded stack, PostgreSQL or MySQL in production), and every
process that needs the constraints (this API, the planning actions) already
talks to Mistral. Storing each constraint as a Mistral environment
(`maintenance-instance-group-<group_id>`, `maintenance-instance-<instance_id>`,
the constraint's JSON in `variables`) makes them survive restarts of every
process without a second database to run, back up or migrate. Environments are
private to the Mistral project of the identity that writes them, so the API
(`--cloud`) and the actions reading them (`mistral.constraints.load_constraints`,
`ROLLING_MAINTENANCE_CLOUD` where they run) use the same service identity.

`MemoryConstraintsStore` keeps the same interface in a dict for unit tests.
"""

import copy
import threading

from rolling_maintenance.mistral import constraints as env_names
from rolling_maintenance.mistral import environments

KINDS = ("group", "instance")


class ConstraintsStore:
    """Create-or-replace, read, delete and list constraints by kind and id.

    `get_*` return None and `delete_*` return False when nothing is stored.
    """

    def put(self, kind, item_id, constraint):
        raise NotImplementedError

    def get(self, kind, item_id):
        raise NotImplementedError

    def delete(self, kind, item_id):
        raise NotImplementedError

    def list(self, kind):
        raise NotImplementedError

    def put_group(self, group_id, constraint):
        return self.put("group", group_id, constraint)

    def get_group(self, group_id):
        return self.get("group", group_id)

    def delete_group(self, group_id):
        return self.delete("group", group_id)

    def list_groups(self):
        return self.list("group")

    def put_instance(self, instance_id, constraint):
        return self.put("instance", instance_id, constraint)

    def get_instance(self, instance_id):
        return self.get("instance", instance_id)

    def delete_instance(self, instance_id):
        return self.delete("instance", instance_id)

    def list_instances(self):
        return self.list("instance")


def _check_kind(kind):
    if kind not in KINDS:
        raise ValueError("kind must be one of %s, got %r" % (", ".join(KINDS), kind))


class MemoryConstraintsStore(ConstraintsStore):
    """Constraints in a dict: the unit tests' stand-in for Mistral."""

    def __init__(self):
        self._items = {kind: {} for kind in KINDS}
        self._lock = threading.Lock()

    def put(self, kind, item_id, constraint):
        _check_kind(kind)
        with self._lock:
            self._items[kind][item_id] = copy.deepcopy(constraint)
        return copy.deepcopy(constraint)

    def get(self, kind, item_id):
        _check_kind(kind)
        with self._lock:
            return copy.deepcopy(self._items[kind].get(item_id))

    def delete(self, kind, item_id):
        _check_kind(kind)
        with self._lock:
            return self._items[kind].pop(item_id, None) is not None

    def list(self, kind):
        _check_kind(kind)
        with self._lock:
            return [copy.deepcopy(self._items[kind][key]) for key in sorted(self._items[kind])]


class MistralConstraintsStore(ConstraintsStore):
    """Constraints as Mistral environments through python-mistralclient's v2 client.

    Errors reaching Mistral propagate (`mistralclient` `APIException`,
    `requests` errors); the API answers them with 503.
    """

    DESCRIPTION = "Rolling maintenance %s constraint (written by the constraints API)"

    def __init__(self, client):
        self.client = client

    @staticmethod
    def _name(kind, item_id):
        _check_kind(kind)
        if kind == "group":
            return env_names.group_env_name(item_id)
        return env_names.instance_env_name(item_id)

    def put(self, kind, item_id, constraint):
        environments.put(self.client, self._name(kind, item_id), constraint,
                         self.DESCRIPTION % kind)
        return dict(constraint)

    def get(self, kind, item_id):
        environment = environments.get(self.client, self._name(kind, item_id))
        if environment is None or env_names.kind_of(environment) != kind:
            return None
        return env_names.variables_of(environment)

    def delete(self, kind, item_id):
        if self.get(kind, item_id) is None:
            return False
        return environments.delete(self.client, self._name(kind, item_id))

    def list(self, kind):
        _check_kind(kind)
        found = [env_names.variables_of(e) for e in env_names.constraint_environments(self.client)
                 if env_names.kind_of(e) == kind]
        key = "group_id" if kind == "group" else "instance_id"
        return sorted(found, key=lambda c: c[key])
