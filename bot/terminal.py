"""`python -m bot.terminal`: chat with the assistant in a terminal, through the same REST channel as Telegram.

Buttons are printed numbered; type the number to press one. `/lang ar|ary|fr|en|auto` picks the answer
language (auto: Rasa detects it), `/forget` erases this conversation from the assistant's stores (after a
`/forget yes` confirmation, as Telegram's button asks), `/quit` (or Ctrl-D, Ctrl-C) leaves. Many terminals
cannot join Arabic letters nor write right to left: `--shaping on` does it for them (auto: on, unless
BERKANE_TERMINAL_SHAPES=1 says the terminal shapes Arabic itself).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import shutil
import sys
import threading
import uuid
from typing import TextIO

import settings
from bot import messages
from bot.logs import configure
from bot.messages import LANGUAGES
from bot.rasa_client import Button, RasaClient, RasaUnavailable, Reply
from bot.text_render import shape, terminal_text

PROMPT = "> "
FORGET, CONFIRM = "/forget", "/forget yes"
# With no /lang choice the bot's own sentences come in the two languages of the administration.
UNCHOSEN = ("ar", "fr")
UNAVAILABLE = "(the assistant is temporarily unavailable, try again shortly / الخدمة غير متاحة مؤقتا)"


def shaping_wanted(mode: str) -> bool:
    """`on`/`off` as said; `auto` shapes unless the terminal is known to shape Arabic itself."""
    if mode == "auto":
        return not settings.get().terminal_shapes
    return mode == "on"


def render(
    replies: list[Reply], shaping: bool, width: int | None = None, ansi: bool = False
) -> tuple[str, list[Button]]:
    """The text to print for Rasa's replies, and the buttons numbered 1.. in that text. Replies are wrapped
    to `width` (the terminal's) before shaping, their bold in ANSI bold when `ansi`, never Markdown markers."""
    width = width or shutil.get_terminal_size().columns
    lines: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        if reply.text:
            lines.append(terminal_text(reply.content, width, shaping, ansi))
        if reply.image:
            lines.append(f"[image] {reply.image}")
        for button in reply.buttons:
            buttons.append(button)
            line = f"  [{len(buttons)}] {button.title}"
            lines.append(shape(line) if shaping else line)
    return "\n".join(lines), buttons


class Chat:
    """One terminal conversation: its sender id, chosen language and last buttons."""

    def __init__(self, client: RasaClient, shaping: bool, out: TextIO) -> None:
        self.client, self.shaping, self.out = client, shaping, out
        self.sender = f"term-{uuid.uuid4().hex[:12]}"
        self.language: str | None = None
        self.buttons: list[Button] = []

    def say(self, text: str) -> None:
        print(shape(text) if self.shaping else text, file=self.out, flush=True)

    async def handle(self, line: str) -> bool:
        """Act on one input line; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        if line.startswith("/lang"):
            self.set_language(line.removeprefix("/lang").strip())
            return True
        if line == FORGET:
            self.say_text("forget_confirm")
            self.say(f"({CONFIRM})")
            return True
        if line == CONFIRM:
            await self.forget()
            return True
        message = self.buttons[int(line) - 1].payload if line.isdigit() and 0 < int(line) <= len(self.buttons) else line
        try:
            replies = await self.client.send(self.sender, message, self.language, channel="terminal")
        except RasaUnavailable:
            replies = []
        if not replies:  # Rasa down, or its action server down: say so rather than print nothing
            self.say(UNAVAILABLE)
            return True
        text, self.buttons = render(replies, self.shaping, ansi=self.out.isatty())
        print(text, file=self.out, flush=True)
        return True

    def say_text(self, key: str, **values: object) -> None:
        """One of the bot's own sentences (bot.messages) in the chosen language, else in Arabic and French."""
        for language in [self.language] if self.language else UNCHOSEN:
            self.say(messages.text(key, language).format(**values))

    async def forget(self) -> None:
        """Erase this conversation (tracker, feedback, handoffs) and go on as a new one, as /forget on Telegram."""
        try:
            deleted = await self.client.forget(self.sender)
        except RasaUnavailable:
            self.say(UNAVAILABLE)
            return
        self.sender, self.buttons = f"term-{uuid.uuid4().hex[:12]}", []
        self.say_text("forget_done", count=sum(deleted.values()))

    def set_language(self, code: str) -> None:
        if code == "auto":
            self.language = None
            self.say("language: auto")
        elif code in LANGUAGES:
            self.language = code
            self.say(f"language: {LANGUAGES[code]}")
        else:
            self.say("/lang " + "|".join([*LANGUAGES, "auto"]))


def read_lines(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str]) -> None:
    """Feed stdin lines to `queue` from a daemon thread ("" at EOF), so Ctrl-C never waits on a read."""
    for line in iter(sys.stdin.readline, ""):
        loop.call_soon_threadsafe(queue.put_nowait, line)
    loop.call_soon_threadsafe(queue.put_nowait, "")


async def repl(url: str, shaping: bool) -> None:
    client = RasaClient(url, timeout=30.0)
    chat = Chat(client, shaping, sys.stdout)
    chat.say("Berkane assistant — /lang ar|ary|fr|en|auto, /forget, /quit")
    lines: asyncio.Queue[str] = asyncio.Queue()
    threading.Thread(target=read_lines, args=(asyncio.get_running_loop(), lines), daemon=True).start()
    try:
        while True:
            print(PROMPT, end="", flush=True)
            line = await lines.get()
            if not line or not await chat.handle(line):
                break
    finally:
        await client.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.terminal", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=settings.get().rasa_base_url, help="Rasa server")
    parser.add_argument("--shaping", choices=["auto", "on", "off"], default="auto")
    args = parser.parse_args(argv)
    configure(logging.ERROR)  # the chat is the user's screen: only real failures go to stderr
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends the chat like /quit
        asyncio.run(repl(args.url, shaping_wanted(args.shaping)))
    print(file=sys.stdout, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
