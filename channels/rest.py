"""Rasa's REST channel with every request checked before Rasa sees it.

Rasa 3.6's own `RestInput` answers HTTP 500 to a body that is empty, not an object, or lacks a string
`sender`/`message`; it takes a message of any size (one 1 MiB message kept the server busy for minutes,
blocking every other citizen), and a sender id holding a lone surrogate made its SQL tracker store kill the
server. This subclass keeps the same URL (`/webhooks/rest/webhook`) and replies for good requests, and:
- answers 413 to a body over `max_body_bytes` or a message over `max_message_chars` (Telegram's own cap),
  400 with a one-line reason to a malformed body or a sender id that is empty, long or not plain text;
- cleans the message (`channels.cleaning`) and, when nothing is left, replies politely without asking Rasa;
- lets a slash payload through only when it is a button this sender was offered or one the clients build
  (`channels.payloads`); any other "/..." is read as the text the citizen typed.
Erasure (`POST /webhooks/rest/forget`) and retention are added to the same blueprint (`privacy.web`).
The limits are read from credentials.yml, under the channel's name, as Rasa passes them to `from_credentials`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import payloads
from channels.cleaning import clean_text, sender_problem
from channels.language import in_variety, remember_agent, reply_language
from channels.whole_replies import whole_replies
from privacy.web import add_routes

log = logging.getLogger(__name__)

# Said when a message is empty once cleaned (only spaces, control characters or broken characters); Arabizi
# users get the Darija text, in Arabic script like every other reply to them (channels.language).
EMPTY_REPLY = {
    "ar": "لم يصلني أي نص. اكتبوا سؤالكم من فضلك.",
    "ary": "ما وصلني حتى كلام. كتب السؤال ديالك عافاك.",
    "fr": "Je n'ai reçu aucun texte. Écrivez votre question, s'il vous plaît.",
    "en": "I received no text. Please type your question.",
}
EMPTY_REPLY_ANY = f"{EMPTY_REPLY['ar']} {EMPTY_REPLY['fr']} {EMPTY_REPLY['en']}"


@dataclass(frozen=True)
class Limits:
    """Bounds on one request; the field names are the keys accepted in credentials.yml."""

    max_message_chars: int = 4096
    max_sender_chars: int = 128
    max_body_bytes: int = 65536

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> Limits:
        """The limits set in credentials.yml, defaults for the others; an unknown or non-positive one stops start-up."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(credentials) - known)
        if unknown:
            raise ValueError(f"credentials.yml: unknown REST channel setting(s) {unknown}; known: {sorted(known)}")
        limits = {name: int(value) for name, value in credentials.items()}
        if any(value <= 0 for value in limits.values()):
            raise ValueError(f"credentials.yml: REST channel limits must be positive, got {limits}")
        return cls(**limits)


@dataclass(frozen=True)
class Admitted:
    """A request that passed the checks: what Rasa gets instead of the raw body."""

    sender: str
    text: str
    metadata: dict[str, Any] | None
    input_channel: str | None


class Refused(Exception):
    """A request answered with an HTTP error and a one-line JSON reason (`{"error": ..., "status": ...}`)."""

    def __init__(self, status: int, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.status, self.details = status, {"error": reason, "status": status, **details}


class ValidatingRestInput(RestInput):
    """`RestInput` that checks, bounds and cleans each request first (see the module docstring)."""

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ValidatingRestInput:
        return cls(Limits.from_credentials(credentials or {}))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint with `_admit` run before its webhook handler (a blueprint request middleware), and
        one reply entry per bot message (`channels.whole_replies`: text, buttons and formatting together)."""
        webhook = super().blueprint(whole_replies(on_new_message))
        # decorator form: Sanic 21.12's lazy `Blueprint.middleware` ignores a bound method passed directly
        webhook.middleware("request")(self._admit)
        add_routes(webhook)  # POST /webhooks/rest/forget (token holders only) and the daily retention purge
        return webhook

    async def _admit(self, request: Request) -> HTTPResponse | None:
        """None to let Rasa handle the request, or the response it gets instead (an error, the empty reply)."""
        if request.method != "POST" or not request.path.endswith("/webhook"):
            return None
        remember_agent(request.app.ctx.agent)
        try:
            admitted = await self._check(request)
        except Refused as refusal:
            log.info("request refused", extra={"status": refusal.status, "reason": str(refusal)})
            return response.json(refusal.details, status=refusal.status)
        if not admitted.text.strip():
            language = await reply_language(admitted.sender, admitted.metadata, admitted.text)
            reply = in_variety(EMPTY_REPLY, language) or EMPTY_REPLY_ANY
            return response.json([{"recipient_id": admitted.sender, "text": reply}])
        request.ctx.admitted = admitted
        return None

    async def _check(self, request: Request) -> Admitted:
        """The request's sender, cleaned text, metadata and channel name, or `Refused` with the first problem."""
        limits = self.limits
        if len(request.body) > limits.max_body_bytes:
            raise Refused(
                413,
                f"the request body has {len(request.body)} bytes; at most {limits.max_body_bytes}",
                max_body_bytes=limits.max_body_bytes,
            )
        body = _body(request)
        sender, message = _string(body, "sender"), _string(body, "message")
        problem = sender_problem(sender, limits.max_sender_chars)
        if problem:
            raise Refused(400, problem, max_sender_chars=limits.max_sender_chars)
        if len(message) > limits.max_message_chars:
            raise Refused(
                413,
                f"the message has {len(message)} characters; at most {limits.max_message_chars} are "
                "accepted (send a shorter question)",
                max_message_chars=limits.max_message_chars,
            )
        metadata = body.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise Refused(400, '"metadata" must be a JSON object')
        text = clean_text(message)
        if payloads.is_payload(text) and not payloads.accepted(text, await self._offered(request, sender)):
            log.info("payload read as text", extra={"sender": sender})
            text = payloads.as_text(text)
        channel = body.get("input_channel")
        channel = channel if isinstance(channel, str) and 0 < len(channel) <= 64 else None
        return Admitted(sender, text, metadata, channel)

    @staticmethod
    async def _offered(request: Request, sender: str) -> set[str]:
        """The button payloads the assistant has shown `sender` in this conversation session."""
        tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
        return payloads.offered_payloads(tracker.events if tracker else [])

    async def _extract_sender(self, req: Request) -> str | None:
        return req.ctx.admitted.sender

    def _extract_message(self, req: Request) -> str | None:
        return req.ctx.admitted.text

    def _extract_input_channel(self, req: Request) -> str:
        return req.ctx.admitted.input_channel or self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return request.ctx.admitted.metadata


def _body(request: Request) -> dict[str, Any]:
    """The JSON object of the request, or a 400 saying why there is none."""
    try:
        body = request.json
    except InvalidUsage:
        raise Refused(400, "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise Refused(400, 'the body must be a JSON object like {"sender": "id", "message": "text"}')
    return body


def _string(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise Refused(400, f'"{field}" must be a string')
    return value
