"""The house rules of docs/architecture.md, checked on the source tree: imports go one way
(no circle, lazy imports inside functions counted; nothing in ``pipeline`` imports the entry
points), at most six loose modules in ``pipeline/``, settings built only at entry points."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "flows")
ENTRY_POINTS = ("pipeline/commands/", "flows/", "pipeline/config.py")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Our modules that ``path`` imports anywhere in its body (``from x import y`` counts
    ``x.y`` when that is a module, else ``x``), type-checking imports aside."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {  # "if TYPE_CHECKING:" imports never run
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING")
        for n in ast.walk(block)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        out.update(t for t in targets if t in known and t != name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _is_package_init_edge(a: str, b: str) -> bool:
    """A package's ``__init__`` re-exporting its own modules is no circle."""
    return b.startswith(a + ".") or a.startswith(b + ".")


def test_no_import_circle() -> None:
    graph = {
        a: {b for b in targets if not _is_package_init_edge(a, b)}
        for a, targets in _graph().items()
    }
    assert _cycles(graph) == []


def test_the_library_never_imports_the_entry_points() -> None:
    wrong = {
        (a, b)
        for a, targets in _graph().items()
        if a.startswith("pipeline.")
        and not a.startswith("pipeline.commands")
        and a != "pipeline.__main__"
        for b in targets
        if b.startswith(("flows", "pipeline.commands"))
    }
    assert wrong == set()


def test_at_most_six_loose_modules() -> None:
    loose = [
        p.name
        for p in (ROOT / "pipeline").glob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    ]
    assert len(loose) <= 6, loose


def test_settings_are_built_only_at_entry_points() -> None:
    calls = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")) + sorted((ROOT / "flows").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(ENTRY_POINTS) and rel != "flows/__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "from_env":
                calls.append(f"{rel}:{node.lineno}")
    assert calls == []


def test_the_checks_can_fail() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
