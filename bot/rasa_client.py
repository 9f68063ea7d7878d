"""Async client for Rasa's REST channel (`POST /webhooks/rest/webhook`).

Every failure (server down, slow, bad answer) becomes one typed exception, `RasaUnavailable`, so that the
Telegram bot and the terminal chat can tell the citizen "try again shortly" instead of crashing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from actions.rich import Rich, from_custom
from stack import tokens

log = logging.getLogger(__name__)

DEFAULT_URL = "http://127.0.0.1:5005"


class RasaUnavailable(RuntimeError):
    """Rasa (or the action server behind it) did not answer in time or answered with an error."""


@dataclass(frozen=True)
class Button:
    """A choice offered by Rasa; pressing it sends `payload` back as the user's message."""

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One bot message from Rasa: text, optional buttons, optional image URL, and the text's formatting
    (`actions.rich`, sent by the actions in `custom.rich`; None for the domain's plain responses)."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    rich: Rich | None = None

    @property
    def content(self) -> Rich:
        """What to show: the formatted text when the action sent one, else the plain text."""
        return self.rich if self.rich is not None else Rich(self.text)


def request_body(sender: str, text: str, language: str | None, channel: str) -> dict[str, Any]:
    """The REST channel body; `language` is only sent when the user chose one (else Rasa detects it)."""
    metadata: dict[str, str] = {"channel": channel}
    if language:
        metadata["language"] = language
    return {"sender": sender, "message": text, "metadata": metadata}


def parse_replies(data: Any) -> list[Reply]:
    """Rasa's JSON list of messages -> `Reply` objects; malformed entries are skipped, not fatal."""
    if not isinstance(data, list):
        raise RasaUnavailable(f"unexpected answer of type {type(data).__name__}")
    replies: list[Reply] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        buttons = tuple(
            Button(str(b.get("title") or b.get("payload")), str(b.get("payload") or b.get("title")))
            for b in item.get("buttons") or []
            if isinstance(b, dict) and (b.get("payload") or b.get("title"))
        )
        rich = from_custom(item.get("custom"))
        text = item.get("text") or (rich.plain if rich else "")
        if text or buttons or item.get("image"):
            replies.append(Reply(str(text), buttons, item.get("image"), rich))
    return replies


class RasaClient:
    """Sends one user message to Rasa and returns its replies; one pooled HTTP client per instance."""

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 10.0, connect_timeout: float = 2.0) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=connect_timeout))

    async def send(self, sender: str, text: str, language: str | None = None, channel: str = "telegram") -> list[Reply]:
        """Post `text` as `sender`; raise `RasaUnavailable` when Rasa is down, slow or answers badly."""
        body = request_body(sender, text, language, channel)
        try:
            response = await self._http.post(f"{self.url}/webhooks/rest/webhook", json=body)
            response.raise_for_status()
            return parse_replies(response.json())
        except (httpx.HTTPError, ValueError) as error:
            log.warning("rasa unavailable", extra={"event": "rasa_unavailable", "error": type(error).__name__})
            raise RasaUnavailable(str(error) or type(error).__name__) from error

    async def forget(self, sender: str) -> dict[str, int]:
        """Erase `sender`'s conversation (`POST /webhooks/rest/forget`, with Rasa's API token as `stack`
        publishes it: BERKANE_RASA_TOKEN or var/tokens.json); rows deleted per table. `RasaUnavailable` else."""
        try:
            response = await self._http.post(
                f"{self.url}/webhooks/rest/forget",
                json={"sender": sender},
                headers={"Authorization": f"Bearer {tokens.for_local_tool('rasa') or ''}"},
            )
            response.raise_for_status()
            return {str(table): int(rows) for table, rows in response.json()["deleted"].items()}
        except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("erasure failed", extra={"event": "forget_failed", "error": type(error).__name__})
            raise RasaUnavailable(str(error) or type(error).__name__) from error

    async def aclose(self) -> None:
        await self._http.aclose()
