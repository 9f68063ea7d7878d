"""Append a trainer's example to the NLU training data, in its variety, in the project's format.

The data are `<training_data>/nlu/<variety>/*.yml` (settings `training_data`, BERKANE_TRAINING_DATA): Rasa 3
YAML with one `- intent:` block per intent and its examples as a literal block (`    - text`). The example
goes at the end of its intent's block, the rest of the file byte for byte as it was, written atomically
(temp file + rename) under a lock so two trainers never lose each other's line; the result is parsed back
before it replaces the file.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml
from filelock import FileLock

import settings

VARIETIES = ("ar", "ary", "ary_Latn", "fr", "en")
NOT_EXAMPLES = ("nlu_fallback", "choose_document")  # never typed by citizens (docs/architecture.md)
INTENT_RE = re.compile(r"^- intent: *(\S+) *$", re.MULTILINE)
MAX_CHARS = 300


class ExampleError(ValueError):
    """A refused example; one line for the trainer."""


def nlu_dir() -> Path:
    return settings.get().training_data / "nlu"


def intents() -> list[str]:
    """Every intent that has examples in some variety, sorted."""
    found: set[str] = set()
    for path in nlu_dir().glob("*/*.yml"):
        found.update(INTENT_RE.findall(path.read_text(encoding="utf-8")))
    return sorted(found - set(NOT_EXAMPLES))


def clean_example(text: str) -> str:
    line = " ".join(text.split())
    if not line:
        raise ExampleError("exemple vide")
    if line.startswith("/"):
        raise ExampleError("un bouton (/…) n'est pas un exemple")
    if len(line) > MAX_CHARS:
        raise ExampleError(f"exemple trop long (plus de {MAX_CHARS} caractères)")
    if re.search(r"\]\s*[({]", line):
        raise ExampleError("les crochets suivis de ( ou { sont la syntaxe des entités de Rasa : reformulez")
    return line


def _family_file(intent: str) -> str:
    if intent.startswith("forum_"):
        return "forum.yml"
    if intent.startswith("service_"):
        return "services.yml"
    return "dialogue.yml"


def append_example(variety: str, intent: str, text: str) -> Path:
    """Add `text` under `intent` in `variety`; the file changed. ExampleError when refused."""
    if variety not in VARIETIES:
        raise ExampleError(f"variété inconnue {variety!r} ({', '.join(VARIETIES)})")
    if intent not in intents():
        raise ExampleError(f"intention inconnue {intent!r}")
    line = clean_example(text)
    folder = nlu_dir() / variety
    lock_path = settings.var_dir() / "admin" / "nlu.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock_path), timeout=30):
        files = sorted(folder.glob("*.yml"))
        target = next(
            (p for p in files if re.search(rf"^- intent: *{re.escape(intent)} *$", p.read_text("utf-8"), re.M)), None
        )
        if target is None:
            target = folder / _family_file(intent)
        original = target.read_text(encoding="utf-8") if target.is_file() else 'version: "3.1"\nnlu:\n'
        if _has_example(original, intent, line):
            raise ExampleError(f"cet exemple est déjà dans {variety}/{target.name}")
        updated = _insert(original, intent, line)
        if not _has_example(updated, intent, line):
            raise ExampleError("l'exemple n'a pas pu être inséré proprement ; rien n'a changé")
        _write_atomic(target, updated)
    return target


def _examples(text: str) -> dict[str, list[str]]:
    data = yaml.safe_load(text) or {}
    found: dict[str, list[str]] = {}
    for block in data.get("nlu") or []:
        if "intent" in block:
            lines = str(block.get("examples") or "").splitlines()
            found.setdefault(block["intent"], []).extend(item.strip()[2:].strip() for item in lines if item.strip())
    return found


def _has_example(text: str, intent: str, line: str) -> bool:
    wanted = line.casefold()
    return any(example.casefold() == wanted for example in _examples(text).get(intent, []))


def _insert(text: str, intent: str, line: str) -> str:
    lines = text.splitlines(keepends=True)
    header = next((i for i, item in enumerate(lines) if re.match(rf"^- intent: *{re.escape(intent)} *$", item)), None)
    if header is None:
        ending = "" if text.endswith("\n") else "\n"
        return f"{text}{ending}- intent: {intent}\n  examples: |\n    - {line}\n"
    end = header + 1
    while end < len(lines) and (lines[end].startswith("  ") or not lines[end].strip()):
        end += 1
    while end > header + 1 and not lines[end - 1].strip():  # blank lines after the block stay after it
        end -= 1
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, f"    - {line}\n")
    return "".join(lines)


def _write_atomic(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
