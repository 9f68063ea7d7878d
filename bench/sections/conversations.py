"""Whole conversations through REST: the conversation format, its rules, and the benchmark section.

A single question can be answered right while a conversation still fails: the follow-up that names only an
aspect ("et c'est où ?"), the choice after a clarifying question, the greeting in front of a question. A
conversation file (tests/conversations/*.yml, the held-out tests/data/conversations/heldout.yml) lists
conversations; each turn sends `user` text, or presses the offered button whose title contains `press` (a
string or a list of alternatives), and says what the reply must hold:

- `expect`: facts that must all appear; a fact is a string or a list of alternatives (any one will do); a
  string starting with `re:` is a regular expression. Matching uses the folding of bench/answers.py.
- `none`: strings that must not appear (a forum fact in an out-of-scope reply, "did not understand").
- `script`: `arab` | `latn` | `any`, the script most letters of the reply must be in (links left out).
- `buttons`: true when the reply must offer choices (buttons other than the 👍/👎 votes).

The section plays the held-out set against our servers and against main at 2400039 (the behaviour before the
dialogue work, bench/servers.py), and reports conversations fully right and turns right per variety.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.answers import VARIETIES, Tally, match_form, reply_text, script_of
from bench.context import Chart, Options, Result, Skip, Table
from bench.servers import OLD_REVISION, Fleet
from settings import ROOT

log = logging.getLogger(__name__)
HELDOUT = ROOT / "tests" / "data" / "conversations" / "heldout.yml"
VOTES = ("/feedback_positive", "/feedback_negative")
Say = Callable[[str, str], list[dict[str, Any]]]  # (text, sender) -> Rasa's REST replies


@dataclass(frozen=True)
class Turn:
    """One message of a conversation and what its reply must (and must not) hold."""

    user: str = ""
    press: tuple[str, ...] = ()
    expect: tuple[tuple[str, ...], ...] = ()
    none: tuple[str, ...] = ()
    script: str = "any"
    buttons: bool = False


@dataclass(frozen=True)
class Conversation:
    id: str
    lang: str
    kind: str
    turns: tuple[Turn, ...]


@dataclass
class Played:
    """A conversation as it went: each turn's reply text and why it failed (empty when right)."""

    conversation: Conversation
    replies: list[str] = field(default_factory=list)
    why: list[list[str]] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return len(self.why) == len(self.conversation.turns) and not any(self.why)


