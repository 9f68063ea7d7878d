"""Entities read from the lexicons in `nlu/lexicon/*.yml`: service, document, day, time, language_choice.

A citizen names the same paper ten ways ("عقد الازدياد", "3a9d l izdiyad", "extrait d'acte de naissance");
the lexicons list those ways under one canonical value (docs/architecture.md) so that actions get
`birth_extract` whatever the variety. Matching is done on views of the text in which every character
remembers where it came from, so the spans (`start`, `end`) always point into the ORIGINAL text:

- the normalised view: each word through `nlu.text.normalise` and `strip_accents`;
- the transliterated view: Latin Darija words through `nlu.arabizi.transliterate`, so an Arabizi sentence
  also finds the Arabic-script variants.

Variants match whole words, longest first; an Arabic-script variant also matches behind the clitics و ف ب ل ك
("بالفرنسية", "للملتقى"). A lexicon may add `patterns` (regular expressions over the normalised view with the
named groups `day`, `hour`, `minute`; or `{value: ..., regex: ...}` for a fixed value, matching where a word
list cannot: "qui ..." opening a question asks who, whatever verb follows) and `ignore` (phrases that contain a
variant but mean something else: "صباح الخير" is a greeting, not a time).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.arabizi import transliterate
from nlu.text import has_arabic, has_latin, normalise, strip_accents

__all__ = ["LEXICON_DIR", "SERVICE_ENTITIES", "Lexicon", "find_entities", "load_lexicons", "named_services"]

log = logging.getLogger(__name__)
LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
_TOKEN = re.compile(r"[^\W_]+(?:[\u0610-\u061a\u064b-\u065f\u0670\u0640][^\W_]*)*|[^\s\w]|_", re.UNICODE)
_ARTICLES = frozenset({"l", "el", "al"})
_CLITICS = ("و", "ف", "ب", "ل", "ك", "وف", "وب", "ول", "فب")
IGNORED = "__ignore__"


@dataclass
class _View:
    """A searchable form of the text: `text[i]` came from the original span `starts[i]`..`ends[i]`."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add(self, piece: str, start: int, end: int) -> None:
        """Append one word (space-separated from the previous one) that came from original[start:end]."""
        if not piece:
            return
        if self.text:
            self.text += " "
            self.starts.append(start)
            self.ends.append(start)
        self.text += piece
        self.starts.extend([start] * len(piece))
        self.ends.extend([end] * len(piece))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of view[start:end]."""
        return self.starts[start], self.ends[end - 1]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Words (letters/digits with their diacritics) and single punctuation marks, with their spans."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _key(word: str) -> str:
    """How one word is compared: normalised, accents removed."""
    return strip_accents(normalise(word))


def _normalised_view(text: str) -> _View:
    view = _View()
    for word, start, end in _tokens(text):
        view.add(_key(word), start, end)
    return view


def _transliterated_view(text: str) -> _View:
    """Latin words in Arabic script; a separate article is joined to its noun ("l izdiyad" -> الازدياد)."""
    view, tokens, i = _View(), _tokens(text), 0
    while i < len(tokens):
        word, start, end = tokens[i]
        if _key(word) in _ARTICLES and i + 1 < len(tokens) and has_latin(tokens[i + 1][0]):
            joined = transliterate(f"{word} {tokens[i + 1][0]}")
            if " " not in joined:
                view.add(joined, start, tokens[i + 1][2])
                i += 2
                continue
        view.add(transliterate(word) if has_latin(word) else _key(word), start, end)
        i += 1
    return view


def _variant_pattern(variant: str) -> list[str]:
    """Regex alternatives of one variant: its normalised words, and behind clitics when in Arabic script."""
    key = _normalised_view(variant).text
    if not key:
        return []
    forms = {key}
    if has_arabic(key) and not has_latin(key):
        forms.update(clitic + key for clitic in _CLITICS)
        if key.startswith("ال"):
            forms.update(clitic + key[1:] for clitic in ("ل", "ول"))  # ل + ال -> لل
    return sorted(forms)


@dataclass
class Lexicon:
    """One `nlu/lexicon/<name>.yml`: the entity, its variants, its patterns and its ignore list."""

    entity: str
    words: re.Pattern[str]  # group 1: the form starting at each word start (zero-width match)
    canonical: dict[str, str]
    patterns: list[tuple[re.Pattern[str], str | None]]  # (regex, fixed value or None: the value from its groups)

    @classmethod
    def from_yaml(cls, content: dict) -> Lexicon:
        canonical: dict[str, str] = {}
        # `ignore` first: an ignored word wins even over a form a variant makes with a clitic (ك + أين = كاين)
        entries = [(IGNORED, str(v)) for v in content.get("ignore") or []]
        entries += [
            (str(value), str(v)) for value, variants in (content.get("values") or {}).items() for v in variants or []
        ]
        for value, variant in entries:  # the first value listing a form keeps it
            for form in _variant_pattern(variant):
                if canonical.setdefault(form, value) != value:
                    log.debug(
                        "lexicon %s: %r under %s, also listed under %s",
                        content.get("entity"),
                        form,
                        canonical[form],
                        value,
                    )
        alternatives = "|".join(re.escape(f) for f in sorted(canonical, key=lambda f: (-len(f), f)))
        # At every word start, the longest form that ends a word there (in a lookahead, so that the scan goes
        # on from the next word: overlapping matches count, each word start is tried once, in C).
        words = re.compile(rf"(?<!\S)(?=((?:{alternatives}))(?!\S))" if alternatives else r"(?!x)x")
        patterns = [
            (re.compile(p["regex"]), str(p["value"])) if isinstance(p, dict) else (re.compile(p), None)
            for p in content.get("patterns") or []
        ]
        return cls(str(content["entity"]), words, canonical, patterns)

    def candidates(self, views: list[_View], normalised: _View) -> list[tuple[int, int, str]]:
        """Every (start, end, value) this lexicon sees, overlapping ones included."""
        found: list[tuple[int, int, str]] = []
        for view in views:
            for match in self.words.finditer(view.text):
                form = match.group(1)
                found.append((*view.span(match.start(), match.start() + len(form)), self.canonical[form]))
        for pattern, fixed in self.patterns:
            for match in pattern.finditer(normalised.text):
                value = fixed or _pattern_value(match)
                if value and match.end() > match.start():
                    found.append((*normalised.span(match.start(), match.end()), value))
        return found


def _pattern_value(match: re.Match[str]) -> str | None:
    """The value of a day/time pattern match, None when out of range ("le 45", "at 27")."""
    groups = match.groupdict()
    if groups.get("day"):
        day = int(groups["day"])
        return str(day) if 1 <= day <= 31 else None
    if groups.get("hour"):
        hour, minute = int(groups["hour"]), int(groups.get("minute") or 0)
        return f"{hour:02d}:{minute:02d}" if hour <= 23 and minute <= 59 else None
    return None


@lru_cache(maxsize=1)
def load_lexicons(folder: Path = LEXICON_DIR) -> tuple[Lexicon, ...]:
    """Every lexicon of `folder`, in file-name order (read once per process)."""
    lexicons = []
    for path in sorted(folder.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "entity" in content:
            lexicons.append(Lexicon.from_yaml(content))
    return tuple(lexicons)


def _select(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest first, then leftmost; overlapping shorter candidates are dropped."""
    chosen: list[tuple[int, int, str]] = []
    for start, end, value in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0], c[2])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, value))
    return chosen


