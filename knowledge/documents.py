"""Knowledge documents: Markdown with YAML front matter (docs/architecture.md "Knowledge documents").

Parsing is strict because a bad document must be refused with one clear line, never half-indexed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import KnowledgeError

DOC_LANGS = ("ar", "fr", "en")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")  # "_" too: service ids embed values like access_information
HEADING_RE = re.compile(r"^##\s+(?P<title>.+?)\s*(?:\{#(?P<key>[A-Za-z0-9_-]+)\})?\s*$")
H1_RE = re.compile(r"^#\s+\S")
LEAD_SECTION = "intro"
MAX_FRONT_MATTER = 16 * 1024  # a few fields and FAQ lines; bounds the YAML parser's work
# Control characters other than tab, newlines and form feed (PDF page breaks): text has almost none, a binary
# file read as text is full of them.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.01


@dataclass
class Document:
    """One document: its front-matter fields, its Markdown body and the body cut into H2 sections."""

    id: str
    lang: str
    title: str
    topic: str
    body: str
    service: str | None = None
    source: list[str] = field(default_factory=list)
    url: str | None = None
    checked: str | None = None
    tags: list[str] = field(default_factory=list)
    provisional: bool = False
    office: str | None = None
    faq: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(**data)

    def front_matter(self) -> dict[str, Any]:
        """The fields written between `---` lines when the document is saved."""
        keys = (
            "id",
            "lang",
            "title",
            "topic",
            "service",
            "source",
            "url",
            "checked",
            "tags",
            "provisional",
            "office",
            "faq",
        )
        return {key: getattr(self, key) for key in keys if getattr(self, key) not in (None, [], "")}

    def to_markdown(self) -> str:
        matter = yaml.safe_dump(self.front_matter(), allow_unicode=True, sort_keys=False).strip()
        return f"---\n{matter}\n---\n{self.body.strip()}\n"


def split_sections(body: str) -> tuple[dict[str, str], dict[str, str]]:
    """Cut a Markdown body at H2 headings: `{#key}` (or a slug of the heading) -> section text, and -> heading.

    The text before the first H2 is the `intro` section (forum documents have nothing else); H1 lines are
    dropped (they repeat the title).
    """
    sections: dict[str, list[str]] = {LEAD_SECTION: []}
    headings: dict[str, str] = {}
    current = LEAD_SECTION
    for line in body.splitlines():
        if H1_RE.match(line):
            continue  # the document title, already in the front matter
        match = HEADING_RE.match(line)
        if match:
            title = match.group("title").strip()
            current = match.group("key") or _slug(title) or f"section-{len(sections)}"
            while current in sections:
                current += "-2"
            sections[current] = []
            headings[current] = title
            continue
        sections[current].append(line)
    texts = {key: "\n".join(lines).strip() for key, lines in sections.items()}
    return {key: text for key, text in texts.items() if text}, headings


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")[:40]


class AliasRefused(yaml.YAMLError):
    """A front matter used `&anchor` / `*alias`: never needed for a few fields, and a few lines of them
    expand to 10^8 items (a "billion laughs") that take minutes and gigabytes to build."""


class FrontMatterLoader(yaml.SafeLoader):
    """yaml.SafeLoader (plain data only) that refuses aliases and anchors as soon as it meets one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise AliasRefused(None, None, "aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)


def parse_markdown(text: str, origin: str = "<text>") -> Document:
    """Parse one Markdown document; raises KnowledgeError naming `origin` when the front matter is wrong."""
    if not text.startswith("---"):
        raise KnowledgeError(f"{origin}: no front matter (the file must start with a '---' line)")
    parts = re.split(r"^---[ \t]*$", text, maxsplit=2, flags=re.MULTILINE)
    if len(parts) < 3:
        raise KnowledgeError(f"{origin}: front matter is not closed by a '---' line")
    if len(parts[1]) > MAX_FRONT_MATTER:
        raise KnowledgeError(f"{origin}: front matter over {MAX_FRONT_MATTER // 1024} KiB")
    try:
        meta = yaml.load(parts[1], Loader=FrontMatterLoader)  # a SafeLoader, without aliases
    except AliasRefused:
        raise KnowledgeError(f"{origin}: front matter uses YAML aliases or anchors (not allowed)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise KnowledgeError(f"{origin}: malformed front matter{where}") from None
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{origin}: front matter must be a YAML mapping")
    return make_document(meta, parts[2], origin)


def make_document(meta: dict[str, Any], body: str, origin: str) -> Document:
    """Validate front-matter fields and build the Document (shared by Markdown and converted files)."""
    for key in ("id", "lang", "title", "topic"):
        if not meta.get(key):
            raise KnowledgeError(f"{origin}: front matter lacks '{key}'")
    doc_id = str(meta["id"])
    if not ID_RE.match(doc_id):
        raise KnowledgeError(f"{origin}: id {doc_id!r} must be lowercase letters, digits, '-' and '_'")
    if meta["lang"] not in DOC_LANGS:
        raise KnowledgeError(f"{origin}: lang {meta['lang']!r} must be one of {', '.join(DOC_LANGS)}")
    if not body.strip():
        raise KnowledgeError(f"{origin}: the document has no text")
    check_text(body, origin)
    sections, headings = split_sections(body)
    return Document(
        id=doc_id,
        lang=str(meta["lang"]),
        title=str(meta["title"]).strip(),
        topic=str(meta["topic"]),
        body=body.strip(),
        service=_opt_str(meta.get("service")),
        source=_str_list(meta.get("source")),
        url=_opt_str(meta.get("url")),
        checked=_opt_str(meta.get("checked")),
        tags=_str_list(meta.get("tags")),
        provisional=bool(meta.get("provisional", False)),
        office=_opt_str(meta.get("office")),
        faq=_str_list(meta.get("faq")),
        sections=sections,
        headings=headings,
        path=origin,
    )


def check_text(text: str, origin: str) -> None:
    """Refuse a binary file read as text: a NUL byte, or more than 1% control characters."""
    controls = len(CONTROL_RE.findall(text))
    if "\x00" in text or controls > MAX_CONTROL_SHARE * len(text):
        raise KnowledgeError(f"{origin}: {controls} control characters (NUL, ...) in the text: not a text document")


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value).strip()]


def load_markdown_file(path: Path, origin: str | None = None) -> Document:
    """Read and parse a Markdown document file (UTF-8 only)."""
    return parse_markdown(read_utf8(path), origin or str(path))


def read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeError(f"{path.name}: not UTF-8 text") from None


def scan_markdown(root: Path) -> list[Path]:
    """Every document file under `root` (sorted, so builds are deterministic)."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*.md") if path.is_file() and not path.name.startswith("."))
