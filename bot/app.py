"""Assemble the Telegram Application: rate limiter, persistence, handlers, error handler."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults, PicklePersistence

from bot import messages
from bot.admin import Admin
from bot.conversation import Conversation, display_language
from bot.flood import FloodGuard
from bot.logs import user_ref
from bot.rasa_client import RasaClient
from bot.telegram_text import send_text

log = logging.getLogger(__name__)

COMMANDS = [
    ("start", "Start / البداية"),
    ("help", "Help / مساعدة"),
    ("lang", "Language / اللغة"),
    ("programme", "Forum programme / برنامج الملتقى"),
    ("services", "Online services / الخدمات"),
    ("ask", "Ask (in groups) / اسأل"),
    ("forget", "Erase my conversation / حذف محادثتي"),
]
# Every text is sent as HTML (bot/telegram_text.py escapes and renders it); source links get no preview card.
DEFAULTS = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))


@dataclass(frozen=True)
class BotConfig:
    """What `build_application` needs, filled by `python -m bot` from the settings and its command line."""

    token: str
    rasa_url: str
    state_dir: Path
    admin_ids: frozenset[int] = frozenset()
    base_url: str | None = None  # a local Bot API server (or the tests' fake one)
    base_file_url: str | None = None
    rasa_timeout: float = 10.0
    flood_limit: int = 8
    flood_window: float = 10.0


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any handler failure as one structured line and tell the user to retry; never re-raise."""
    chat = update.effective_chat if isinstance(update, Update) else None
    log.error(
        "handler failed",
        exc_info=context.error,
        extra={
            "event": "handler_error",
            "error": type(context.error).__name__,
            "user": user_ref(chat.id if chat else None),
        },
    )
    if chat is not None:
        try:
            await send_text(chat, messages.text("unavailable", display_language(update, context)))
        except Exception:  # the error handler must not fail in turn (Telegram itself may be down)
            log.warning("could not tell the user", extra={"event": "error_reply_failed"})


def build_application(settings: BotConfig) -> Application:
    """A ready-to-run Application (polling or webhook is the caller's choice)."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    rasa = RasaClient(settings.rasa_url, timeout=settings.rasa_timeout)

    async def post_init(app: Application) -> None:
        await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])

    async def post_shutdown(app: Application) -> None:
        await rasa.aclose()

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .defaults(DEFAULTS)
        .rate_limiter(AIORateLimiter(max_retries=2))
        .persistence(PicklePersistence(settings.state_dir / "telegram.pickle", update_interval=5))
        .concurrent_updates(8)  # one slow answer must not hold up every other citizen
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url).base_file_url(
            settings.base_file_url or settings.base_url.replace("/bot", "/file/bot", 1)
        )
    app = builder.build()
    conversation = Conversation(rasa, FloodGuard(settings.flood_limit, settings.flood_window))
    conversation.register(app)
    Admin(settings.admin_ids).register(app)
    conversation.register_fallbacks(app)
    app.add_error_handler(on_error)
    return app
