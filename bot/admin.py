"""Admin commands on Telegram (ids in ADMIN_IDS): add a document by sending it with the caption `/add`
(`/add replace` updates a document with the same id),
`/reindex`, `/stats`, `/unanswered`, `/feedback`, `/rollback`. Everything is delegated to `knowledge.admin`
and `knowledge.feedback.FeedbackStore`; non-admins are refused and the attempt is logged."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import re
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot import messages
from bot.conversation import display_language
from bot.logs import user_ref
from bot.telegram_text import send_text
from knowledge.convert import MAX_BYTES, SUFFIXES
from knowledge.errors import KnowledgeError

log = logging.getLogger(__name__)
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def safe_name(name: str | None) -> str:
    """A file name with no directory part and only [A-Za-z0-9._-] (an upload must not choose its path).

    The stem becomes the document id, so a name with no Latin letters left (an Arabic file name) gets a
    hash of the original instead of a generic one that the next upload would collide with."""
    base = Path(name or "document").name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")
    if not re.search(r"[A-Za-z0-9]", cleaned):
        cleaned = "upload-" + hashlib.sha256(base.encode("utf-8")).hexdigest()[:8]
    return cleaned[:80] + re.sub(r"[^a-z0-9.]", "", suffix)


def describe(value: Any) -> str:
    """Readable text for what knowledge.admin returns (dataclasses, mappings, lists, scalars)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return "\n".join(f"{key}: {describe(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "\n".join(f"- {describe(item)}" for item in value) if value else "(vide / empty)"
    return str(value)


def show_added(added: list[Any]) -> str:
    """What the admin needs to check an upload: title, language, passages, and the id to remove it."""
    return "\n".join(
        f"Ajouté / added: {a.title} — {a.lang}, {a.chunks} passages (id {a.doc_id}, {a.topic})" for a in added
    )


def knowledge_admin() -> Any:
    """`knowledge.admin`, imported on first use: it loads FAISS and the embedding model, citizens never need it."""
    from knowledge import admin

    return admin


def feedback_store() -> Any:
    from knowledge.feedback import FeedbackStore

    return FeedbackStore()


class Admin:
    """Admin handlers; `ids` are Telegram user ids."""

    def __init__(self, ids: frozenset[int]) -> None:
        self.ids = ids

    def register(self, app: Application) -> None:
        # in a private chat only: in a group, "/add@otherbot" is another bot's and a file is nobody's question
        upload = filters.Document.ALL & filters.CaptionRegex(r"^/add(@\w+)?(\s|$)") & filters.ChatType.PRIVATE
        app.add_handler(MessageHandler(upload, self.only_admins(self.add)))
        for name, command in (
            ("add", self.add_help),
            ("reindex", self.reindex),
            ("stats", self.stats),
            ("unanswered", self.unanswered),
            ("feedback", self.feedback),
            ("rollback", self.rollback),
        ):
            app.add_handler(CommandHandler(name, self.only_admins(command)))

    def only_admins(self, handler: Handler) -> Handler:
        """Run `handler` for admins; refuse (and log the attempt) for everyone else."""

        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            user = update.effective_user
            if user is None or user.id not in self.ids:
                log.warning(
                    "admin command refused",
                    extra={
                        "event": "admin_refused",
                        "user": user_ref(user.id if user else None),
                        "command": handler.__name__,
                    },
                )
                await send_text(update.effective_chat, messages.text("not_admin", display_language(update, context)))
                return
            log.info("admin command", extra={"event": "admin", "user": user_ref(user.id), "command": handler.__name__})
            await handler(update, context)

        return guarded

    @staticmethod
    async def answer(update: Update, text: str) -> None:
        await send_text(update.effective_chat, text.strip() or "—")

    async def run(self, update: Update, call: Callable[[], Any], show: Callable[[Any], str] = describe) -> None:
        """Run a (slow, blocking) knowledge call off the event loop and reply with its result or error."""
        try:
            result = await asyncio.to_thread(call)
        except KnowledgeError as error:  # bad input or a busy lock: the admin's to read, the bot goes on
            log.warning("admin call refused", extra={"event": "admin_error", "error": str(error)})
            await self.answer(update, f"Erreur / error: {error}")
            return
        await self.answer(update, show(result))

    async def add(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Download the captioned document into a temp dir and add it to the knowledge base."""
        document = update.effective_message.document
        name = safe_name(document.file_name)
        if not name.lower().endswith(SUFFIXES):
            await self.answer(update, f"Formats acceptés / accepted: {' '.join(SUFFIXES)}")
            return
        if (document.file_size or 0) > MAX_BYTES:
            await self.answer(update, f"Fichier trop grand / file too large (max {MAX_BYTES // (1024 * 1024)} MB)")
            return
        with tempfile.TemporaryDirectory(prefix="berkane-upload-") as folder:
            path = Path(folder) / name
            file = await document.get_file()
            await file.download_to_drive(path)
            if path.stat().st_size > MAX_BYTES:
                await self.answer(update, "Fichier trop grand / file too large")
                return
            replace = "replace" in (update.effective_message.caption or "").split()[1:]
            await self.run(update, lambda: knowledge_admin().add_files([path], replace=replace), show_added)

    async def add_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.answer(
            update,
            "Envoyez le fichier (PDF, DOCX, Markdown, txt) avec la légende /add.\n"
            "Send the file (PDF, DOCX, Markdown, txt) with the caption /add.",
        )

    async def reindex(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run(update, lambda: knowledge_admin().rebuild(), lambda version: f"Index: {version}")

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run(update, lambda: knowledge_admin().stats())

    async def rollback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        version = context.args[0] if context.args else None
        await self.run(update, lambda: knowledge_admin().rollback(version), lambda name: f"Index: {name}")

    async def unanswered(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run(update, lambda: feedback_store().unanswered())

    async def feedback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run(update, lambda: feedback_store().vote_summary())
