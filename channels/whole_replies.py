"""One REST entry per bot message: text, buttons, image and custom JSON together.

Rasa 3.6's `CollectingOutputChannel` (the REST channel's output) splits one bot message into several entries:
the text at every blank line (without buttons), then the `custom` JSON as an entry of its own. The actions
send each reply's plain text with its formatting in `custom` (`actions.rich`), so a client must find both in
the same entry, and a reply with paragraphs must stay one reply.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage


class WholeReplyCollector(CollectingOutputChannel):
    """Collects each bot message as one entry into the list it is given (the REST handler's own list)."""

    def __init__(self, messages: list) -> None:
        super().__init__()
        self.messages = messages

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        entry = self._message(recipient_id, text=message.get("text") or None, image=message.get("image"),
                              buttons=message.get("buttons") or None, attachment=message.get("attachment"),
                              custom=message.get("custom") or None)
        if len(entry) > 1:   # more than the recipient: something to show
            await self._persist_message(entry)


def whole_replies(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """`on_new_message` with the REST handler's collector replaced by a `WholeReplyCollector` on the same list
    (the streaming variant, `?stream=true`, is left as Rasa made it)."""
    async def handle(message: UserMessage) -> Any:
        channel = message.output_channel
        if type(channel) is CollectingOutputChannel:   # not a subclass such as the stream's queue
            message.output_channel = WholeReplyCollector(channel.messages)
        return await on_new_message(message)
    return handle
