"""Reading and writing inventory files (JSON or YAML, told by their content)."""

import json

import yaml


class InventoryError(ValueError):
    """An inventory file that cannot be read; the message names the file."""


def load_inventory(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise InventoryError("cannot read inventory %s: %s" % (path, exc.strerror or exc)) from exc
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InventoryError("inventory %s is neither JSON nor YAML: %s" % (path, exc)) from exc
    if not isinstance(data, dict):
        raise InventoryError("inventory %s: must hold an object with 'hosts', 'instances' and 'groups', got %s"
                             % (path, type(data).__name__))
    if not isinstance(data.get("constraints", {}), dict):
        raise InventoryError("inventory %s: 'constraints' must be an object (what `inventory --cloud` "
                             "records of the constraints it read), got %s"
                             % (path, type(data["constraints"]).__name__))
    return data


def dump_inventory(inventory, path=None):
    """JSON text of an inventory, also written to `path` when given."""
    text = json.dumps(inventory, indent=2, sort_keys=True) + "\n"
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return text