def find_entities(text: object) -> list[dict]:
    """Entities of the lexicons in `text`: [{entity, value, start, end}] sorted by position.

    `start`/`end` index the text as given (not the normalised one). Several entities may share a span
    ("passport" is a `service` and a `document`); within one entity the longest match wins. Never raises on
    any string. The caller owns the list and its dicts (fresh copies).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    return [dict(entity) for entity in _entities(str(text))]


@lru_cache(maxsize=256)
def _entities(text: str) -> tuple[dict, ...]:
    """`find_entities`, once per text: the NLU asks twice per message (the intent classifier's markers, then
    the entity extractor), 0.5 ms each (issue 13)."""
    normalised = _normalised_view(text)
    views = [normalised] + ([_transliterated_view(text)] if has_latin(text) else [])
    entities = []
    for lexicon in load_lexicons():
        for start, end, value in _select(lexicon.candidates(views, normalised)):
            if value != IGNORED:
                entities.append({"entity": lexicon.entity, "value": value, "start": start, "end": end})
    return tuple(sorted(entities, key=lambda e: (e["start"], e["end"], e["entity"])))


SERVICE_ENTITIES = ("service", "document")


def named_services(text: object) -> tuple[str, ...]:
    """Which of SERVICE_ENTITIES `text` names, in that order: the one test of "is this about a public service
    or paper" shared by the intent classifier and the knowledge search's refusal rule."""
    found = {entity["entity"] for entity in find_entities(text)}
    return tuple(name for name in SERVICE_ENTITIES if name in found)
