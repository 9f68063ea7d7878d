"""The terminal chat (`python -m bot.terminal`) driven through its standard input, against the real stack."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

from bot.rasa_client import Button, Reply
from bot.terminal import render
from settings import APP_VENV, ROOT
from stack import tokens
from stack.servers import free_port

PRESENTATION_FORMS = range(0xFE70, 0xFF00)


def chat(
    url: str, lines: list[str], *options: str, timeout: float = 180, var: Path | None = None
) -> subprocess.CompletedProcess:
    """The terminal chat fed `lines`; `var` is the stack's state dir (where it finds Rasa's API token)."""
    return subprocess.run(
        [str(APP_VENV / "bin" / "python"), "-m", "bot.terminal", "--url", url, *options],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**os.environ, "BERKANE_TERMINAL_SHAPES": "", **({"BERKANE_VAR": str(var)} if var else {})},
    )


def test_french_question_is_answered_and_quit_leaves_cleanly(stack):
    done = chat(stack.rasa_url, ["Quel est le prix d'un passeport ?", "/quit", "never sent"], "--shaping", "off")
    assert done.returncode == 0, done.stderr
    assert "500" in done.stdout


def test_arabic_is_shaped_for_terminals_that_cannot(stack):
    shaped = chat(stack.rasa_url, ["/lang ar", "متى ينعقد الملتقى حول المدن الذكية؟"], "--shaping", "on")
    plain = chat(stack.rasa_url, ["/lang ar", "متى ينعقد الملتقى حول المدن الذكية؟"], "--shaping", "off")
    assert shaped.returncode == plain.returncode == 0
    assert any(ord(ch) in PRESENTATION_FORMS for ch in shaped.stdout)  # joined letters, visual order
    assert not any(ord(ch) in PRESENTATION_FORMS for ch in plain.stdout)
    assert "10" in shaped.stdout and "10" in plain.stdout


def test_rasa_down_is_reported_and_the_chat_goes_on():
    done = chat(f"http://127.0.0.1:{free_port()}", ["salam", "/lang fr", "bonjour"], "--shaping", "off", timeout=60)
    assert done.returncode == 0
    assert done.stdout.count("temporarily unavailable") == 2 and "Français" in done.stdout


def test_ctrl_c_exits_cleanly():
    process = subprocess.Popen(
        [str(APP_VENV / "bin" / "python"), "-m", "bot.terminal", "--url", "http://127.0.0.1:9"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    assert process.stdout.readline().startswith("Berkane assistant")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err


def test_buttons_are_numbered_and_shaped_with_the_text():
    text, buttons = render([Reply("اختر:", (Button("جواز السفر", "/p"), Button("CNIE", "/c")))], shaping=False)
    assert "[1] جواز السفر" in text and "[2] CNIE" in text and [b.payload for b in buttons] == ["/p", "/c"]
    shaped, _ = render([Reply("اختر:", (Button("جواز السفر", "/p"),))], shaping=True)
    assert any(ord(ch) in PRESENTATION_FORMS for ch in shaped)


def test_typing_a_button_number_sends_its_payload():
    """The number picks the button of the last reply; anything else is sent as typed."""
    import asyncio
    import io

    from bot.terminal import Chat

    class Recorder:  # stands in for RasaClient: only what the chat sends matters here
        def __init__(self) -> None:
            self.sent: list[tuple[str, str | None]] = []

        async def send(self, sender: str, text: str, language: str | None = None, channel: str = "") -> list[Reply]:
            self.sent.append((text, language))
            return [Reply("Choisissez :", (Button("Passeport", '/service_info{"service":"passport"}'),))]

    recorder, out = Recorder(), io.StringIO()
    terminal = Chat(recorder, shaping=False, out=out)  # type: ignore[arg-type]

    async def session() -> None:
        for line in ["/lang fr", "services", "1", "7"]:
            assert await terminal.handle(line)
        assert not await terminal.handle("/quit")

    asyncio.run(session())
    assert recorder.sent == [("services", "fr"), ('/service_info{"service":"passport"}', "fr"), ("7", "fr")]
    assert "[1] Passeport" in out.getvalue()


def test_formatted_reply_shows_no_markers_and_bold_only_as_ansi():
    from actions.rich import Rich, bold, italic, linked

    reply = Reply(
        "",
        rich=Rich(
            bold("Passeport biométrique"),
            "\n",
            italic("jeudi 10 avril"),
            "\n💰 Coût : 500 DH\n",
            linked("📄 Source : https://www.passeport.ma"),
        ),
    )
    plain, _ = render([Reply(reply.content.plain, rich=reply.content)], shaping=False, width=80)
    assert plain == reply.content.plain and not set("*_<>") & set(plain)
    ansi, _ = render([Reply(reply.content.plain, rich=reply.content)], shaping=False, width=80, ansi=True)
    assert ansi.startswith("\x1b[1mPasseport biométrique\x1b[22m\n") and "_" not in ansi


def test_long_arabic_line_is_wrapped_before_shaping_so_rows_read_in_order():
    """Each screen row holds the next words of the sentence (the first row its beginning), each row shaped on
    its own: a terminal wrapping one long shaped line would show the end of the sentence first."""
    import arabic_reshaper

    words = [
        "يمكنكم",
        "طلب",
        "نسخة",
        "من",
        "رسم",
        "الولادة",
        "عبر",
        "بوابة",
        "وثيقة",
        "ثم",
        "تسلمها",
        "في",
        "مقر",
        "الجماعة",
        "خلال",
        "أيام",
        "العمل",
    ]
    screen, _ = render([Reply(" ".join(words))], shaping=True, width=24)
    rows = screen.split("\n")
    assert len(rows) > 2 and all(len(row) <= 24 for row in rows)
    in_rows = [[word for word in words if arabic_reshaper.reshape(word)[::-1] in row.split()] for row in rows]
    assert [word for row in in_rows for word in row] == words  # every word once, rows in reading order
    assert all(row.split()[-1] == arabic_reshaper.reshape(first[0])[::-1] for row, first in zip(rows, in_rows))


def test_forget_erases_the_conversation_after_confirmation(stack):
    """`/forget` only asks; `/forget yes` erases what was said (a count > 0), and the chat goes on afresh."""
    tokens.publish(stack.var_dir, tokens.Tokens(stack.rasa.token, stack.actions.token))  # as `make run` does
    done = chat(
        stack.rasa_url,
        ["/lang fr", "Quel est le prix d'un passeport ?", "/forget", "/forget yes", "/forget yes", "bonjour"],
        "--shaping",
        "off",
        var=stack.var_dir,
    )
    assert done.returncode == 0, done.stderr
    assert "C'est définitif" in done.stdout and "(/forget yes)" in done.stdout
    counts = [int(n) for n in re.findall(r"effacée \((\d+) éléments\)", done.stdout)]
    assert len(counts) == 2 and counts[0] > 0 and counts[1] == 0  # the second erase finds a new, empty conversation
    assert done.stdout.rstrip().count("\n") > 8  # "bonjour" after the erase still got an answer
