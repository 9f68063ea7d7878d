"""A fake Telegram Bot API server on 127.0.0.1 for the bot's tests.

The real `python -m bot` runs against it with `--base-url`. Tests inject updates (served by getUpdates),
then read what the bot called (sendMessage, sendPhoto, sendChatAction, answerCallbackQuery, …). Files that
tests register are served by getFile and the file download URL.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456:TEST-token"
BOT_ID = 123456
BOT_USERNAME = "berkane_test_bot"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Berkane", "username": BOT_USERNAME}
_MENTION = re.compile(r"@\w+")


@dataclass
class Call:
    """One Bot API method call made by the bot; `files` holds uploaded bytes by field name."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, str]]:
        """Inline keyboard buttons of the call, flattened."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


def _utf16(text: str) -> int:
    """Entity offsets and lengths count UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _decode(value: str) -> Any:
    """Bot API parameters arrive JSON-encoded except plain strings."""
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeTelegram:
    """The server and the state tests look at."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ---------- life cycle ----------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/file/bot"

    def start(self) -> FakeTelegram:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # ---------- what tests inject ----------
    @staticmethod
    def user(user_id: int, language_code: str | None = None) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def message(
        self,
        user_id: int,
        text: str | None = None,
        language_code: str | None = None,
        chat: dict[str, Any] | None = None,
        **extra: Any,
    ) -> int:
        """Queue a message from `user_id` in a private chat, or in `chat` (text, or any other content given in
        `extra`); a leading command and every @username get their entities, as Telegram's clients send them."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat or {"id": user_id, "type": "private"},
            "from": self.user(user_id, language_code),
            **extra,
        }
        if text is not None:
            message["text"] = text
            command = len(text.split()[0]) if text.startswith("/") else 0
            entities = [{"type": "bot_command", "offset": 0, "length": command}] if command else []
            entities += [
                {"type": "mention", "offset": _utf16(text[: m.start()]), "length": _utf16(m.group())}
                for m in _MENTION.finditer(text)
                if m.start() >= command
            ]
            if entities:
                message["entities"] = entities
        return self._push({"message": message})

    def group_message(
        self, user_id: int, group_id: int, text: str | None = None, reply_to_bot: bool = False, **extra: Any
    ) -> int:
        """Queue a message from `user_id` in the supergroup `group_id` (a reply to a bot message if asked)."""
        if reply_to_bot:
            extra["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()),
                "text": "…",
                "from": BOT_USER,
                "chat": {"id": group_id, "type": "supergroup", "title": "Berkane"},
            }
        return self.message(user_id, text, chat={"id": group_id, "type": "supergroup", "title": "Berkane"}, **extra)

    def command_caption_document(
        self, user_id: int, caption: str, file_name: str, content: bytes, mime_type: str = "text/markdown"
    ) -> int:
        """Queue a document upload with a caption (as an admin sends `/add`)."""
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        entities = (
            [{"type": "bot_command", "offset": 0, "length": len(caption.split()[0])}] if caption.startswith("/") else []
        )
        return self.message(user_id, document=document, caption=caption, caption_entities=entities)

    def press(self, user_id: int, data: str, message_id: int = 1) -> int:
        """Queue an inline button press (callback query) on a bot message."""
        query = {
            "id": f"cb{next(self._message_ids)}",
            "from": self.user(user_id),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Berkane"},
                "text": "…",
            },
        }
        return self._push({"callback_query": query})

    def _push(self, update: dict[str, Any]) -> int:
        with self._changed:
            update["update_id"] = next(self._update_ids)
            self._updates.append(update)
            self._changed.notify_all()
            return len(self.calls)

    # ---------- what tests read ----------
    def wait_for(self, predicate: Callable[[Call], bool], since: int = 0, timeout: float = 60.0) -> Call:
        """The first call after index `since` matching `predicate`; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for call in self.calls[since:]:
                    if predicate(call):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no matching call; calls since {since}: "
                        f"{[(c.method, c.text[:80]) for c in self.calls[since:]]}"
                    )
                self._changed.wait(left)

    def sent(self, since: int = 0, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self.calls[since:] if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    # ---------- the Bot API ----------
    def _record(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        with self._changed:
            self.calls.append(Call(method, params, files))
            self._changed.notify_all()
        chat = {"id": int(params.get("chat_id") or 0), "type": "private"}
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            result: dict[str, Any] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Berkane"},
            }
            if method == "sendMessage":
                result["text"] = params.get("text", "")
            if method == "sendPhoto":
                result["photo"] = [{"file_id": "p1", "file_unique_id": "p1", "width": 900, "height": 400}]
            if "reply_markup" in params:
                result["reply_markup"] = params["reply_markup"]
            return result
        if method == "getMe":
            return {
                **BOT_USER,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getFile":
            file_id = params["file_id"]
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}",
            }
        return True

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long polling: wait up to `timeout` seconds for updates with id >= offset."""
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 5.0)
        with self._changed:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or time.monotonic() >= deadline:
                    return list(self._updates)
                self._changed.wait(max(0.0, deadline - time.monotonic()))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                prefix, path = f"/file/bot{TOKEN}/documents/", urllib.parse.unquote(self.path)
                file_id = path[len(prefix) :] if path.startswith(prefix) else None
                if file_id in fake.files:
                    self._reply(200, fake.files[file_id], "application/octet-stream")
                else:
                    self._reply(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                prefix = f"/bot{TOKEN}/"
                if not self.path.startswith(prefix):
                    self._reply(404, b'{"ok": false, "error_code": 404, "description": "Not Found"}')
                    return
                method = self.path[len(prefix) :]
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params, files = self._parse(body)
                result = fake._get_updates(params) if method == "getUpdates" else fake._record(method, params, files)
                self._reply(200, json.dumps({"ok": True, "result": result}).encode())

            def _parse(self, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("multipart/form-data"):
                    message = BytesParser(policy=HTTP).parsebytes(
                        f"Content-Type: {content_type}\r\n\r\n".encode() + body
                    )
                    params, files = {}, {}
                    for part in message.iter_parts():
                        name = part.get_param("name", header="content-disposition")
                        if part.get_filename() is not None:
                            files[name] = part.get_payload(decode=True)
                        else:
                            params[name] = _decode(
                                part.get_content().strip()
                                if part.get_content_maintype() == "text"
                                else part.get_payload(decode=True).decode()
                            )
                    return params, files
                if content_type.startswith("application/json"):
                    return json.loads(body or b"{}"), {}
                return {k: _decode(v) for k, v in urllib.parse.parse_qsl(body.decode())}, {}

        return Handler
