"""python-mistralclient's `environments` manager in memory, with Mistral's answers.

404 for an unknown name, 409 for a second create of a name, variables kept as
JSON text the way the API stores them, `eq`/`has`/`gt`/`gte` name filters,
sorting, a list clamped at `max_limit`, and Mistral 23's broken marker (an
environment id is looked up as a name, so any marker is a 404).
"""

import itertools
import json
import threading
import types

import requests
from mistralclient.api import base as mistral_base


class FakeEnvironments:
    def __init__(self, max_limit=1000):
        self.rows = {}
        self.max_limit = max_limit
        self.calls = []
        self.down = False
        self.before_create = None
        self.lock = threading.Lock()
        self.counter = itertools.count(1)
        # The Mistral project of whoever calls next; a list shows every project's, as to an admin.
        self.project_id = "<default-project>"

    def _check_up(self):
        if self.down:
            raise requests.ConnectionError("connection refused")

    def _view(self, row):
        return types.SimpleNamespace(id=row["id"], name=row["name"], description=row["description"],
                                     variables=json.loads(row["variables"]), scope="private",
                                     created_at=row["created_at"], project_id=row["project_id"])

    def create(self, name=None, variables=None, description=None, scope=None):
        self._check_up()
        self.calls.append(("create", name))
        if self.before_create:
            hook, self.before_create = self.before_create, None
            hook(name)
        with self.lock:
            if name in self.rows:
                raise mistral_base.APIException(409, "Duplicate entry for Environment %s" % name)
            seq = next(self.counter)
            self.rows[name] = {"id": "env-%06d" % seq, "name": name, "description": description,
                               "variables": json.dumps(variables), "created_at": seq,
                               "project_id": self.project_id}
            return self._view(self.rows[name])

    def update(self, name=None, variables=None, description=None, scope=None):
        self._check_up()
        self.calls.append(("update", name))
        with self.lock:
            if name not in self.rows:
                raise mistral_base.APIException(404, "Environment not found [name=%s]" % name)
            self.rows[name].update(variables=json.dumps(variables), description=description)
            return self._view(self.rows[name])

    def get(self, name):
        self._check_up()
        self.calls.append(("get", name))
        with self.lock:
            if name not in self.rows:
                raise mistral_base.APIException(404, "Environment not found [name=%s]" % name)
            return self._view(self.rows[name])

    def delete(self, name):
        self._check_up()
        self.calls.append(("delete", name))
        with self.lock:
            if self.rows.pop(name, None) is None:
                raise mistral_base.APIException(404, "Environment not found [name=%s]" % name)

    def list(self, marker="", limit=None, sort_keys="", sort_dirs="", fields="", **filters):
        self._check_up()
        self.calls.append(("list", marker))
        if marker:
            # What Mistral 23 does: the marker id is looked up as a name.
            raise mistral_base.APIException(404, "Environment not found [name=%s]" % marker)
        with self.lock:
            rows = sorted(self.rows.values(), key=lambda r: r[sort_keys or "created_at"],
                          reverse=(sort_dirs == "desc"))
        name = filters.get("name") or ""
        kind, _, value = name.partition(":") if ":" in name else ("eq", "", name)
        test = {"eq": lambda n: n == value, "has": lambda n: value in n,
                "gt": lambda n: n > value, "gte": lambda n: n >= value}[kind]
        if name:
            rows = [r for r in rows if test(r["name"])]
        limit = self.max_limit if limit is None else min(limit, self.max_limit)
        return [self._view(r) for r in rows[:limit]]


class FakeEnvironmentsClient:
    """A client with only `environments`, as the constraints store and reader use it."""

    def __init__(self, **kwargs):
        self.environments = FakeEnvironments(**kwargs)
