"""Citizen-facing Telegram handlers: commands, free text and button presses forwarded to Rasa, and polite
answers for what the bot cannot read. In groups only what is meant for the bot is answered (bot/groups.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import messages
from bot.flood import FloodGuard, Verdict
from bot.groups import ADDRESSED, FOR_ME, PRIVATE, UNKNOWN_COMMAND_FOR_ME, bot_command, question
from bot.keyboards import LANGUAGE_PREFIX, keyboard, language_keyboard, payload_of
from bot.logs import user_ref
from bot.programme import programme_cards
from bot.rasa_client import RasaClient, RasaUnavailable, Reply
from bot.services import service_buttons
from bot.telegram_text import send_text

log = logging.getLogger(__name__)
TYPING_EVERY = 4.0  # Telegram shows "typing…" for 5 s
FORGET_CONFIRMED = "forget:yes"  # the confirmation button's data, never a Rasa payload (handled before them)


def chosen_language(context: CallbackContext) -> str | None:
    """The language the user picked with /start or /lang (None: let Rasa detect it)."""
    return (context.user_data or {}).get("language")


def display_language(update: Update, context: CallbackContext) -> str:
    """Language of the bot's own sentences: the choice, else Telegram's app language when we have it."""
    code = (update.effective_user.language_code or "")[:2] if update.effective_user else ""
    return chosen_language(context) or (code if code in messages.LANGUAGES else messages.DEFAULT_LANGUAGE)


def payload_store(context: CallbackContext) -> dict[str, str]:
    """Long button payloads by short key, in the persisted bot_data."""
    return context.bot_data.setdefault("payloads", {})


@asynccontextmanager
async def typing(message: Message) -> AsyncIterator[None]:
    """Keep the "typing…" indicator on while Rasa thinks."""

    async def keep_typing() -> None:
        while True:
            with contextlib.suppress(TelegramError):  # the indicator is a courtesy: never fail the answer
                await message.chat.send_action(ChatAction.TYPING)
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()


class Conversation:
    """Handlers sharing one Rasa client and one flood guard."""

    def __init__(self, rasa: RasaClient, flood: FloodGuard) -> None:
        self.rasa, self.flood = rasa, flood

    def register(self, app: Application) -> None:
        """Flood guard first (group -1); then commands, buttons, text; catch-alls last. CommandHandler
        ignores commands addressed to another bot (`/start@otherbot`) by itself."""
        app.add_handler(TypeHandler(Update, self.guard), group=-1)
        app.add_handler(CommandHandler("start", self.start))
        app.add_handler(CommandHandler("help", self.help))
        app.add_handler(CommandHandler("lang", self.lang))
        app.add_handler(CommandHandler("services", self.services))
        app.add_handler(CommandHandler("programme", self.programme))
        app.add_handler(CommandHandler("ask", self.ask_command))
        app.add_handler(CommandHandler("forget", self.forget))
        app.add_handler(CallbackQueryHandler(self.choose_language, pattern=f"^{LANGUAGE_PREFIX}"))
        app.add_handler(CallbackQueryHandler(self.forget_confirmed, pattern=f"^{FORGET_CONFIRMED}$"))
        app.add_handler(CallbackQueryHandler(self.press))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & (PRIVATE | ADDRESSED), self.text))

    def register_fallbacks(self, app: Application) -> None:
        """Unknown commands and non-text messages meant for the bot (never a group's service messages such
        as joins, leaves or pins); registered after every other part's handlers."""
        app.add_handler(MessageHandler(filters.COMMAND & UNKNOWN_COMMAND_FOR_ME, self.unknown_command))
        app.add_handler(MessageHandler(~filters.StatusUpdate.ALL & (PRIVATE | ADDRESSED), self.unsupported))

    async def guard(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Drop a user's updates past the flood limit; say "slow down" once. Group messages not meant for the
        bot are not counted: chatting in a group the bot is in is no flood."""
        user = update.effective_user
        if user is None or (update.effective_message and not update.callback_query and not FOR_ME.check_update(update)):
            return
        verdict = self.flood.check(user.id)
        if verdict is Verdict.ALLOW:
            return
        log.info("flood limit", extra={"event": "flood", "user": user_ref(user.id), "verdict": verdict.value})
        if verdict is Verdict.WARN and update.effective_chat:
            await send_text(update.effective_chat, messages.text("slow_down", display_language(update, context)))
        if update.callback_query:
            await update.callback_query.answer()
        raise ApplicationHandlerStop

    async def ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
        """Forward `text` to Rasa as this chat and show its replies (or "try again shortly")."""
        chat = update.effective_chat
        message = update.effective_message
        started = time.monotonic()
        async with typing(message):
            try:
                replies = await self.rasa.send(f"tg:{chat.id}", text, chosen_language(context))
            except RasaUnavailable:
                replies = []
        if not replies:  # Rasa down, or up but its action server is not: silence would look like a hang
            await send_text(chat, messages.text("unavailable", display_language(update, context)))
            return
        log.info(
            "answered",
            extra={
                "event": "answered",
                "user": user_ref(chat.id),
                "replies": len(replies),
                "chars_in": len(text),
                "ms": round(1000 * (time.monotonic() - started)),
            },
        )
        for reply in replies:
            await self.show(update, context, reply)

    async def show(self, update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> None:
        """One Rasa reply: its formatted text in messages that fit, the keyboard under the last one."""
        chat = update.effective_chat
        markup = keyboard(reply.buttons, payload_store(context))
        content = reply.content
        if reply.image:
            await chat.send_photo(reply.image, reply_markup=None if content else markup)
        if content or (markup and not reply.image):
            await send_text(chat, content, markup)

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_text(
            update.effective_chat,
            messages.text("welcome", display_language(update, context)),
            language_keyboard(messages.LANGUAGES),
        )

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_text(update.effective_chat, messages.text("help", display_language(update, context)))

    async def lang(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/lang fr` sets it at once; `/lang` alone shows the choice."""
        if context.args and context.args[0] in messages.LANGUAGES:
            await self.set_language(update, context, context.args[0])
            return
        await send_text(
            update.effective_chat,
            messages.text("choose_language", display_language(update, context)),
            language_keyboard(messages.LANGUAGES),
        )

    async def set_language(self, update: Update, context: ContextTypes.DEFAULT_TYPE, language: str) -> None:
        context.user_data["language"] = language
        log.info(
            "language chosen",
            extra={"event": "language", "user": user_ref(update.effective_chat.id), "language": language},
        )
        await send_text(update.effective_chat, messages.text("language_set", language))

    async def choose_language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        language = query.data.removeprefix(LANGUAGE_PREFIX)
        if language in messages.LANGUAGES:
            await self.set_language(update, context, language)

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A Rasa (or /services) button: its payload goes to Rasa as the user's message."""
        query = update.callback_query
        await query.answer()
        payload = payload_of(query.data or "", payload_store(context))
        if payload:
            await self.ask(update, context, payload)

    async def services(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        language = display_language(update, context)
        await send_text(
            update.effective_chat,
            messages.text("services", language),
            keyboard(service_buttons(language), payload_store(context)),
        )

    async def programme(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/programme [day]`: Rasa's answer as text, then the day's programme as a picture."""
        day = context.args[0] if context.args else None
        payload = "/forum_programme" + (f'{{"day":"{day}"}}' if day and day.isalnum() else "")
        await self.ask(update, context, payload)
        language = display_language(update, context)
        for card in await asyncio.to_thread(programme_cards, day, language):
            await update.effective_chat.send_photo(card)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.ask(update, context, question(update.effective_message))

    async def ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/ask <question>` (`/ask@thisbot <question>` in a group): the question as if typed; alone, how to use it."""
        message = update.effective_message
        asked = (message.text or "").removeprefix(bot_command(message) or "").strip()
        if asked:
            await self.ask(update, context, asked)
        else:
            await send_text(update.effective_chat, messages.text("ask_usage", display_language(update, context)))

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/forget`: ask first (erasing cannot be undone), with one button that confirms."""
        language = display_language(update, context)
        button = InlineKeyboardButton(messages.text("forget_yes", language), callback_data=FORGET_CONFIRMED)
        await send_text(
            update.effective_chat, messages.text("forget_confirm", language), InlineKeyboardMarkup([[button]])
        )

    async def forget_confirmed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Erase this chat's conversation in Rasa's stores (tracker, feedback, handoffs) and say how much went."""
        await update.callback_query.answer()
        chat, language = update.effective_chat, display_language(update, context)
        try:
            deleted = await self.rasa.forget(f"tg:{chat.id}")
        except RasaUnavailable:
            await send_text(chat, messages.text("unavailable", language))
            return
        log.info("conversation erased", extra={"event": "forget", "user": user_ref(chat.id), **deleted})
        await send_text(chat, messages.text("forget_done", language).format(count=sum(deleted.values())))

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_text(update.effective_chat, messages.text("unknown_command", display_language(update, context)))

    async def unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, voice, photos, locations…: say what the bot can read."""
        if update.effective_chat is None:
            return
        log.info("unsupported message", extra={"event": "unsupported", "user": user_ref(update.effective_chat.id)})
        await send_text(update.effective_chat, messages.text("unsupported", display_language(update, context)))
