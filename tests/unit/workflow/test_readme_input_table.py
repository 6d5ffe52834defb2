"""The README's table of session inputs says what the schema says: names, defaults and bounds."""

import json
import os
import re

from rolling_maintenance.workflow import session_input

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SECTION = "Running a maintenance session"


def readme_input_table():
    """`{field: {"default", "bound"}}` from the first table of the README's session section."""
    with open(os.path.join(ROOT, "README.rst")) as handle:
        text = handle.read()
    section = text[text.index(SECTION):]
    lines = section.splitlines()
    borders = [i for i, line in enumerate(lines) if re.fullmatch(r"=+( +=+)+", line)]
    header, first_row, end = borders[0], borders[1] + 1, borders[2]
    columns = [m.span() for m in re.finditer(r"=+", lines[header])]

    def cells(line):
        return [line[start:columns[i + 1][0] if i + 1 < len(columns) else None].strip()
                for i, (start, _) in enumerate(columns)]
    assert cells(lines[header + 1])[:3] == ["field", "default", "bound"]
    table = {}
    for line in lines[first_row:end]:
        name, default, bound = cells(line)[:3]
        table[name.strip("`")] = {"default": default, "bound": bound}
    return table


def literal(cell):
    """A default as the README writes it: ``JSON`` or a bare number, else a bare string."""
    text = cell.strip("`")
    try:
        return json.loads(text)
    except ValueError:
        return text


def bound_of(field):
    """How the README writes a field's bound: `min-max`, `≤ n items|chars|keys`, or — for a choice."""
    if "maximum" in field:
        return "%d-%d" % (field["minimum"], field["maximum"])
    for key, unit in (("maxItems", "items"), ("maxLength", "chars"), ("maxProperties", "keys")):
        if key in field:
            return "≤ %d %s" % (field[key], unit)
    assert "enum" in field, field
    return "—"


def test_the_readme_lists_every_input_in_the_schemas_order():
    assert list(readme_input_table()) == list(session_input.DEFAULTS)


def test_the_readme_gives_the_schemas_defaults():
    assert {name: literal(row["default"]) for name, row in readme_input_table().items()} \
        == session_input.DEFAULTS


def test_the_readme_gives_the_schemas_bounds():
    assert {name: row["bound"] for name, row in readme_input_table().items()} == {
        name: bound_of(field) for name, field in session_input.SCHEMA["properties"].items()}


def readme_constraints_table():
    """`{field: bound}` from the README's table of constraint bounds."""
    with open(os.path.join(ROOT, "README.rst")) as handle:
        lines = handle.read().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("constraint field "))
    widths = [len(run) for run in lines[header - 1].split(" ")]
    table = {}
    for line in lines[header + 2:]:
        if line.startswith("="):
            return table
        name, bound = line[:widths[0]].strip(), line[widths[0] + 1:widths[0] + 1 + widths[1]]
        table[name.strip("`")] = bound.strip()
    raise AssertionError("the constraints table has no end")


def test_the_readme_gives_the_constraints_bounds():
    from rolling_maintenance.api import constraints_schema

    fields = dict(constraints_schema.INSTANCE_SCHEMA["properties"],
                  **constraints_schema.GROUP_SCHEMA["properties"])
    table = readme_constraints_table()
    assert table == {name: bound_of(fields[name]) for name in table}
    numbers = {name for name, field in fields.items() if field.get("type") == "integer"}
    assert numbers <= set(table)
