"""A digest of the project code a module runs, for caches that must notice when that code changes.

Rasa fingerprints a component by its class source, its config and its inputs; it does not see the module
functions the class calls nor the plain modules it imports (`nlu.text`, `nlu.arabizi`, the lexicons), so an
edit there would leave a stale model. The knowledge index has the same blind spot for its text preparation.
`code_digest` hashes the source of the given modules and, transitively, of every module of the listed
project packages they import (read from the files with `ast`, nothing is imported), plus each module's data
folder (`nlu/lexicon.py` reads the YAML files of `nlu/lexicon/`) and any extra files or folders the caller
names. Imports of other packages (Rasa, NumPy, `settings`) are not followed: their versions are the
environments' business. Python files count by their syntax tree without docstrings, so a comment, a
docstring or a reformatting retrains nothing; this module itself is left out (it changes no behaviour).
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

__all__ = ["ROOT", "code_digest"]

ROOT = Path(__file__).resolve().parents[1]
# What a data folder holds that a module reads as code-like data (lexicons); Markdown documents next to
# knowledge/documents.py are content, which the index hashes on its own.
DATA_SUFFIXES = (".yml", ".yaml", ".json", ".txt")


def _module_file(name: str, root: Path) -> Path | None:
    """The source file of a project module ("nlu.text" -> nlu/text.py, a package -> its __init__.py)."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(name: str, path: Path, root: Path) -> set[str]:
    """Names of the modules `path` imports, anywhere in it (lazy imports inside functions count too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parent = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*parent, *([node.module] if node.module else [])])
            # `from nlu import text` depends on the module nlu.text, not on nlu/__init__.py
            submodules = {f"{module}.{a.name}" for a in node.names if _module_file(f"{module}.{a.name}", root)}
            found.update(submodules if len(submodules) == len(node.names) else {module, *submodules})
    return found


def _files(modules: tuple[str, ...], packages: tuple[str, ...], root: Path) -> list[Path]:
    """The source files of `modules` and of the project modules they import, and their data folders."""
    seen: set[str] = set()
    files: set[Path] = set()
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen or name == __name__ or name.split(".")[0] not in packages:
            continue
        seen.add(name)
        path = _module_file(name, root)
        if path is None:
            continue
        files.add(path)
        data = path.with_suffix("")
        if path.name != "__init__.py" and data.is_dir():
            files.update(p for p in _folder(data) if p.suffix in DATA_SUFFIXES)
        todo.extend(_imported(name, path, root))
    return sorted(files)


def _content(path: Path) -> bytes:
    """What a file contributes: Python as its syntax tree without docstrings, anything else as it is."""
    if path.suffix != ".py":
        return path.read_bytes()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()


def _folder(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts] if path.is_dir() else [path]


def code_digest(
    *modules: str, packages: tuple[str, ...] = ("nlu",), extra: tuple[Path, ...] = (), root: Path = ROOT
) -> str:
    """sha256 of the files `modules` depend on (see the module doc) and of the `extra` files or folders;
    module names are looked up under `root` (the repository)."""
    paths = _files(modules, packages, root) + [p for entry in extra for p in sorted(_folder(Path(entry)))]
    sha = hashlib.sha256()
    for path in paths:
        label = path.relative_to(root) if path.is_relative_to(root) else path
        sha.update(f"{label}\0".encode())
        sha.update(hashlib.sha256(_content(path)).digest())
    return sha.hexdigest()
