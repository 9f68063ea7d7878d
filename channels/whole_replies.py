"""One REST entry per bot message: text, buttons, image and custom JSON together.

Rasa 3.6's `CollectingOutputChannel` (the REST channel's output) splits one bot message into several entries:
the text at every blank line (without buttons), then the `custom` JSON as an entry of its own. The actions
send each reply's plain text with its formatting in `custom` (`actions.rich`), so a client must find both in
the same entry, and a reply with paragraphs must stay one reply.

A text message that got no reply at all is answered with `TRY_AGAIN` in the citizen's language: when the
action server is down (killed, restarting), Rasa logs the failed action call and says nothing, and the citizen
used to get an empty reply, in the conversation's language (`channels.language`). Nothing else is changed: the
next message, once the action server is back, is answered from the same tracker (topic and language kept).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.language import in_variety, reply_language

log = logging.getLogger(__name__)

# Said when the assistant produced no reply (the action server unreachable): the citizen should simply retry.
# Arabizi users get the Darija text, in Arabic script like every other reply to them (channels.language).
TRY_AGAIN = {
    "ar": "عذرًا، المساعد غير متاح للحظة. حاولوا مرة أخرى بعد قليل من فضلكم.",
    "ary": "سمحليا، المساعد ماخدامش دابا. عاود حاول من بعد شوية عافاك.",
    "fr": "Désolé, l'assistant est momentanément indisponible. Réessayez dans un instant, s'il vous plaît.",
    "en": "Sorry, the assistant is briefly unavailable. Please try again in a moment.",
}


class WholeReplyCollector(CollectingOutputChannel):
    """Collects each bot message as one entry into the list it is given (the REST handler's own list)."""

    def __init__(self, messages: list) -> None:
        super().__init__()
        self.messages = messages

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        entry = self._message(
            recipient_id,
            text=message.get("text") or None,
            image=message.get("image"),
            buttons=message.get("buttons") or None,
            attachment=message.get("attachment"),
            custom=message.get("custom") or None,
        )
        if len(entry) > 1:  # more than the recipient: something to show
            await self._persist_message(entry)


def whole_replies(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """`on_new_message` with the REST handler's collector replaced by a `WholeReplyCollector` on the same list
    (the streaming variant, `?stream=true`, is left as Rasa made it)."""

    async def handle(message: UserMessage) -> Any:
        channel = message.output_channel
        if type(channel) is not CollectingOutputChannel:  # not a subclass such as the stream's queue
            return await on_new_message(message)
        collector = message.output_channel = WholeReplyCollector(channel.messages)
        try:
            return await on_new_message(message)
        finally:
            if not collector.messages and message.text:
                language = await reply_language(message.sender_id, message.metadata, message.text)
                log.warning("no reply to a message: asked to try again", extra={"language": language})
                await collector.send_text_message(message.sender_id, in_variety(TRY_AGAIN, language or "fr"))

    return handle
