"""Turn an admin's file (Markdown, text, PDF, DOCX, HTML) into a Document before it is added.

Markdown with front matter is taken as is; any other file gets its front matter from the options the admin
gave (`--lang --title --topic --source`), else the language is detected and the id comes from the file name.
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from knowledge.documents import Document, make_document, parse_markdown
from knowledge.errors import KnowledgeError
from nlu.langid import identify
from nlu.languages import document_language

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")


@dataclass
class Options:
    """Front-matter values given on the command line (or by the bot) for files that have none."""

    lang: str | None = None
    title: str | None = None
    topic: str | None = None
    source: str | None = None
    doc_id: str | None = None


def check_path(path: Path) -> None:
    """Refuse what must never be read: `..` in the name, missing, non-regular, empty, too big, unknown type."""
    if ".." in path.parts:
        raise KnowledgeError(f"{path}: '..' is not allowed in a file name")
    if not path.is_file():
        raise KnowledgeError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise KnowledgeError(f"{path.name}: unknown type (accepted: {' '.join(SUFFIXES)})")
    size = path.stat().st_size
    if size == 0:
        raise KnowledgeError(f"{path.name}: empty file")
    if size > MAX_BYTES:
        raise KnowledgeError(f"{path.name}: {size // (1024 * 1024)} MB is over the {MAX_BYTES // (1024 * 1024)} MB cap")


def id_from_name(path: Path) -> str:
    """A document id from a file name: lower case, [a-z0-9-] only; a hash when nothing Latin is left."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:80]
    return slug or "doc-" + hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:8]


def extract_text(path: Path) -> str:
    """The text of a non-Markdown file, with H2 headings kept as `## ` lines where the format has them."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            return _pdf_text(path)
        if suffix == ".docx":
            import docx

            lines = []
            for paragraph in docx.Document(str(path)).paragraphs:
                style = (paragraph.style.name if paragraph.style is not None else "") or ""
                lines.append(("## " if style.startswith("Heading") else "") + paragraph.text)
            return "\n\n".join(line for line in lines if line.strip())
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeError(f"{path.name}: not UTF-8 text") from None
    except KnowledgeError:
        raise
    except Exception as error:  # a corrupt PDF/DOCX raises many kinds of errors: all mean "unreadable"
        raise KnowledgeError(f"{path.name}: unreadable {suffix[1:].upper()} file ({type(error).__name__})") from None
    if suffix in (".html", ".htm"):
        return _html_text(raw)
    return raw


def _pdf_text(path: Path) -> str:
    """pypdf logs a warning per defect it meets (bad header, no EOF marker, ...) before it gives up: the
    admin should read one line, the error `extract_text` raises, so its warnings are silenced."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return "\n\n".join((page.extract_text() or "").strip() for page in PdfReader(str(path)).pages)


def _html_text(raw: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer"]):
        tag.decompose()
    for heading in soup.find_all(["h1", "h2", "h3"]):
        heading.string = f"\n\n## {heading.get_text(' ', strip=True)}\n\n"
    for block in soup.find_all(["p", "li", "div", "br", "tr"]):
        block.append("\n\n")
    text = soup.get_text()
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def load_file(path: Path, options: Options | None = None) -> Document:
    """Check and convert one file into a Document (raises KnowledgeError with a one-line reason)."""
    options = options or Options()
    check_path(path)
    text = extract_text(path)
    if not text.strip():
        raise KnowledgeError(f"{path.name}: no text found in the file")
    if path.suffix.lower() in (".md", ".markdown") and text.lstrip().startswith("---"):
        return parse_markdown(text.lstrip(), path.name)
    first_line = next((line.strip("# ").strip() for line in text.splitlines() if line.strip()), path.stem)
    lang = options.lang or document_language(identify(text[:2000]))
    meta = {
        "id": options.doc_id or id_from_name(path),
        "lang": lang,
        "title": options.title or first_line[:90],
        "topic": options.topic or "general",
        "source": [options.source or path.name],
        "provisional": False,
    }
    return make_document(meta, text, path.name)
