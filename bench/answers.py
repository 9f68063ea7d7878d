"""Answer sets (the dev.yml format) and the rules that decide whether a reply passes an item.

The rules are those of the shared evaluation script (answer_eval.py), reimplemented here because the project
must not read ../shared at run time: same normalisation (lower case, Arabic diacritics and tatweel removed,
alef/yeh/teh-marbuta folding, Arabic-Indic digits), same "every expect group must match one of its strings",
same "none" strings and same majority-script check, so our numbers compare with the official ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

VARIETIES = ("ar", "ary", "ary_Latn", "fr", "en")
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTER = re.compile(
    "[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"
)
_LATIN_LETTER = re.compile("[a-zA-Z\u00c0-\u024f]")
_LINKS = re.compile(r"(https?://\S+|www\.\S+|\b[\w.-]+\.(?:ma|com|org|gov|net)\b\S*)", re.I)
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)


@dataclass(frozen=True)
class Item:
    """One question of an answer set and what a good reply must (and must not) contain."""

    id: str
    lang: str
    text: str
    expect: tuple[tuple[str, ...], ...] = ()
    none: tuple[str, ...] = ()
    script: str = "any"
    source: str = ""


@dataclass
class Tally:
    """Passed / total per group (a variety, or an answer set), for one system."""

    counts: dict[str, list[int]] = field(default_factory=dict)

    def add(self, group: str, passed: bool) -> None:
        count = self.counts.setdefault(group, [0, 0])
        count[0] += int(passed)
        count[1] += 1

    def _pairs(self, group: str | None) -> list[list[int]]:
        return list(self.counts.values()) if group is None else [self.counts.get(group, [0, 0])]

    def total(self, group: str | None = None) -> int:
        """Items asked in one group (all groups when `group` is None)."""
        return sum(t for _, t in self._pairs(group))

    def rate(self, group: str | None = None) -> float | None:
        """Share of passed items in one group (all groups when `group` is None); None when none asked."""
        total = self.total(group)
        return sum(p for p, _ in self._pairs(group)) / total if total else None


def canonical_lang(code: str) -> str:
    """The architecture's code for a variety (the shared sets spell Arabizi `ary_latn`)."""
    return {"ary_latn": "ary_Latn"}.get(code.lower(), code)


def match_form(text: str) -> str:
    """The reply/expectation text as the evaluation compares it: folded, padded with spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIACRITICS.sub("", text).translate(_FOLD)
    return " " + re.sub(r"\s+", " ", text) + " "


def script_of(text: str) -> str:
    """`arab`, `latn` or `none`: the script of most letters, links and domain names left out."""
    bare = _LINKS.sub(" ", text)
    arabic, latin = len(_ARABIC_LETTER.findall(bare)), len(_LATIN_LETTER.findall(bare))
    if arabic + latin == 0:
        return "none"
    return "arab" if arabic >= latin else "latn"


def failures(item: Item, reply: str) -> list[str]:
    """Why `reply` fails `item` (empty list when it passes)."""
    if not reply.strip():
        return ["empty reply"]
    said = match_form(reply)
    why = []
    for group in item.expect:
        if not any(match_form(s).strip() and match_form(s)[1:-1] in said for s in group):
            why.append("missing one of " + " | ".join(group))
    why.extend(f"should not say {s!r}" for s in item.none if match_form(s)[1:-1] in said)
    if item.script != "any" and script_of(reply) != item.script:
        why.append(f"reply script is {script_of(reply)}, expected {item.script}")
    return why


def reply_text(replies: list[dict]) -> str:
    """The texts of Rasa's REST replies and their button titles, joined as the evaluation reads them."""
    parts: list[str] = []
    for reply in replies:
        parts.append(reply.get("text") or "")
        parts.extend(button.get("title", "") for button in reply.get("buttons") or [])
    return "\n".join(part for part in parts if part)


def load_set(path: Path) -> list[Item]:
    """The items of one answer set file (a mapping with `items:`, or a bare list)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = data.get("items", []) if isinstance(data, dict) else data
    return [
        Item(
            id=str(row["id"]),
            lang=canonical_lang(str(row["lang"])),
            text=str(row["text"]),
            expect=tuple(tuple(str(s) for s in group) for group in row.get("expect") or []),
            none=tuple(str(s) for s in row.get("none") or []),
            script=str(row.get("script", "any")),
            source=path.stem,
        )
        for row in rows
    ]
