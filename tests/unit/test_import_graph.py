"""No module of the package imports itself back, directly or through others.

The graph is read from the source with `ast`, every import statement
counted (also those inside functions, which hide a circle from Python at
import time but not from a reader), so a circle fails here before it makes
one module depend on the order another is loaded in.
"""

import ast
import pathlib

import rolling_maintenance

ROOT = pathlib.Path(rolling_maintenance.__file__).parent
PACKAGE = "rolling_maintenance"


def module_names():
    """`{dotted name: path}` of every module of the package."""
    names = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imported(node, module, is_package, known):
    """The modules of the package one import statement loads."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor[:len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join(anchor + ([base] if base else []))
        targets = ["%s.%s" % (base, alias.name) if "%s.%s" % (base, alias.name) in known else base
                   for alias in node.names]
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target.startswith(PACKAGE) and target != module:
            found.add(target)
    return found


def import_graph():
    known = module_names()
    graph = {}
    for module, path in known.items():
        tree = ast.parse(path.read_text(), str(path))
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges |= imported(node, module, path.name == "__init__.py", known)
        graph[module] = edges
    return graph


def find_circle(graph):
    """One import circle as a list of modules, or None."""
    state, stack = {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for nxt in sorted(graph.get(module, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                circle = visit(nxt)
                if circle:
                    return circle
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            circle = visit(module)
            if circle:
                return circle
    return None


def test_the_graph_sees_the_planner_imports():
    graph = import_graph()
    assert "rolling_maintenance.planner.strategy.parallel" in graph["rolling_maintenance.planner.strategy.next_step"]
    assert "rolling_maintenance.planner.model.steps" in graph["rolling_maintenance.planner.strategy.parallel"]


def test_a_circle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_circle(graph) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set()}) is None


def test_no_module_of_the_package_imports_itself_back():
    circle = find_circle(import_graph())
    assert circle is None, "import circle: %s" % " -> ".join(circle)
