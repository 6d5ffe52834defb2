"""The README's table of session inputs says what the schema says: names and defaults."""

import json
import os
import re

from rolling_maintenance.workflow import session_input

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SECTION = "Running a maintenance session"


def readme_input_table():
    """`{field: default}` from the first table of the README's session section."""
    with open(os.path.join(ROOT, "README.rst")) as handle:
        text = handle.read()
    section = text[text.index(SECTION):]
    lines = section.splitlines()
    borders = [i for i, line in enumerate(lines) if re.fullmatch(r"=+( +=+)+", line)]
    header, first_row, end = borders[0], borders[1] + 1, borders[2]
    assert lines[header + 1].split()[:2] == ["field", "default"]
    table = {}
    for line in lines[first_row:end]:
        name, default = re.match(r"``(\w+)``\s+(``.*?``|\S+)", line).groups()
        table[name] = default
    return table


def literal(cell):
    """A default as the README writes it: ``JSON`` or a bare number, else a bare string."""
    text = cell.strip("`")
    try:
        return json.loads(text)
    except ValueError:
        return text


def test_the_readme_lists_every_input_in_the_schemas_order():
    assert list(readme_input_table()) == list(session_input.DEFAULTS)


def test_the_readme_gives_the_schemas_defaults():
    assert {name: literal(cell) for name, cell in readme_input_table().items()} == session_input.DEFAULTS