def _alternatives(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _turn(row: dict[str, Any]) -> Turn:
    if bool(row.get("user")) == bool(row.get("press")):
        raise ValueError(f"a turn has either `user` or `press`: {row}")
    return Turn(
        user=str(row.get("user") or ""),
        press=_alternatives(row["press"]) if row.get("press") else (),
        expect=tuple(_alternatives(fact) for fact in row.get("expect") or []),
        none=tuple(str(s) for s in row.get("none") or []),
        script=str(row.get("script", "any")),
        buttons=bool(row.get("buttons", False)),
    )


def load(path: Path) -> list[Conversation]:
    """The conversations of one file, or of every *.yml of a folder (file-name order)."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    conversations = []
    for file in files:
        for row in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("conversations") or []:
            conversations.append(
                Conversation(
                    str(row["id"]),
                    str(row["lang"]),
                    str(row.get("kind", "")),
                    tuple(_turn(turn) for turn in row["turns"]),
                )
            )
    return conversations


def _found(alternative: str, said: str, raw: str) -> bool:
    if alternative.startswith("re:"):
        return re.search(alternative[3:], raw, re.IGNORECASE) is not None
    folded = match_form(alternative)[1:-1]
    return bool(folded.strip()) and folded in said


def choices(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The buttons of the replies that are choices (every button but the votes)."""
    return [
        button
        for reply in replies
        for button in reply.get("buttons") or []
        if not str(button.get("payload", "")).startswith(VOTES)
    ]


def judge(turn: Turn, replies: list[dict[str, Any]]) -> list[str]:
    """Why the replies to `turn` are wrong (empty list when right)."""
    raw = reply_text(replies)
    if not raw.strip():
        return ["empty reply"]
    said = match_form(raw)
    why = [
        "missing one of " + " | ".join(fact)
        for fact in turn.expect
        if not any(_found(alternative, said, raw) for alternative in fact)
    ]
    why += [f"should not say {s!r}" for s in turn.none if _found(s, said, raw)]
    text_only = "\n".join(reply.get("text") or "" for reply in replies)
    if turn.script != "any" and script_of(text_only) != turn.script:
        why.append(f"reply script is {script_of(text_only)}, expected {turn.script}")
    if turn.buttons and not choices(replies):
        why.append("no choice offered")
    return why


def pressed(turn: Turn, previous: list[dict[str, Any]]) -> str | None:
    """The payload of the first offered choice whose title holds one of `turn.press`."""
    for button in choices(previous):
        title = match_form(str(button.get("title", "")))
        if any(match_form(word)[1:-1] in title for word in turn.press):
            return str(button["payload"])
    return None


def play(say: Say, conversation: Conversation) -> Played:
    """Send the turns one after the other from one new sender; stops at a button that is not there."""
    sender = f"conv-{conversation.id}-{uuid.uuid4().hex[:8]}"
    played, previous = Played(conversation), []
    for turn in conversation.turns:
        text = turn.user or pressed(turn, previous)
        if text is None:
            played.replies.append("")
            played.why.append([f"no offered choice matches {' | '.join(turn.press)}"])
            break
        try:
            previous = say(text, sender)
        except OSError as error:
            played.replies.append("")
            played.why.append([f"request failed: {error}"])
            break
        played.replies.append(reply_text(previous))
        played.why.append(judge(turn, previous))
    return played


def score(say: Say, conversations: list[Conversation], workers: int = 2) -> dict[str, Any]:
    """Conversations fully right and turns right, per variety, plus each failed conversation."""
    with ThreadPoolExecutor(workers) as pool:
        games = list(pool.map(lambda conversation: play(say, conversation), conversations))
    whole, turns, failed = Tally(), Tally(), []
    for game in games:
        lang = game.conversation.lang
        whole.add(lang, game.right)
        for index in range(len(game.conversation.turns)):
            turns.add(lang, index < len(game.why) and not game.why[index])
        if not game.right:
            turns_played = zip(game.conversation.turns, game.replies, game.why, strict=False)
            failed.append(
                {
                    "id": game.conversation.id,
                    "lang": lang,
                    "kind": game.conversation.kind,
                    "turns": [
                        {"user": turn.user or f"[press {' | '.join(turn.press)}]", "reply": reply[:300], "why": why}
                        for turn, reply, why in turns_played
                    ],
                }
            )
    return {"conversations": whole, "turns": turns, "failures": failed}


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def run(options: Options, fleet: Fleet) -> Result:
    conversations = load(HELDOUT)
    systems = {"ours": "ours", "old": f"main {OLD_REVISION}"}
    if options.quick:  # two conversations per variety, and no old revision to extract, index and train
        conversations = [c for lang in VARIETIES for c in [c for c in conversations if c.lang == lang][:2]]
        systems.pop("old")
    scores, skipped = {}, []
    for system, label in systems.items():
        try:
            running = fleet.get(system)
        except Skip as why:  # the other system's figures still count
            skipped.append(f"{label}: {why}")
            continue
        scores[label] = score(lambda text, sender, r=running: r.say(text, sender=sender), conversations)
    result = Result("conversations", "Whole conversations (held-out set, REST)")
    if not scores:
        result.skipped = "; ".join(skipped)
        return result
    groups = [*VARIETIES, None]
    for measure, title in (("conversations", "conversations fully right (%)"), ("turns", "turns right (%)")):
        rows = [
            [lang or "all", scores[next(iter(scores))][measure].total(lang)]
            + [_pct(s[measure].rate(lang)) for s in scores.values()]
            for lang in groups
        ]
        result.tables.append(Table(title, ["variety", "n", *scores], rows))
    result.charts.append(
        Chart(
            "Conversations fully right",
            "%",
            [g or "all" for g in groups],
            {label: [_pct(s["conversations"].rate(g)) for g in groups] for label, s in scores.items()},
        )
    )
    result.data = {
        label: {"conversations": s["conversations"].counts, "turns": s["turns"].counts, "failures": s["failures"]}
        for label, s in scores.items()
    }
    result.notes += [f"{len(conversations)} conversations of {HELDOUT.relative_to(ROOT)}, never used for tuning"]
    result.notes += [f"skipped {why}" for why in skipped]
    result.notes += [f"--quick: 2 conversations per variety, main {OLD_REVISION} not started"] if options.quick else []
    return result
