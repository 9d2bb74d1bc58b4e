"""The extraction version: what, besides a document's text, decides what we extract from it.

A document is re-extracted when its content hash *or* this version changes. The version
is a hash of

- the source of every module the extraction imports: the import closure of the stage
  function (:mod:`pipeline.batch`) and of assembly (:mod:`pipeline.assembly`), found by
  reading the imports of each module (lazy ones inside functions, and module names in
  strings, as ``pipeline.nlp``'s lazy exports, included), so a new module on the path is
  covered the moment it is imported;
- every file of the knowledge-pack folder (the ``resources_dir`` setting);
- the name and version of the spaCy model the ``spacy_model`` setting chooses.

Comments and formatting count too: a false "changed" only costs a re-extraction, while a
missed change would leave stale triples.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PACKAGE = "pipeline"

# Where the extraction starts: the stage function and the assembly of its claims.
EXTRACTION_ROOTS = ("pipeline.batch", "pipeline.assembly")
# Settings reach the extraction as values, and the two that shape it are hashed by what
# they point at (the pack's files, the model's name and version): editing config.py
# (a new setting) must not re-extract every document.
NOT_VERSIONED = frozenset({"pipeline.config"})
# The code that shapes the exported files from the knowledge base's records.
EXPORT_ROOTS = ("pipeline.kb.export", "pipeline.kb.writer")


def module_file(name: str, root: Path = PACKAGE_DIR) -> Path | None:
    """The source file of module ``name`` of the package at ``root``, or None."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = root.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, less the bodies of ``if TYPE_CHECKING:`` (imports for annotations only)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def imported_names(path: Path, module: str) -> frozenset[str]:
    """Module names ``path`` (module ``module``) may import: ``import a.b``, ``from a
    import b`` (``a`` and ``a.b``), relative imports, and string constants naming a module
    of the package (``importlib.import_module`` tables)."""
    stat = path.stat()
    return _imported_names(str(path), module, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _imported_names(path_name: str, module: str, _mtime_ns: int, _size: int) -> frozenset[str]:
    path = Path(path_name)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in _nodes(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith(PACKAGE + ".")
            and node.value.replace(".", "").replace("_", "").isalnum()
        ):
            names.add(node.value)
    return frozenset(names)


def import_closure(roots: Iterable[str], root: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Every module of the package that ``roots`` import, directly or not (with the
    ``__init__`` of each package on the way), by name."""
    found: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in found or name in NOT_VERSIONED:
            continue
        path = module_file(name, root)
        if path is None:
            continue
        found[name] = path
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        todo.extend(imported_names(path, name))
    return dict(sorted(found.items()))


def _folder_files(folder: Path) -> list[Path]:
    files = (p for p in folder.rglob("*") if p.is_file())
    return sorted(
        (p for p in files if "__pycache__" not in p.parts and p.suffix != ".pyc"),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def model_id(spacy_model: str) -> str:
    """``name==version`` of the spaCy model the ``spacy_model`` setting chooses (the same
    choice as :func:`pipeline.nlp.pipeline.choose_model`), or ``none``."""
    from pipeline.nlp.pipeline import choose_model

    model = choose_model(spacy_model)
    if model is None:
        return "none"
    meta_file = Path(model) / "meta.json"
    if meta_file.is_file():  # a model folder
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return f"{meta.get('lang', '')}_{meta.get('name', '')}=={meta.get('version', '')}"
    return f"{model}=={metadata.version(model)}"


def compute_extraction_version(
    root: Path = PACKAGE_DIR, resources_dir: Path | None = None, model: str = "none"
) -> str:
    """Hash of the extraction's import closure in the package at ``root``, the files of the
    pack folder (default: ``root/resources``) and the model id (16 characters)."""
    h = hashlib.sha256()
    for path in import_closure(EXTRACTION_ROOTS, root).values():
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")
    pack = resources_dir or root / "resources"
    for path in _folder_files(pack):
        h.update(b"pack/" + path.relative_to(pack).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")
    h.update(b"model=" + model.encode("utf-8"))
    return "x" + h.hexdigest()[:15]


@functools.cache
def extraction_version(resources_dir: str = "", spacy_model: str = "") -> str:
    """The running code's extraction version for these settings (once per process)."""
    pack = Path(resources_dir) if resources_dir else None
    return compute_extraction_version(PACKAGE_DIR, pack, model_id(spacy_model))


@functools.cache
def export_version(extraction: str = "") -> str:
    """Hash of the export code and the extraction version: a change regenerates exports."""
    h = hashlib.sha256(extraction.encode())
    for path in import_closure(EXPORT_ROOTS).values():
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return "e" + h.hexdigest()[:15]
