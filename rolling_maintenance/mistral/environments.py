"""Mistral environments as small named JSON records: read, write, delete, list by prefix.

Environments live in Mistral's database (SQLite in the embedded stack,
PostgreSQL or MySQL in production), so what the project keeps there survives
restarts of every process without a second database. They are private to the
Mistral project of the identity that writes them.
"""

import json

from mistralclient.api import base as mistral_base

from rolling_maintenance.mistral.errors import is_missing

PAGE_SIZE = 100


def variables_of(environment):
    """The environment's variables as a dict (the client may hand them over as JSON text)."""
    variables = getattr(environment, "variables", None)
    if isinstance(variables, str):
        try:
            variables = json.loads(variables)
        except ValueError:
            return None
    return variables if isinstance(variables, dict) else None


def get(client, name):
    """The environment called `name`, or None."""
    try:
        return client.environments.get(name)
    except mistral_base.APIException as exc:
        if is_missing(exc):
            return None
        raise


def put(client, name, variables, description):
    """Replace the environment, or create it; a create that loses a race replaces."""
    fields = {"name": name, "variables": dict(variables), "description": description}
    try:
        client.environments.update(**fields)
    except mistral_base.APIException as exc:
        if not is_missing(exc):
            raise
        try:
            client.environments.create(**fields)
        except mistral_base.APIException as create_exc:
            if create_exc.error_code != 409:
                raise
            client.environments.update(**fields)


def delete(client, name):
    """Delete the environment; False when there was none."""
    try:
        client.environments.delete(name)
    except mistral_base.APIException as exc:
        if is_missing(exc):
            return False
        raise
    return True


def with_prefix(client, prefix):
    """Every environment whose name starts with `prefix`, in name order.

    Mistral cuts a list at its `[api] max_limit`, and its environment list
    cannot page with a marker (Mistral 23 looks the marker id up as a name),
    so each page asks for the names after the last one read.
    """
    name_filter = "gte:" + prefix
    while True:
        page = client.environments.list(limit=PAGE_SIZE, sort_keys="name", sort_dirs="asc",
                                        name=name_filter)
        if not page:
            return
        for environment in page:
            if not environment.name.startswith(prefix):
                return
            yield environment
        name_filter = "gt:" + page[-1].name
