"""The layers of docs/architecture.md, enforced: a test reads every import in ``events/``.

Each module of ``events`` belongs to the first layer whose prefix it starts with; it may
import only the layers its row allows. Every import counts, also inside functions and under
``TYPE_CHECKING``, and no two modules may import each other through any chain (a circle).
The same table stands in docs/architecture.md; a test keeps the two equal.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "events"

PURE = ("pure",)
LAYERS: dict[str, tuple[str, ...]] = {
    # layer: (prefixes that belong to it, ...)
    "wiring": ("events.app", "events.__main__", "events.db", "events.serving"),
    "web": ("events.web",),
    "services": ("events.services",),
    "models": ("events.models", "events.migrations"),
    "pairing": ("events.pairing",),
    "pure": (
        "events.calendars",
        "events.tickets",
        "events.urls",
        "events.i18n",
        "events.starters",
        "events.logs",
        "events.settings",
    ),
}
ALLOWED: dict[str, tuple[str, ...]] = {
    "wiring": ("wiring", "web", "services", "models", "pairing", "pure"),
    "web": ("web", "services", "pairing", "pure"),
    "services": ("services", "models", "pairing", "pure"),
    "models": ("models",),
    "pairing": ("pairing",),
    "pure": ("pure",),
}
FORBIDDEN_THIRD_PARTY: dict[str, tuple[str, ...]] = {
    "web": ("tortoise",),
    "pairing": ("tortoise", "starlette", "jinja2"),
    "pure": ("tortoise", "starlette"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    if module == "events":  # the package's own __init__: a docstring and nothing else
        return "pure"
    for layer, prefixes in LAYERS.items():
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return layer
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS and the doc")


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:  # `from events.services import mail` imports a module
                if _is_module(f"{base}.{alias.name}"):
                    yield node.lineno, f"{base}.{alias.name}"


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent / dotted.replace(".", "/")
    return path.with_suffix(".py").exists() or path.is_dir()


def ours(module: str) -> bool:
    return module == "events" or module.startswith("events.")


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        edges.setdefault(source, set())
        for _, target in imports_of(path):
            if ours(target) and target != "events":
                edges[source].add(target)
    return edges


def layer_violations(root: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        source = module_name(path)
        layer = layer_of(source)
        for line, target in imports_of(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if ours(target) and target != "events":
                if layer_of(target) not in ALLOWED[layer]:
                    found.append(f"{where} {layer} may not import {target}")
            elif target.split(".")[0] in FORBIDDEN_THIRD_PARTY.get(layer, ()):
                found.append(f"{where} {layer} may not import {target}")
    return found


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_every_import_stays_in_its_layer() -> None:
    assert layer_violations() == []


def test_no_import_circles() -> None:
    assert circles(graph()) == []


def test_a_bad_import_is_caught(tmp_path: Path) -> None:
    """The checker itself works: a web module importing models, and a circle, both fail."""
    bad = PACKAGE / "web" / "_layer_probe.py"
    bad.write_text("from events.models import Event\n")
    try:
        assert any("_layer_probe" in v for v in layer_violations())
    finally:
        bad.unlink()
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _doc_table() -> dict[str, tuple[str, ...]]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## Allowed imports", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (.+?) \|$", section, re.M)
    return {layer: tuple(re.findall(r"`(\w+)`", allowed)) for layer, _, allowed in rows}


def test_the_doc_states_the_same_layers() -> None:
    assert _doc_table() == ALLOWED


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_the_doc_names_every_module_prefix_of_a_layer(layer: str) -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## Allowed imports", 1)[1].split("\n## ", 1)[0]
    row = re.search(rf"^\| `{layer}` \| (.+?) \|", section, re.M)
    assert row is not None
    assert set(re.findall(r"`([\w.]+)`", row.group(1))) == set(LAYERS[layer])
